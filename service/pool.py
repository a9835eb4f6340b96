"""Solves and simulations run off the event loop, in a bounded pool that heals itself.

A process pool by default: PuLP builds its model in pure Python (it holds the GIL) before HiGHS
runs, so solves in threads would slow every other request down, /healthz included.

Each pool worker is a *slot*: its own one-process ``ProcessPoolExecutor``, not one executor of
N processes, because a job must be stoppable on its own. In a shared executor one dead process
breaks every job in it and the executor for good (``BrokenProcessPool``: every later request
failed until a restart); killing one job's process would take the others' down with it. A slot
costs nothing the stdlib does not give (pebble's ``ProcessPool`` does the same, as a
dependency), and the rules fit in a table:

    admission   running + waiting < capacity, else 503 ``overloaded`` with a Retry-After
                estimated from the queue and the mean job time
    queue       a job waits for an idle slot, first come first served
    cancel      the awaiting request is cancelled (client gone, deadline, server stopping):
                the slot's process is killed (SIGKILL) and the slot starts a fresh one
    deadline    a job still running ``GRACE`` s after its request's deadline is killed:
                503 ``budget-exceeded`` (the models keep to the deadline themselves; this is
                the backstop)
    worker lost a process that dies under a job (the OOM killer, a crash) fails that job
                alone, 503 ``worker-lost``; the slot starts a fresh process
    recycle     a process whose resident memory exceeds ``recycle_mb`` after a job is
                replaced, so the memory a heavy job took returns to the system

Every process warms up before its first job: it imports the models and solves a tiny MILP, so
readiness is known without taking a job slot (:meth:`JobPool.readiness`).

In a thread pool (``GREMIUM_POOL=thread``, for tests and debugging) a running job cannot be
stopped: its slot stays busy until the job keeps its deadline, though the request is answered
at the deadline all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import math
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import (
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from models import solver

from .problems import ApiError
from .settings import Settings

P = ParamSpec("P")
T = TypeVar("T")

#: Seconds a job may run past its deadline before it is killed.
GRACE = 0.5
# Imported by each worker process as it starts, so the first job does not pay for them.
WARM_MODULES = ("models.raci.solve", "models.raci.diff", "models.raci.lint", "models.discussion")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Warmth:
    """What a worker reports when it has started: its process id and whether HiGHS solves."""

    pid: int
    solver: str
    solver_ok: bool


def warm() -> Warmth:
    """Import the models and solve a tiny MILP: what a worker does before its first job."""
    for name in WARM_MODULES:
        importlib.import_module(name)
    try:
        return Warmth(os.getpid(), f"HiGHS {solver.check()}", True)
    except Exception as exc:  # readiness reports it; jobs that need no solver still run
        return Warmth(os.getpid(), f"HiGHS fails: {exc}", False)


def _resident_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 where there is none)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * _PAGE / 2**20


class Slot:
    """One pool worker: a one-worker executor, replaced whole when its process is lost."""

    def __init__(self, factory: Callable[[], Executor], processes: bool) -> None:
        self._factory = factory
        self.processes = processes
        self.executor = factory()
        self.started: Future[Warmth] = self.executor.submit(warm)
        self.job: Future[Any] | None = None

    def renew(self) -> None:
        """A fresh executor (and process), warming up now; the old one is let go."""
        old = self.executor
        self.executor = self._factory()
        self.started = self.executor.submit(warm)
        self.job = None
        old.shutdown(wait=False, cancel_futures=True)

    @property
    def warmth(self) -> Warmth | None:
        if not self.started.done() or self.started.exception() is not None:
            return None
        return self.started.result()

    async def submit(self, fn: Callable[..., T], args: Any, kwargs: Any) -> Future[T]:
        """Submit once the worker has warmed up; a worker lost while idle is replaced first."""
        for attempt in range(2):
            try:
                while not self.started.done():  # polled: cancelling a waiter must not cancel it
                    await asyncio.sleep(0.02)
                self.started.result()
                self.job = self.executor.submit(fn, *args, **kwargs)
                return self.job
            except BrokenExecutor:
                if attempt:
                    raise
                self.renew()
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop the running job: kill its process (a thread cannot be stopped)."""
        job, warmth = self.job, self.warmth
        if job is None or job.done():
            return
        if not job.cancel() and self.processes and warmth is not None:
            with contextlib.suppress(ProcessLookupError):  # it died already
                os.kill(warmth.pid, signal.SIGKILL)

    def resident_mb(self) -> float:
        warmth = self.warmth
        return _resident_mb(warmth.pid) if self.processes and warmth is not None else 0.0

    def close(self) -> None:
        self.stop()
        self.executor.shutdown(wait=self.processes, cancel_futures=True)


class JobPool:
    """Slots with admission control; ``run`` refuses a job when ``capacity`` are in.

    The slots are made by ``executor_factory`` (one worker each) on first use and again after
    :meth:`close`, so the pool follows the app's lifespan, however often it starts and stops.
    All bookkeeping happens on the event loop; executors report back through it.
    """

    def __init__(
        self,
        executor_factory: Callable[[], Executor],
        workers: int,
        capacity: int,
        *,
        processes: bool = False,
        recycle_mb: float = 0.0,
    ) -> None:
        self._factory = executor_factory
        self.workers = workers
        self.capacity = capacity
        self.processes = processes
        self.recycle_mb = recycle_mb
        self.admitted = 0
        self.rejected = 0
        self.completed = 0
        self.lost = 0
        self.stopped = 0
        self.recycled = 0
        self.mean_seconds = 1.0  # moving average of job times, for Retry-After
        self._slots: list[Slot] = []
        self._idle: asyncio.Queue[Slot] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _start(self) -> asyncio.Queue[Slot]:
        if self._idle is None:
            self._loop = asyncio.get_running_loop()
            self._slots = [Slot(self._factory, self.processes) for _ in range(self.workers)]
            self._idle = asyncio.Queue()
            for slot in self._slots:
                self._idle.put_nowait(slot)
        return self._idle

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the jobs ahead, shared by the workers."""
        return max(1, min(3600, math.ceil(self.mean_seconds * self.admitted / self.workers)))

    async def run(
        self, deadline: float | None, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """``fn(*args, **kwargs)`` in a slot, stopped when this call is cancelled or when it
        runs ``GRACE`` s past ``deadline`` (``time.monotonic()``); 503 when the pool is full."""
        idle = self._start()
        if self.admitted >= self.capacity:
            self.rejected += 1
            raise ApiError(
                "overloaded",
                f"all {self.capacity} job slots are busy",
                {"Retry-After": str(self.retry_after())},
            )
        self.admitted += 1
        try:
            async with asyncio.timeout_at(None if deadline is None else deadline + GRACE):
                return await self._run(idle, fn, args, kwargs)
        except TimeoutError:
            raise ApiError(
                "budget-exceeded",
                "the job did not finish within the request's time budget and was stopped",
            ) from None

    async def _run(
        self, idle: asyncio.Queue[Slot], fn: Callable[..., T], args: Any, kwargs: Any
    ) -> T:
        submitted = False
        try:
            slot = await idle.get()
            try:
                future = await slot.submit(fn, args, kwargs)
            except BaseException:
                idle.put_nowait(slot)
                raise
            submitted = True
            started = time.monotonic()
            future.add_done_callback(lambda done: self._report(slot, done, started))
            try:
                return await asyncio.wrap_future(future)
            except asyncio.CancelledError:
                self.stopped += 1
                slot.stop()
                raise
        except BrokenExecutor:
            raise ApiError(
                "worker-lost",
                "the worker running this job died (out of memory or killed) and was replaced; "
                "retry",
                {"Retry-After": "1"},
            ) from None
        finally:
            if not submitted:
                self.admitted -= 1

    def _report(self, slot: Slot, future: Future[Any], started: float) -> None:
        """Called by the executor's thread when a job ends; the bookkeeping runs on the loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed in between: nobody waits
            loop.call_soon_threadsafe(self._finished, slot, future, time.monotonic() - started)

    def _finished(self, slot: Slot, future: Future[Any], seconds: float) -> None:
        self.admitted -= 1
        self.completed += 1
        self.mean_seconds += 0.2 * (seconds - self.mean_seconds)
        if slot not in self._slots or self._idle is None:  # closed meanwhile
            return
        if not future.cancelled() and isinstance(future.exception(), BrokenExecutor):
            self.lost += 1
            slot.renew()
        elif self.recycle_mb and slot.resident_mb() > self.recycle_mb:
            self.recycled += 1
            slot.renew()
        self._idle.put_nowait(slot)

    async def warm_up(self) -> None:
        """Start every worker now (imports and the solver check) rather than on first use."""
        self._start()
        await asyncio.gather(
            *(asyncio.wrap_future(slot.started) for slot in self._slots), return_exceptions=True
        )

    def worker_pids(self) -> list[int]:
        """The process ids of the workers that have started (the server's own in a thread pool)."""
        return [w.pid for slot in self._slots if (w := slot.warmth) is not None]

    def readiness(self) -> tuple[bool, dict[str, str]]:
        """Whether the pool can take work and HiGHS solves in it; takes no job slot.

        Busy is not unready (that is what 503 ``overloaded`` is for), nor is a slot that is
        restarting while another works: readiness only fails when no worker has started with
        a working solver."""
        warm = [w for slot in self._slots if (w := slot.warmth) is not None]
        working = [w for w in warm if w.solver_ok]
        solver = working[0].solver if working else (warm[0].solver if warm else "not started")
        checks = {
            "solver": solver,
            "pool": f"{len(warm)}/{self.workers} workers up, {self.admitted}/{self.capacity} jobs",
        }
        return bool(working), checks

    def close(self) -> None:
        """Stop every job and worker now (a server shutting down has drained already)."""
        slots, self._slots, self._idle = self._slots, [], None
        for slot in slots:
            slot.close()


def make_pool(settings: Settings) -> JobPool:
    """The pool the settings ask for; worker processes are spawned, never forked from a server
    that already runs threads."""

    def process() -> Executor:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))

    def thread() -> Executor:
        return ThreadPoolExecutor(1, thread_name_prefix="gremium-job")

    processes = settings.pool == "process"
    return JobPool(
        process if processes else thread,
        settings.pool_workers,
        settings.pool_capacity,
        processes=processes,
        recycle_mb=settings.pool_recycle_mb if processes else 0.0,
    )
