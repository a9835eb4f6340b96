"""Replicas of ``gremium serve`` as real subprocesses on ports of their own, sharing a real
PostgreSQL (127.0.0.1:5432, trust authentication, database ``test``; a fresh schema per module,
dropped afterwards) and the real Redis (127.0.0.1:6379, database :data:`REDIS_DB`, only the
rate-limit keys deleted): a recommendation posted to one is served by the other; a rate limit
holds across both; a job finished on a replica that is then killed (SIGKILL) is read from the
other, and a job running on it is reported by the other as ``job-lost`` once its heartbeat is
:data:`~service.background.STALE`. Skipped, saying why, when PostgreSQL or Redis does not
answer.

The schema is migrated before the replicas start, as the README's order of starting things
says (``gremium migrate``, then the replicas). The replicas start once per module, together;
the kill comes first, so that the heartbeat timeout passes while the other tests run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from service.background import STALE
from service.store import Store

from .conftest import slow_discussion
from .test_database import POSTGRES, postgres_reason
from .test_server import ROOT, free_port

KEY = "replica-test-key-0123456789"
HEADERS = {"X-API-Key": KEY}
#: The Redis database the replicas count in: not the 0 that the other tests use, and one per
#: pytest-xdist worker (11–15), so that two workers running this module never share counters.
REDIS_DB = 11 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 5
REDIS = f"redis://127.0.0.1:6379/{REDIS_DB}"
SOLVE = {"scenario": "csmo-ceo", "variant": "central", "options": {"explain": False}}
SLOW = {"discussion": slow_discussion(), "options": {"draws": 5000}}  # a minute unbounded
# small: no explanations, no stability; a budget that a loaded machine meets
RECOMMEND = {
    "scenario": "csmo-ceo",
    "options": {"time_limit": 25, "explain": False},
    "stability": "none",
}
#: Seconds a replica may take to answer /healthz on a loaded machine.
STARTUP = 90.0


def redis_reason() -> str | None:
    """Why Redis cannot be used here, or None."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            if not connection.recv(16).startswith(b"+PONG"):
                return "Redis on 127.0.0.1:6379 does not answer PING"
    except OSError as exc:
        return f"Redis not reachable at 127.0.0.1:6379 ({exc})"
    return None


def flush_counters() -> None:
    """Delete the rate-limit keys of the replicas (``gremium:*`` in :data:`REDIS_DB`), no other."""
    from redis import Redis

    client = Redis.from_url(REDIS, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match="gremium*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@dataclass
class Replica:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=HEADERS, timeout=60)

    def workers(self) -> set[int]:
        """The live pool worker processes (children of the server)."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.add(int(stat.parent.name))
        return pids

    def kill(self) -> None:
        """SIGKILL the server and its orphaned pool workers, as a lost machine would."""
        workers = self.workers()
        self.process.kill()
        self.process.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@dataclass(frozen=True)
class Shared:
    """The database and Redis every replica of this module is given."""

    database_url: str
    folder: Path


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """A fresh PostgreSQL schema, migrated; the Redis counters emptied before and after."""
    for reason in (postgres_reason(), redis_reason()):
        if reason is not None:
            pytest.skip(reason)
    schema = f"gremium_replicas_{secrets.token_hex(6)}"
    admin = sa.create_engine(
        POSTGRES.replace("postgresql:", "postgresql+psycopg:"), poolclass=sa.pool.NullPool
    )
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}&application_name={schema}"
    store = Store(url)
    store.migrate()
    store.close()
    flush_counters()
    try:
        yield Shared(url, tmp_path_factory.mktemp("replicas"))
    finally:
        flush_counters()
        with admin.begin() as connection:
            # the replicas are stopped; a killed one's connections are closed by the server
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE application_name = '{schema}' AND pid <> pg_backend_pid()"
            )
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@contextlib.contextmanager
def replicas(shared: Shared, names: list[str], **variables: str) -> Iterator[list[Replica]]:
    """``gremium serve`` once per name, started together, each on a free port with one pool
    worker; stopped (SIGTERM) at the end unless killed already."""
    started: list[Replica] = []
    try:
        for name in names:
            port = free_port()
            log = shared.folder / f"{name}.log"
            environ = os.environ | {
                "GREMIUM_API_KEYS": KEY,
                "GREMIUM_POOL_WORKERS": "1",
                "GREMIUM_ACCESS_LOG": "false",
                "GREMIUM_DATABASE_URL": shared.database_url,
                "GREMIUM_REDIS_URL": REDIS,
                "GREMIUM_REPLICA": name,
                "GREMIUM_STORE": str(shared.folder / f"{name}.sqlite3"),  # unused: the URL wins
                **variables,
            }
            command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"]
            with log.open("wb") as output:
                process = subprocess.Popen(
                    [*command, "--port", str(port)],
                    cwd=ROOT,
                    env=environ,
                    stdout=output,
                    stderr=output,
                )
            started.append(Replica(name, f"http://127.0.0.1:{port}", process, log))
        deadline = time.monotonic() + STARTUP
        for replica in started:
            while True:
                try:
                    if httpx.get(f"{replica.url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if replica.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{replica.name} did not start: {replica.log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield started
    finally:
        for replica in started:
            if replica.process.poll() is None:
                replica.process.terminate()
        for replica in started:
            try:
                replica.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                replica.kill()


@pytest.fixture(scope="module")
def started(shared: Shared) -> Iterator[list[Replica]]:
    """Replicas A and B, and a third that the job tests kill, started together, without a
    rate limit (the job tests poll)."""
    names = ["api-a", "api-b", "api-doomed"]
    with replicas(shared, names, GREMIUM_RATE_LIMIT="0") as three:
        yield three


@pytest.fixture(scope="module")
def pair(started: list[Replica]) -> list[Replica]:
    """Replicas A and B."""
    return started[:2]


def wait_until_ready(replica: Replica) -> None:
    """Until the replica's pool worker is up (it imports and checks HiGHS first)."""
    deadline = time.monotonic() + STARTUP
    while True:
        with contextlib.suppress(httpx.TransportError):
            if "1/1 workers up" in httpx.get(f"{replica.url}/readyz", timeout=5).text:
                return
        assert time.monotonic() < deadline, f"{replica.name}: the pool did not come up"
        time.sleep(0.2)


def poll(http: httpx.Client, location: str, within: float) -> dict[str, Any]:
    """The job at ``location`` once it has ended."""
    deadline = time.monotonic() + within
    while True:
        job: dict[str, Any] = http.get(location).json()
        if job["status"] not in ("queued", "running"):
            return job
        assert time.monotonic() < deadline, f"the job is still {job['status']}"
        time.sleep(0.2)


def without_timing(answer: dict[str, Any]) -> dict[str, Any]:
    """A solve answer without what depends on the machine's speed (the solver's seconds)."""
    for result in answer["results"]:
        result["solver"].pop("seconds")
    return answer


@dataclass(frozen=True)
class Killed:
    """What replica A left behind when it was SIGKILLed."""

    finished: str  # the location of a job that had succeeded
    running: str  # the location of a job that was running
    killed: float  # time.monotonic() of the kill


@pytest.fixture(scope="module")
def killed(started: list[Replica]) -> Killed:
    """A replica of its own in the role of A (the pair's A serves the other tests), sharing
    the database with B: one job finished on it, one running, then SIGKILL."""
    a = started[2]
    wait_until_ready(a)
    prefer = {"Prefer": "respond-async"}
    with a.http() as on_a:
        accepted = on_a.post("/v1/raci/solve", json=SOLVE, headers=prefer)
        assert accepted.status_code == 202, accepted.text
        finished = accepted.headers["location"]
        assert poll(on_a, finished, within=120)["status"] == "succeeded"
        accepted = on_a.post("/v1/discussions/monte-carlo", json=SLOW, headers=prefer)
        assert accepted.status_code == 202, accepted.text
        running = accepted.headers["location"]
        deadline = time.monotonic() + 60
        while on_a.get(running).json()["status"] != "running":
            assert time.monotonic() < deadline, "the slow job did not start"
            time.sleep(0.1)
    a.kill()
    return Killed(finished, running, time.monotonic())


def test_a_job_finished_on_a_killed_replica_is_served_by_the_other(
    pair: list[Replica], killed: Killed
) -> None:
    _, b = pair
    wait_until_ready(b)
    with b.http() as on_b:
        job = on_b.get(killed.finished).json()
        assert job["status"] == "succeeded"
        assert job["result"] == f"{killed.finished}/result"
        result = on_b.get(job["result"])
        assert result.status_code == 200, result.text
        synchronous = on_b.post("/v1/raci/solve", json=SOLVE)
        assert synchronous.status_code == 200, synchronous.text
        assert without_timing(result.json()) == without_timing(synchronous.json())


def test_a_recommendation_posted_to_one_replica_is_served_by_the_other(
    pair: list[Replica],
) -> None:
    a, b = pair
    for replica in pair:  # the first request would otherwise wait for the pool's worker
        wait_until_ready(replica)
    with a.http() as on_a, b.http() as on_b:
        posted = on_a.post("/v1/recommendations", json=RECOMMEND)
        assert posted.status_code in (200, 201), posted.text
        stored = posted.json()
        served = on_b.get(f"/v1/recommendations/{stored['id']}")
        assert served.status_code == 200, served.text
        assert served.json() == stored
        assert on_a.get(f"/v1/recommendations/{stored['id']}").json() == stored
        # the same request posted to B is the same row, not a second one
        assert on_b.post("/v1/recommendations", json=RECOMMEND).json()["id"] == stored["id"]


def test_a_rate_limit_holds_across_both_replicas(shared: Shared) -> None:
    limit = 6
    names = ["api-limited-a", "api-limited-b"]
    with replicas(shared, names, GREMIUM_RATE_LIMIT=str(limit), GREMIUM_POOL="thread") as pair:
        clients = [replica.http() for replica in pair]
        try:
            statuses = [clients[n % 2].get("/v1/scenarios").status_code for n in range(limit)]
            assert statuses == [200] * limit
            for client in clients:  # the next is refused on either replica
                refused = client.get("/v1/scenarios")
                assert refused.status_code == 429, refused.text
                assert int(refused.headers["retry-after"]) > 0
            # each replica counted half, in Redis: its metrics say so, labelled by replica
            for replica, client in zip(pair, clients, strict=True):
                metrics = client.get("/metrics").text
                assert f'gremium_rate_limit_shared{{replica="{replica.name}"}} 1.0' in metrics
        finally:
            for client in clients:
                client.close()


def test_a_job_running_on_a_killed_replica_is_reported_lost_by_the_other(
    pair: list[Replica], killed: Killed
) -> None:
    _, b = pair
    with b.http() as on_b:
        job = poll(on_b, killed.running, within=STALE + 60)
        # not at once: only once its heartbeat is STALE old (the last beat may have come a
        # little before the kill on a loaded machine, hence the slack)
        assert time.monotonic() - killed.killed >= STALE / 2
        assert job["status"] == "failed", job
        assert job["problem"]["type"] == "/problems/job-lost"
        assert "stopped" in job["problem"]["detail"]
        lost = on_b.get(f"{killed.running}/result")
        assert lost.json()["type"] == "/problems/job-lost"
