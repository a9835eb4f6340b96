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
- GET /healthz p99 during each attack of issue 10's table that is cheap to reproduce (target
  < 50 ms each): the pool saturated (four clients sending Monte Carlo requests that take
  seconds, more than the slots and the queue hold), a flood of invalid bodies (four clients,
  30,001 invalid cells each), 300 slow-loris connections (a header byte a second), a /readyz
  flood (four clients, no key);
- a job's cancellation latency: a client disconnects from a running Monte Carlo, until
  /readyz shows its slot free (target < 1 s);
- GET /v1/scenarios/{id} with 32 connections against a bare Litestar app
  (:mod:`benchmarks.bare`) on the same uvicorn server and protocol, measured in the same run
  (target ≥ 0.7 of its throughput);
- ``import service.client`` in a fresh interpreter, best of five (target < 200 ms).

Both the server and the load tool run on this machine's two cores: the figures include their
competition for the CPU, and anything else the machine runs meanwhile.
"""

from __future__ import annotations

import contextlib
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
import msgspec

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 10
CONNECTIONS = 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(bare: bool = False) -> Iterator[str]:
    """``gremium serve`` (one worker, no rate limit) on a free port; with ``bare`` the bare
    Litestar app under the same uvicorn protocol instead."""
    port = free_port()
    environ = os.environ | {"GREMIUM_RATE_LIMIT": "0", "GREMIUM_MAX_TIME_LIMIT": "60"}
    command = [sys.executable, "-m", "service.cli", "serve", "--workers", "1"]
    ready = "/readyz"
    if bare:
        command = [sys.executable, "-m", "uvicorn", "benchmarks.bare:app", "--no-access-log"]
        command += ["--http", "service.server:Protocol", "--log-level", "warning"]
        ready = "/v1/scenarios/it-led"
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
                if httpx.get(f"{url}{ready}", timeout=5).status_code == 200:
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


def health_during(url: str, attack: Callable[[threading.Event], None], clients: int) -> list[float]:
    """/healthz latencies (ms, 150 probes 20 ms apart) while ``clients`` threads run
    ``attack`` until told to stop."""
    stop = threading.Event()
    workers = [threading.Thread(target=attack, args=(stop,)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            times = []
            for _ in range(150):
                started = time.perf_counter()
                client.get("/healthz").raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
                time.sleep(0.02)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    return times


def slow_discussion(stakeholders: int = 200, rounds: int = 3000) -> dict[str, Any]:
    """A Monte Carlo of it takes minutes (slow bounded-confidence dynamics, not converging)."""
    return {
        "id": "slow",
        "name": "Slow",
        "issues": ["q"],
        "stakeholders": [
            {"id": f"s{i}", "name": f"S{i}", "role": "staff", "positions": [(i * 37 % 100) / 100]}
            for i in range(stakeholders)
        ],
        "model": {"kind": "deffuant-weisbuch", "epsilon": 0.3, "mu": 0.01},
        "max_rounds": rounds,
        "tolerance": 1e-9,
        "proposal": {"issue": "q"},
    }


SLOW = {"discussion": slow_discussion(), "options": {"draws": 5000}, "time_limit": 3}
INVALID = msgspec.json.encode(
    {
        "matrix": {f"a{i}": {f"r{j}": "X" for j in range(100)} for i in range(300)}
        | {"x": {"r": "X"}}
    }
)


def attacks(url: str) -> dict[str, list[float]]:
    """/healthz latencies during each attack."""

    def saturate(stop: threading.Event) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                client.post("/v1/discussions/monte-carlo", json=SLOW)

    def invalid(stop: threading.Event) -> None:
        headers = {"Content-Type": "application/json"}
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                client.post("/v1/raci/lint", content=INVALID, headers=headers)

    def loris(stop: threading.Event) -> None:
        host, port = url.removeprefix("http://").split(":")
        sockets = []
        for _ in range(300):
            connection = socket.create_connection((host, int(port)))
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            sockets.append(connection)
        while not stop.is_set():
            for connection in sockets:
                with contextlib.suppress(OSError):
                    connection.sendall(b"X")
            stop.wait(1.0)
        for connection in sockets:
            connection.close()

    def readyz(stop: threading.Event) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                client.get("/readyz")

    return {
        "pool saturated (4 clients, Monte Carlo of seconds)": health_during(url, saturate, 4),
        "invalid-body flood (4 clients, 30,001 errors each)": health_during(url, invalid, 4),
        "300 slow-loris connections": health_during(url, loris, 1),
        "/readyz flood (4 clients)": health_during(url, readyz, 4),
    }


def cancellation(url: str, runs: int = 5) -> list[float]:
    """Milliseconds from a client closing its connection under a running Monte Carlo until
    /readyz shows no job admitted."""
    host, port = url.removeprefix("http://").split(":")
    body = msgspec.json.encode(SLOW | {"time_limit": 30})
    request = (
        f"POST /v1/discussions/monte-carlo HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as client:

        def jobs() -> str:
            """The pool's line of /readyz ("2/2 workers up, 1/4 jobs"); "" while not ready."""
            return str(client.get("/readyz").json().get("checks", {}).get("pool", ""))

        for _ in range(runs):
            # the previous victim's slot is back and every worker warm again
            while not re.fullmatch(r"(\d+)/\1 workers up, 0/\d+ jobs", jobs()):
                time.sleep(0.1)
            connection = socket.create_connection((host, int(port)))
            connection.sendall(request)
            while ", 1/" not in jobs():  # until the job runs
                time.sleep(0.01)
            time.sleep(0.5)
            closed = time.perf_counter()
            connection.close()
            while ", 0/" not in jobs():
                time.sleep(0.002)
            latencies.append((time.perf_counter() - closed) * 1000)
    return latencies


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
            with server(bare=True) as bare_url:
                bare = wrk(f"{bare_url}/v1/scenarios/{raci}")
            assert bare is not None
            ratio = rate / bare[0]
            rows.append(
                (
                    "  against a bare Litestar app, same server",
                    f"{ratio:.2f} × ({bare[0]:,.0f} req/s)",
                    "≥ 0.7 ×",
                    "ok" if ratio >= 0.7 else "MISSED",
                )
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

        for attack, times in attacks(url).items():
            p99 = p(times, 99)
            rows.append(
                (
                    f"GET /healthz p99, {attack}",
                    f"{p99:.1f} ms (p50 {statistics.median(times):.1f})",
                    "< 50 ms",
                    "ok" if p99 < 50 else "MISSED",
                )
            )
        freed = cancellation(url)
        rows.append(
            (
                "client disconnects from a running job: slot free",
                f"median {statistics.median(freed):.0f} ms, max {max(freed):.0f} ms",
                "< 1 s",
                "ok" if max(freed) < 1000 else "MISSED",
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
