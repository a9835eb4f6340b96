"""Sweep throughput on a Dask cluster with one and with two workers, and the engine's overhead.

    python -m benchmarks.cluster [--points 48] [--scenario csmo-ceo]

Starts a Dask scheduler and ``gremium worker`` processes on loopback (one process, one thread
each), then:

* **throughput**: a sensitivity sweep — ``--points`` grid points of the alignment and workload
  weights and the hub's capacity, every governance model solved and ranked at each point
  (:func:`models.governance.sweep.solve_point`) — with one worker, then with a second one
  added; target: two workers ≥ 1.7× one on the 2-core machine. The same sweep on the local
  pool (two processes) for comparison, and every run's answers checked equal to each other.
* **overhead**: 20,000 trivial tasks through the engine (chunked) — the cost per task — and
  the round trip of one trivial ``submit`` — the cost per chunk (a Dask task).

The figures depend on the machine's load: the output starts with the load average.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from models.governance.sweep import Point, combine, points, solve_point
from models.governance.types import SetCapacity, SetWeight
from models.raci.catalogue import complete
from models.raci.types import VARIANTS, SolveOptions
from models.raci.variants import umbrella
from service.cli.raci import builtin_scenarios
from service.engine import DaskBackend, Engine, LocalBackend
from service.pool import make_pool
from service.settings import Settings

TARGET = 1.7
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _spawn(line: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(line, cwd=ROOT, stdout=out, stderr=out)


def _worker(address: str, name: str, logs: Path) -> subprocess.Popen[bytes]:
    line = [sys.executable, "-m", "service.cli", "worker", address, "--processes", "1"]
    return _spawn([*line, "--host", "127.0.0.1", "--name", name], logs / f"{name}.log")


def _grid(scenario: Any, count: int) -> list[Point]:
    """About ``count`` points of a grid over two weights and the hub's capacity."""
    lead = umbrella(scenario.roles)
    hub = next((role for role in scenario.roles if role.id == lead), None)
    side = max(2, round(count ** (1 / 3)))
    factors = [0.5 + 1.5 * i / (side - 1) for i in range(side)]
    grid = [
        [SetWeight(term="alignment", value=f) for f in factors],
        [SetWeight(term="workload", value=f) for f in factors],
        [SetCapacity(role=hub.id, value=hub.capacity * f) for f in factors] if hub else [],
    ]
    return points([scenario], [axis for axis in grid if axis])[1:]  # the grid, no baseline


def _sweep(engine: Engine, tasks: list[Point]) -> tuple[float, Any]:
    arguments = [(p, VARIANTS, SolveOptions(explain=False), 120.0) for p in tasks]
    started = time.perf_counter()
    answers = engine.map(solve_point, arguments).result()
    return time.perf_counter() - started, combine(tasks, answers)


def _cpu(dask: DaskBackend) -> float:
    """CPU seconds the cluster's worker processes have used so far."""
    return sum(dask.client.run(time.process_time).values())


def _measured(engine: Engine, dask: DaskBackend, tasks: list[Point], workers: int) -> Any:
    """The sweep's answers; prints its wall time, throughput and the CPU the workers got (on a
    loaded machine they get less than a core each, and the speed-up can be no larger)."""
    cpu = _cpu(dask)
    wall, answers = _sweep(engine, tasks)
    used = _cpu(dask) - cpu
    print(
        f"  {workers} Dask worker(s)  {wall:7.2f} s  {len(tasks) / wall:6.2f} points/s  "
        f"CPU {used:6.1f} s = {used / wall:.2f} of {workers} core(s)"
    )
    return wall, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=48)
    parser.add_argument("--scenario", default="csmo-ceo")
    args = parser.parse_args()
    scenario = complete(builtin_scenarios()[args.scenario])
    tasks = _grid(scenario, args.points)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures distort)")
    logs = Path(tempfile.mkdtemp(prefix="gremium-bench-"))
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _spawn(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"],
        logs / "scheduler.log",
    )  # fmt: skip
    started = [scheduler, _worker(address, "w0", logs)]
    local = LocalBackend(make_pool(Settings(pool="process", pool_workers=2)))
    engine = Engine(local, address)
    try:
        dask = engine.backend()
        assert isinstance(dask, DaskBackend), f"no scheduler at {address}; see {logs}"
        dask.client.wait_for_workers(1, timeout=120)
        n = len(tasks)
        print(f"sweep: {n} points of {args.scenario}, 5 models each")
        _sweep(engine, tasks[:2])  # warm: imports and first solves on the worker
        one, first = _measured(engine, dask, tasks, 1)
        started.append(_worker(address, "w1", logs))
        dask.client.wait_for_workers(2, timeout=120)
        _sweep(engine, tasks[:2])
        two, second = _measured(engine, dask, tasks, 2)
        verdict = "met" if one / two >= TARGET else "missed"
        print(f"  speed-up {one / two:.2f}× (target ≥ {TARGET}×: {verdict})")
        pooled, third = _sweep(Engine(local), tasks)
        print(f"  local pool, 2 processes  {pooled:7.2f} s  {n / pooled:6.2f} points/s")
        assert first == second == third, "the answers differ between runs"
        print("  every run's answers equal")
        trivial = [(i,) for i in range(20_000)]
        begun = time.perf_counter()
        engine.map(abs, trivial).result()
        per_task = (time.perf_counter() - begun) / len(trivial)
        rounds = []
        for _ in range(20):
            begun = time.perf_counter()
            engine.submit(abs, -1).result()
            rounds.append(time.perf_counter() - begun)
        rounds.sort()
        print(f"overhead: {per_task * 1e6:.1f} µs per task in a sweep of 20,000 (chunked)")
        print(
            f"  one submit, round trip: median {rounds[10] * 1e3:.1f} ms, "
            f"best {rounds[0] * 1e3:.1f} ms (the cost of one chunk)"
        )
    finally:
        engine.close()
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(30)


if __name__ == "__main__":
    main()
