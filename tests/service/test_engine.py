"""The engine: sweeps on a real Dask scheduler with two workers (started here as processes on
loopback, with ``gremium worker``) give what the local pool gives, which is what the direct
call gives; progress, cancellation, a worker killed mid-task, the scheduler unreachable at
start and lost midway.

Skipped, with the reason, where a Dask scheduler cannot be started.
"""

from __future__ import annotations

import concurrent.futures
import gc
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from models.discussion.montecarlo import monte_carlo
from models.discussion.types import MonteCarloOptions
from models.governance.recommend import recommend
from models.governance.stability import (
    combine_stability,
    run_stability_task,
    stability,
    stability_tasks,
)
from models.governance.sweep import combine, points, solve_point
from models.governance.types import SetCapacity, SetWeight
from models.raci.catalogue import complete
from models.raci.solve import solve
from models.raci.types import VARIANTS, SolveOptions
from service.cli.discussion import builtin_discussions
from service.cli.raci import builtin_scenarios
from service.engine import (
    CHUNKS_PER_WORKER,
    DaskBackend,
    Engine,
    LocalBackend,
    chunks,
)
from service.pool import make_pool
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FAST = SolveOptions(explain=False)
SECONDS = 120.0  # budgets that never bind here: answers must not depend on the machine's speed


def slow_square(x: int, seconds: float) -> int:
    """A task that takes ``seconds`` (workers import it from this module)."""
    time.sleep(seconds)
    return x * x


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A scheduler and its workers, each a process this test started."""

    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]

    def stop(self) -> None:
        for process in (*self.workers, self.scheduler):
            process.terminate()
        for process in (*self.workers, self.scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start_cluster(workers: int, logs: Path) -> Cluster:
    """``dask scheduler`` and ``workers`` × ``gremium worker --processes 1`` on loopback; skips
    the test when the scheduler or the workers do not come up within a minute."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GREMIUM_")}
    environ["PYTHONPATH"] = str(ROOT)  # the scheduler and workers import this module's tasks

    def spawn(name: str, *line: str) -> subprocess.Popen[bytes]:
        with (logs / f"{name}.log").open("wb") as log:  # the process keeps its own copy
            return subprocess.Popen(line, cwd=ROOT, env=environ, stdout=log, stderr=log)

    scheduler = spawn(
        "scheduler",
        str(BIN / "dask"),
        "scheduler",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-dashboard",
    )
    cluster = Cluster(address, scheduler, [])
    cluster.workers = [
        spawn(
            f"worker-{n}",
            str(BIN / "gremium"),
            "worker",
            address,
            "--processes",
            "1",
            "--host",
            "127.0.0.1",
            "--name",
            f"w{n}",
        )
        for n in range(workers)
    ]
    from distributed import Client

    try:
        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)
    except (OSError, TimeoutError) as exc:
        cluster.stop()
        logged = "".join(p.read_text()[-400:] for p in logs.glob("*.log"))
        pytest.skip(f"a Dask scheduler with {workers} workers did not start: {exc}; {logged}")
    return cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = start_cluster(2, tmp_path_factory.mktemp("dask"))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def local() -> Iterator[LocalBackend]:
    backend = LocalBackend(make_pool(Settings(pool="thread", pool_workers=2)))
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def distributed(cluster: Cluster, local: LocalBackend) -> Iterator[Engine]:
    engine = Engine(local, cluster.address)
    assert engine.backend().name == "dask"
    yield engine
    engine.close()


def test_chunks_keep_the_order_and_bound_their_count() -> None:
    tasks = [(i,) for i in range(101)]
    for workers in (1, 2, 8):
        parts = chunks(tasks, workers)
        assert [t for part in parts for t in part] == tasks
        assert len(parts) <= workers * CHUNKS_PER_WORKER
        assert max(map(len, parts)) - min(map(len, parts[:-1])) == 0


def test_a_sweep_on_two_workers_equals_the_local_pool_and_the_direct_call(
    distributed: Engine, local: LocalBackend
) -> None:
    scenario = complete(builtin_scenarios()["csmo-ceo"])
    hub = next(role for role in scenario.roles if role.kind == "hub")
    grid = [
        [SetWeight(term="alignment", value=v) for v in (0.5, 2.0)],
        [SetCapacity(role=hub.id, value=v) for v in (hub.capacity * 0.5, hub.capacity * 1.5)],
    ]
    tasks = points([scenario], grid)
    arguments = [(p, VARIANTS, FAST, SECONDS) for p in tasks]
    direct = combine(tasks, [solve_point(*a) for a in arguments])
    seen: list[tuple[int, int]] = []

    def summed(answers: list[Any]) -> Any:
        return combine(tasks, answers)

    on_cluster = distributed.map(
        solve_point, arguments, combine=summed, on_progress=lambda *d: seen.append(d)
    )
    assert on_cluster.backend == "dask"
    on_pool = Engine(local).map(solve_point, arguments, combine=summed)
    assert on_pool.backend == "local"
    assert on_cluster.result(300) == direct
    assert on_pool.result(300) == direct
    assert len(direct.points) == 5
    # progress rises to the total, one call per chunk
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (5, 5)
    assert on_cluster.progress.done == on_cluster.progress.total == 5


def test_a_stability_check_split_into_tasks_equals_the_check_in_one_process(
    distributed: Engine,
) -> None:
    # the insurer: two models fit, so the weights are re-solved; it-led: the cells too
    for name, cells in (("global-financial-group", False), ("it-led", True)):
        scenario = complete(builtin_scenarios()[name])
        results = [solve(scenario, v, FAST) for v in VARIANTS]
        best = recommend(scenario, results)
        expected = stability(scenario, results, best, FAST, cells, seconds=SECONDS)
        tasks = stability_tasks(scenario, results, best, FAST, cells)
        parts = distributed.map(run_stability_task, [(t, SECONDS) for t in tasks]).result(600)
        found = combine_stability(scenario, results, best, tasks, parts, SECONDS)
        assert found == expected
        assert expected is not None
        assert expected.unchecked == ()


def test_monte_carlo_batches_on_the_cluster_equal_the_direct_runs(distributed: Engine) -> None:
    discussions = [d for d in builtin_discussions().values() if d.proposal is not None]
    arguments = [
        (d, MonteCarloOptions(draws=200, seed=seed)) for d in discussions for seed in (1, 2)
    ]
    assert len(arguments) >= 8
    found = distributed.map(monte_carlo, arguments).result(600)
    assert found == [monte_carlo(*a) for a in arguments]


def blas_threads() -> str | None:
    return os.environ.get("OPENBLAS_NUM_THREADS")


def models_loaded() -> bool:
    return "models.raci.solve" in sys.modules


def test_gremium_worker_runs_one_thread_per_process_warmed_up(distributed: Engine) -> None:
    dask = distributed.backend()
    assert isinstance(dask, DaskBackend)
    assert list(dask.client.nthreads().values()) == [1, 1]
    assert dask.workers == 2
    assert set(dask.client.run(blas_threads).values()) == {"1"}
    assert set(dask.client.run(models_loaded).values()) == {True}  # preloaded: warmed up
    assert "2 worker thread(s)" in distributed.state


def test_submit_runs_one_task_and_its_error_comes_back(distributed: Engine) -> None:
    handle = distributed.submit(slow_square, 7, 0.0)
    assert handle.result(60) == 49
    assert handle.progress.done == handle.progress.total == 1
    failing = distributed.submit(slow_square, "x", 0.0)
    with pytest.raises(TypeError):
        failing.result(60)


def test_cancelling_a_sweep_cancels_its_tasks_on_the_cluster(distributed: Engine) -> None:
    dask = distributed.backend()
    assert isinstance(dask, DaskBackend)

    def states() -> list[str]:
        def tasks(dask_scheduler: Any) -> list[str]:
            return [task.state for task in dask_scheduler.tasks.values()]

        return list(dask.client.run_on_scheduler(tasks))

    gc.collect()  # earlier tests' futures released: the scheduler forgets their tasks
    wait_until(lambda: not states(), 10)
    started = threading.Event()
    handle = distributed.map(
        slow_square, [(i, 0.2) for i in range(40)], on_progress=lambda *_: started.set()
    )
    assert started.wait(60)
    assert handle.cancel()
    with pytest.raises(concurrent.futures.CancelledError):
        handle.result(1)
    # nothing waits on the cluster any more; a chunk running when cancelled (one per worker,
    # Dask cannot stop a thread) ends on its own and is forgotten
    wait_until(lambda: all(state == "processing" for state in states()), 5)
    wait_until(lambda: not states(), 10)
    assert handle.progress.done < 40


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time given"
        time.sleep(0.05)


def test_a_worker_killed_mid_task_is_retried_by_the_engine(distributed: Engine) -> None:
    dask = distributed.backend()
    assert isinstance(dask, DaskBackend)
    handle = distributed.submit(slow_square, 12, 3.0)
    deadline = time.monotonic() + 30
    while not (busy := [w for w, keys in dask.client.processing().items() if keys]):
        assert time.monotonic() < deadline, "the task never started"
        time.sleep(0.05)
    pids = dask.client.run(os.getpid, workers=busy)
    os.kill(pids[busy[0]], signal.SIGKILL)  # the worker process, as the OOM killer would
    assert handle.result(120) == 144
    assert handle.backend == "dask"
    dask.client.wait_for_workers(2, timeout=60)  # the nanny restarts the killed one


def test_a_pool_worker_killed_mid_task_is_retried_locally() -> None:
    backend = LocalBackend(make_pool(Settings(pool="process", pool_workers=1)))
    try:
        engine = Engine(backend)
        handle = engine.submit(slow_square, 5, 4.0)
        deadline = time.monotonic() + 60
        while not backend.pool.worker_pids() or not backend.pool.admitted:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        os.kill(backend.pool.worker_pids()[0], signal.SIGKILL)
        assert handle.result(120) == 25
        assert backend.retried == 1
    finally:
        backend.close()


def test_cancelling_a_sweep_on_the_local_pool_kills_its_running_chunk() -> None:
    backend = LocalBackend(make_pool(Settings(pool="process", pool_workers=1)))
    try:
        started = threading.Event()
        handle = Engine(backend).map(
            slow_square, [(i, 1.0) for i in range(8)], on_progress=lambda *_: started.set()
        )
        assert handle.backend == "local"
        assert started.wait(120)
        wait_until(lambda: backend.pool.admitted == 1, 30)  # the next chunk is running
        assert handle.cancel()
        with pytest.raises(concurrent.futures.CancelledError):
            handle.result(1)
        wait_until(lambda: backend.pool.admitted == 0, 10)
        assert backend.pool.stopped == 1  # the running chunk's process was killed
        assert handle.progress.done < 8
    finally:
        backend.close()


def test_an_unreachable_scheduler_falls_back_to_the_local_pool(
    local: LocalBackend, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = f"tcp://127.0.0.1:{free_port()}"  # nothing listens

    def connect(*args: Any) -> DaskBackend:
        return DaskBackend.connect(*args, timeout=1.0)

    engine = Engine(local, nowhere, connect=connect)
    with caplog.at_level(logging.WARNING, "gremium.engine"):
        handle = engine.map(slow_square, [(i, 0.0) for i in range(6)])
    assert handle.result(60) == [i * i for i in range(6)]
    assert handle.backend == "local"
    assert engine.fallbacks == 1
    assert f"scheduler {nowhere} does not answer" in caplog.text
    assert "unreachable" in engine.state
    engine.map(slow_square, [(1, 0.0)]).result(60)  # not tried again before the interval
    assert engine.fallbacks == 2
    assert caplog.text.count("does not answer") == 1


def test_a_scheduler_lost_midway_finishes_the_sweep_locally(
    tmp_path: Path, local: LocalBackend, caplog: pytest.LogCaptureFixture
) -> None:
    own = start_cluster(1, tmp_path)
    try:
        engine = Engine(local, own.address)
        started = threading.Event()
        with caplog.at_level(logging.WARNING, "gremium.engine"):
            handle = engine.map(
                slow_square, [(i, 0.3) for i in range(16)], on_progress=lambda *_: started.set()
            )
            assert handle.backend == "dask"
            assert started.wait(60)
            own.scheduler.kill()
            assert handle.result(120) == [i * i for i in range(16)]
        assert engine.fallbacks == 1
        assert "lost the Dask scheduler during a sweep" in caplog.text
        assert handle.progress.done == 16
        engine.close()
    finally:
        own.stop()
