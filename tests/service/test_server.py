"""The real server: `python -m service.cli serve` on a free loopback port, driven by the client."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import msgspec
import openpyxl
import pytest

from models.governance.types import SetCapacity
from models.raci.codec import decode_matrix
from models.raci.generate import generate
from models.raci.types import SolveOptions
from service.client import AsyncClient, Client, ProblemError

from .conftest import slow_discussion

KEY = "server-test-key-0123456789"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> set[int]:
        """The live pool worker processes (spawned children of the server)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                command = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z" and b"spawn_main" in command:
                pids.add(int(stat.parent.name))
        return pids

    def admitted(self) -> int:
        metrics = httpx.get(f"{self.url}/metrics", timeout=5).text
        found = re.search(
            r"^gremium_pool_admitted\{replica=\"[^\"]*\"\} ([0-9.e+]+)$", metrics, re.M
        )
        assert found is not None
        return int(float(found.group(1)))

    def wait_ready(self) -> None:
        """Until every pool worker is up (a replaced one imports and checks HiGHS first)."""
        deadline = time.monotonic() + 60
        while "1/1 workers up" not in httpx.get(f"{self.url}/readyz", timeout=5).text:
            assert time.monotonic() < deadline, "the pool did not come back"
            time.sleep(0.1)

    def wait_for(self, admitted: int, within: float) -> float:
        """Seconds until the pool holds ``admitted`` jobs; fails after ``within``."""
        started = time.monotonic()
        while self.admitted() != admitted:
            assert time.monotonic() - started < within, f"pool still at {self.admitted()}"
            time.sleep(0.02)
        return time.monotonic() - started


@contextlib.contextmanager
def serve(folder: Path, **variables: str) -> Iterator[Server]:
    """``gremium serve`` on a free port with one pool worker; stopped (SIGTERM) at the end."""
    port = free_port()
    log = folder / "server.log"
    environ = os.environ | {
        "GREMIUM_API_KEYS": KEY,
        "GREMIUM_POOL_WORKERS": "1",
        "GREMIUM_ACCESS_LOG": "false",
        "GREMIUM_STORE": str(folder / "store.sqlite3"),
        **variables,
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=ROOT, env=environ, stdout=output, stderr=output
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # ten seconds: enough for a request to wait for a replaced worker on a loaded machine
    with serve(tmp_path_factory.mktemp("server"), GREMIUM_MAX_TIME_LIMIT="10") as server:
        yield server


@pytest.fixture
def server(running: Server) -> str:
    return running.url


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
        assert stored.recommendation.stability is not None
        assert stored.recommendation.path is not None
        answer = gremium.what_if(
            "csmo-ceo", [SetCapacity(role="csmo", value=40.0)], "central", options=options
        )
        assert answer.edits[0].startswith("capacity of")
        assert answer.models[0].variant == "central"


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


# The attacks on a real server: a worker killed, a client gone, a budget, a SIGTERM.

SLOW = {"discussion": slow_discussion(), "options": {"draws": 5000}}  # a minute without a budget
HEADERS = {"X-API-Key": KEY}


def post_in_background(url: str, answers: list[httpx.Response]) -> threading.Thread:
    def post() -> None:
        answers.append(
            httpx.post(f"{url}/v1/discussions/monte-carlo", json=SLOW, headers=HEADERS, timeout=60)
        )

    thread = threading.Thread(target=post)
    thread.start()
    return thread


def test_a_worker_killed_mid_job_answers_503_and_the_next_request_succeeds(
    running: Server,
) -> None:
    running.wait_ready()
    [worker] = running.workers()
    answers: list[httpx.Response] = []
    thread = post_in_background(running.url, answers)
    running.wait_for(1, within=5)
    time.sleep(0.3)
    os.kill(worker, signal.SIGKILL)  # as the OOM killer would
    thread.join(timeout=30)
    [lost] = answers
    assert lost.status_code == 503
    assert lost.json()["type"] == "/problems/worker-lost"
    with Client(running.url, api_key=KEY) as gremium:
        assert gremium.simulate("csmo-ceo").discussion == "csmo-ceo"
    assert worker not in running.workers()
    assert httpx.get(f"{running.url}/readyz").status_code == 200


def test_a_client_that_disconnects_frees_its_worker_within_a_second(running: Server) -> None:
    running.wait_ready()
    [worker] = running.workers()
    body = json.dumps(SLOW).encode()
    head = (
        f"POST /v1/discussions/monte-carlo HTTP/1.1\r\nHost: x\r\nX-API-Key: {KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    port = int(running.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(head.encode() + body)
        running.wait_for(1, within=5)
        time.sleep(0.3)
    freed = running.wait_for(0, within=1.0)  # the job was stopped, not left to run 10 s
    assert freed < 1.0
    assert worker not in running.workers()  # killed, and a fresh one started
    with Client(running.url, api_key=KEY) as gremium:
        assert gremium.simulate("csmo-ceo").discussion == "csmo-ceo"


def test_a_request_finishes_within_its_budget_and_says_what_was_cut(running: Server) -> None:
    running.wait_ready()
    scenario = msgspec.to_builtins(generate(12, 40, seed=3))
    body = {"scenario": scenario, "variant": "all", "options": {"time_limit": 1}}
    started = time.monotonic()
    response = httpx.post(f"{running.url}/v1/raci/solve", json=body, headers=HEADERS, timeout=60)
    elapsed = time.monotonic() - started
    assert elapsed < 1 + 1.0
    assert response.status_code == 200, response.text
    # five models with exact runner-ups do not fit in a second: the budget says what it cut
    assert response.json()["budget"]


def test_sigterm_drains_for_the_grace_period_then_exits(tmp_path: Path) -> None:
    with serve(tmp_path, GREMIUM_SHUTDOWN_GRACE="1", GREMIUM_MAX_TIME_LIMIT="60") as server:
        workers = server.workers()
        answers: list[httpx.Response] = []
        server.wait_ready()
        thread = post_in_background(server.url, answers)
        server.wait_for(1, within=5)
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(timeout=15)
        exited = time.monotonic() - signalled
        thread.join(timeout=5)
    # uvicorn drains, then re-raises the signal it caught: the exit status says "SIGTERM"
    assert code == -signal.SIGTERM
    assert exited < 1 + 3.0  # the grace period, then the job is killed and the server exits
    assert "timeout graceful shutdown exceeded" in server.log.read_text()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
