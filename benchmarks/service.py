"""REST service benchmarks against their targets, on loopback, one uvicorn worker.

Run as ``python -m benchmarks.service``. It starts ``python -m service.cli serve --workers 1``
on a free loopback port (access log on, sent to /dev/null; no rate limit) and prints:

- GET /v1/scenarios/{id} throughput and p99 latency with 32 connections, measured by wrk
  (target ≥ 5,000 req/s, p99 < 20 ms). wrk is a C load tool: ``apt-get install -y wrk``
  (Debian/Ubuntu). Without it this row is skipped with that hint;
- POST /v1/raci/solve, a built-in scenario and one governance model, one request at a time
  (target p50 < 100 ms): explained with exact runner-ups (the default), with estimates only,
  and unexplained;
- POST /v1/discussions/simulate, a built-in discussion, one request at a time (p50 < 30 ms);
- GET /healthz latency while two clients keep the solver pool busy (target < 50 ms);
- ``import service.client`` in a fresh interpreter, best of five (target < 200 ms).

Both the server and the load tool run on this machine's two cores: the figures include their
competition for the CPU.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 10
CONNECTIONS = 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server() -> Iterator[str]:
    port = free_port()
    environ = os.environ | {"GREMIUM_RATE_LIMIT": "0", "GREMIUM_MAX_TIME_LIMIT": "60"}
    command = [sys.executable, "-m", "service.cli", "serve", "--workers", "1"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(url: str) -> tuple[float, float] | None:
    """Requests per second and p99 latency in ms, or None without wrk."""
    if shutil.which("wrk") is None:
        return None
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=SECONDS + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()  # type: ignore[union-attr]
    return rate, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def latencies(send: Callable[[], httpx.Response], repeat: int) -> list[float]:
    send()  # warm the path (imports in the pool worker, caches)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def client_import(runs: int = 5) -> float:
    """Milliseconds ``import service.client`` takes in a fresh interpreter, best of ``runs``."""
    probe = (
        "import time; t = time.perf_counter(); import service.client; print(time.perf_counter()-t)"
    )
    seconds = (
        subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(runs)
    )
    return 1000 * min(float(text) for text in seconds)


def health_under_load(url: str, solve: dict[str, Any]) -> list[float]:
    """/healthz latencies while two clients send solves back to back."""
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            while not stop.is_set():
                client.post("/v1/raci/solve", json=solve)

    workers = [threading.Thread(target=hammer) for _ in range(2)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    try:
        with httpx.Client(base_url=url) as client:
            times = []
            for _ in range(100):
                started = time.perf_counter()
                client.get("/healthz").raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
                time.sleep(0.03)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    return times


def main() -> int:
    rows: list[tuple[str, str, str, str]] = []
    with server() as url, httpx.Client(base_url=url, timeout=120) as client:
        raci = client.get("/v1/scenarios", params={"kind": "raci"}).json()["scenarios"][0]["id"]
        talk = client.get("/v1/scenarios", params={"kind": "discussion"}).json()["scenarios"]
        discussion = talk[0]["id"]

        measured = wrk(f"{url}/v1/scenarios/{raci}")
        if measured is None:
            rows.append(
                (f"GET /v1/scenarios/{raci}", "skipped", "-", "install wrk: apt-get install -y wrk")
            )
        else:
            rate, p99 = measured
            rows.append(
                (
                    f"GET /v1/scenarios/{raci} ({CONNECTIONS} conn.)",
                    f"{rate:,.0f} req/s",
                    "≥ 5,000 req/s",
                    "ok" if rate >= 5000 else "MISSED",
                )
            )
            rows.append(
                ("  p99 latency", f"{p99:.1f} ms", "< 20 ms", "ok" if p99 < 20 else "MISSED")
            )

        # the default explains with exact runner-ups (0.5 s of re-solves); then estimates only;
        # then no explanation
        explanations = {
            "default": {},
            "estimates": {"alternatives_seconds": 0},
            "off": {"explain": False},
        }
        for name, options in explanations.items():
            body = {"scenario": raci, "variant": "hub-and-spoke", "options": options}
            times = latencies(lambda body=body: client.post("/v1/raci/solve", json=body), 30)
            p50 = statistics.median(times)
            label = f"POST /v1/raci/solve {raci}, 1 model, explain {name}"
            rows.append(
                (
                    label,
                    f"p50 {p50:.1f} ms (p90 {p(times, 90):.1f})",
                    "p50 < 100 ms",
                    "ok" if p50 < 100 else "MISSED",
                )
            )

        body = {"discussion": discussion}
        times = latencies(lambda: client.post("/v1/discussions/simulate", json=body), 50)
        p50 = statistics.median(times)
        rows.append(
            (
                f"POST /v1/discussions/simulate {discussion}",
                f"p50 {p50:.1f} ms (p90 {p(times, 90):.1f})",
                "p50 < 30 ms",
                "ok" if p50 < 30 else "MISSED",
            )
        )

        solve = {"scenario": raci, "variant": "all", "options": {"explain": True}}
        times = health_under_load(url, solve)
        worst = max(times)
        rows.append(
            (
                "GET /healthz while solves run",
                f"p50 {statistics.median(times):.1f} ms, max {worst:.1f} ms",
                "< 50 ms",
                "ok" if worst < 50 else "MISSED",
            )
        )
    client = client_import()
    rows.append(
        (
            "import service.client (best of 5)",
            f"{client:.0f} ms",
            "< 200 ms",
            "ok" if client < 200 else "MISSED",
        )
    )
    width = max(len(row[0]) for row in rows)
    print(f"{'benchmark':<{width}}  {'measured':<28}  {'target':<16}  verdict")
    for name, value, target, verdict in rows:
        print(f"{name:<{width}}  {value:<28}  {target:<16}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
