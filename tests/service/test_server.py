"""The real server: `python -m service.cli serve` on a free loopback port, driven by the client."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openpyxl
import pytest

from models.raci.codec import decode_matrix
from models.raci.types import SolveOptions
from service.client import AsyncClient, Client, ProblemError

KEY = "server-test-key-0123456789"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    errors = tmp_path_factory.mktemp("server") / "stderr.txt"
    environ = os.environ | {
        "GREMIUM_API_KEYS": KEY,
        "GREMIUM_POOL_WORKERS": "1",
        "GREMIUM_ACCESS_LOG": "false",
        "GREMIUM_MAX_TIME_LIMIT": "5",
        "GREMIUM_STORE": str(tmp_path_factory.mktemp("store") / "store.sqlite3"),
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"]
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=ROOT, env=environ, stdout=stderr, stderr=stderr
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {errors.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_client_drives_the_real_server(server: str) -> None:
    with Client(server, api_key=KEY) as gremium:
        assert gremium.health().status == "ok"
        assert gremium.ready().checks["solver"].startswith("HiGHS")
        listing = gremium.scenarios(kind="raci").scenarios
        first = listing[0].id
        answer = gremium.solve(first, variant="central", options=SolveOptions(explain=False))
        [result] = answer.results
        assert result.status == "optimal"
        for row in result.matrix.values():
            assert sum(letter in ("A", "A/R") for letter in row.values()) == 1
        report = gremium.lint(result.matrix, scenario=first)
        assert report.errors == 0
        table = gremium.solve_text(first, "central", "text/csv", SolveOptions(explain=False))
        assert len(table.splitlines()) == 2 + len(result.matrix)  # names and ids, then rows
        workbook = gremium.solve_workbook(first, "central", SolveOptions(explain=False), "de")
        assert decode_matrix(workbook, "xlsx", "central") == result.matrix
        assert "Zentral" in openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames
        with pytest.raises(ProblemError) as missing:
            gremium.scenario("atlantis")
        assert missing.value.problem.status == 404


def test_the_client_stores_and_fetches_a_recommendation(server: str) -> None:
    options = SolveOptions(time_limit=5, explain=False)
    with Client(server, api_key=KEY) as gremium:
        stored = gremium.recommend("csmo-ceo", discussion="csmo-ceo", options=options)
        assert gremium.recommend("csmo-ceo", discussion="csmo-ceo", options=options).id == (
            stored.id
        )
        fetched = gremium.recommendation(stored.id)
        assert fetched == stored
        assert sorted(entry.rank for entry in fetched.recommendation.ranking) == [1, 2, 3, 4, 5]
        fragment = gremium.recommendation_html(stored.id)
        assert fragment.startswith("<section")
        assert "<script" not in fragment
        assert 'lang="de"' in gremium.recommendation_html(stored.id, lang="de")
        workbook = gremium.recommendation_workbook(stored.id)
        assert decode_matrix(workbook, "xlsx") == fetched.recommendation.matrix


def test_the_server_refuses_a_client_without_a_key(server: str) -> None:
    with Client(server) as anonymous, pytest.raises(ProblemError) as refused:
        anonymous.scenarios()
    assert refused.value.problem.type == "/problems/unauthorized"


@pytest.mark.anyio
async def test_the_async_client_simulates(server: str) -> None:
    async with AsyncClient(server, api_key=KEY) as gremium:
        discussions = (await gremium.scenarios(kind="discussion")).scenarios
        result = await gremium.simulate(discussions[0].id)
        assert result.discussion
        assert set(result.final) == set(result.stakeholders)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
