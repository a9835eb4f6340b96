"""GET a stored recommendation through one replica and through two, sharing one PostgreSQL.

Run as ``python -m benchmarks.replicas [--seconds N]``. It creates a schema of its own in the
PostgreSQL at 127.0.0.1:5432 (database ``test``; dropped at the end), migrates it as
``gremium migrate`` would, starts two ``gremium serve`` replicas (one uvicorn worker and one
pool worker each, no rate limit, access log off) on free loopback ports with
``GREMIUM_DATABASE_URL`` naming it, POSTs a recommendation (a built-in scenario) to the first
and then measures GET /v1/recommendations/{id} with wrk, 32 connections in all:

- one replica: one wrk, 32 connections, against the first;
- two replicas: two wrk at once, 16 connections each, one against each replica (what a load
  balancer spreading connections evenly would do); the requests/s summed, the worse p99.

Both replicas, PostgreSQL and wrk share this machine's cores: on two cores a second replica
can only win what one replica leaves idle, so the ratio says how far one replica is from
using the machine, not how replicas scale across machines. The load average before and after
is printed with the figures. Without wrk (``apt-get install -y wrk``) or PostgreSQL the rows
are skipped, saying why.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import sqlalchemy as sa

from service.store import Store

from .service import ROOT, free_port

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
CONNECTIONS = 32
RECOMMEND = {"scenario": "csmo-ceo", "options": {"time_limit": 5, "explain": False}}


@contextmanager
def replica(database_url: str, name: str) -> Iterator[str]:
    """``gremium serve`` on a free port, sharing ``database_url``; stopped at the end."""
    port = free_port()
    environ = os.environ | {
        "GREMIUM_DATABASE_URL": database_url,
        "GREMIUM_RATE_LIMIT": "0",
        "GREMIUM_ACCESS_LOG": "false",
        "GREMIUM_POOL_WORKERS": "1",
        "GREMIUM_REPLICA": name,
    }
    command = [sys.executable, "-m", "service.cli", "serve", "--workers", "1"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"replica {name} did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def start_wrk(url: str, connections: int, seconds: int) -> subprocess.Popen[str]:
    threads = min(2, connections)
    return subprocess.Popen(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result(process: subprocess.Popen[str], seconds: int) -> tuple[float, float, int]:
    """Requests/s, p99 in ms and the count of non-2xx answers of a finished wrk."""
    output, errors = process.communicate(timeout=seconds + 60)
    if process.returncode != 0:
        raise SystemExit(f"wrk failed: {errors}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()  # type: ignore[union-attr]
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return (
        rate,
        float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit],
        int(failed[1]) if failed else 0,
    )


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(urls: list[str], path: str, seconds: int) -> tuple[float, float, int]:
    share = CONNECTIONS // len(urls)
    runs = [start_wrk(f"{url}{path}", share, seconds) for url in urls]
    found = [result(run, seconds) for run in runs]
    return (
        sum(rate for rate, _, _ in found),
        max(p99 for _, p99, _ in found),
        sum(failed for _, _, failed in found),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    seconds = parser.parse_args().seconds
    title = f"GET /v1/recommendations/{{id}}, {CONNECTIONS} connections, {seconds} s"
    if shutil.which("wrk") is None:
        print(f"{title}: skipped, install wrk: apt-get install -y wrk")
        return
    admin = sa.create_engine(
        POSTGRES.replace("postgresql:", "postgresql+psycopg:"), poolclass=sa.pool.NullPool
    )
    schema = f"gremium_bench_{secrets.token_hex(4)}"
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as exc:
        print(f"{title}: skipped, PostgreSQL not reachable ({str(exc.orig).strip()})")
        return
    database_url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        store = Store(database_url)
        store.migrate()
        store.close()
        with ExitStack() as stack:
            urls = [stack.enter_context(replica(database_url, f"bench-{n}")) for n in range(2)]
            posted = httpx.post(f"{urls[0]}/v1/recommendations", json=RECOMMEND, timeout=120)
            posted.raise_for_status()
            path = f"/v1/recommendations/{posted.json()['id']}"
            for url in urls:  # warm both, and check the second serves what the first stored
                httpx.get(f"{url}{path}", timeout=30).raise_for_status()
            print(title, flush=True)
            print(f"{'':<13} {'req/s':>8} {'p99 ms':>8} {'non-2xx':>8}  load average before")
            for label, targets in (("one replica", urls[:1]), ("two replicas", urls)):
                before = load()
                rate, p99, failed = measure(targets, path, seconds)
                print(f"{label:<13} {rate:>8.0f} {p99:>8.1f} {failed:>8}  {before}", flush=True)
            print(f"load average after: {load()} ({os.cpu_count()} cores)")
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


if __name__ == "__main__":
    main()
