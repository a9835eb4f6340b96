"""``gremium recommend`` and ``gremium what-if`` from the command line."""

from __future__ import annotations

import json

import pytest

from service.cli import main


def test_recommend_prints_the_ranking_and_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "it-led", "--stability", "none"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "rank",
        "model",
        "status",
        "fit",
        "score",
        "dominated",
        "by",
    ]
    assert "Recommended for Northbridge IT Services: central" in out
    assert "stability:" not in out
    assert main(["recommend", "it-led", "--stability", "none", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["recommended"] == "central"


def test_what_if_prints_the_flips_and_refuses_a_bad_edit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["what-if", "it-led", "--variant", "central", "--capacity", "csmo=40"]) == 0
    out = capsys.readouterr().out
    assert "capacity of Social-media manager (CIO office) 20 -> 40 person-days" in out
    assert "central: optimal -> optimal" in out
    assert main(["what-if", "it-led", "--weight", "colour=2"]) == 2
    assert "--weight/0/term" in capsys.readouterr().err
    assert main(["what-if", "it-led", "--capacity", "csmo"]) == 2
    assert "expected NAME=NUMBER" in capsys.readouterr().err
