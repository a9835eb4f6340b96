"""``gremium worker``: Dask's worker, one thread per process, Gremium preloaded; a one-line
error without a scheduler. (It is started for real by tests/service/test_engine.py.)"""

from __future__ import annotations

import sys

import pytest

from service.cli import main
from service.cli.worker import command


def test_the_worker_is_dasks_with_one_thread_per_process_and_gremium_preloaded() -> None:
    line = command("tcp://scheduler:8786", 3, "w", "127.0.0.1")
    assert line[:4] == [sys.executable, "-m", "distributed.cli.dask_worker", "tcp://scheduler:8786"]

    def option(name: str) -> str:
        return line[line.index(name) + 1]

    assert option("--nthreads") == "1"
    assert option("--nworkers") == "3"
    assert option("--preload") == "service.worker"
    assert (option("--name"), option("--host")) == ("w", "127.0.0.1")


def test_without_a_scheduler_it_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GREMIUM_CLUSTER", raising=False)
    assert main(["worker"]) == 2
    assert capsys.readouterr().err == (
        "gremium: error: no scheduler: give one or set GREMIUM_CLUSTER\n"
    )


def test_a_bad_scheduler_address_is_refused_like_any_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GREMIUM_CLUSTER", "http://scheduler")
    assert main(["worker"]) == 2
    assert "GREMIUM_CLUSTER" in capsys.readouterr().err
