"""Solves and simulations run off the event loop, in a bounded pool.

A process pool by default: PuLP builds its model in pure Python (it holds the GIL) before HiGHS
runs, so solves in threads would slow every other request down, /healthz included. The pool
admits at most ``capacity`` jobs (running plus waiting); one more is refused at once with 503
and Retry-After instead of piling up behind the others.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from .problems import ApiError
from .settings import Settings

P = ParamSpec("P")
T = TypeVar("T")

# Imported by each worker process as it starts, so the first job does not pay for them.
WARM_MODULES = ("models.raci.solve", "models.raci.diff", "models.raci.lint", "models.discussion")


def _warm() -> None:
    for name in WARM_MODULES:
        importlib.import_module(name)


class JobPool:
    """An executor with admission control: ``run`` refuses a job when ``capacity`` are in.

    The executor is made by ``executor_factory`` on first use and again after :meth:`close`,
    so the pool follows the app's lifespan, however often it starts and stops.
    """

    def __init__(
        self, executor_factory: Callable[[], Executor], capacity: int, retry_after: int = 1
    ) -> None:
        self._factory = executor_factory
        self._executor: Executor | None = None
        self.capacity = capacity
        self.retry_after = retry_after
        self.admitted = 0
        self.rejected = 0
        self.completed = 0
        self._lock = threading.Lock()  # completions are counted on the executor's thread

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` in the pool and await its result, or refuse with 503."""
        with self._lock:
            full = self.admitted >= self.capacity
            if full:
                self.rejected += 1
            else:
                self.admitted += 1
        if full:
            raise ApiError(
                "overloaded",
                f"all {self.capacity} job slots are busy",
                {"Retry-After": str(self.retry_after)},
            )
        try:
            future = self._started().submit(fn, *args, **kwargs)
        except BaseException:
            with self._lock:
                self.admitted -= 1
            raise
        # Release on completion, not when the awaiting request goes away: a cancelled request's
        # job still occupies its worker until it ends.
        future.add_done_callback(self._release)
        return await asyncio.wrap_future(future)

    def _release(self, _future: Future[Any]) -> None:
        with self._lock:
            self.admitted -= 1
            self.completed += 1

    def _started(self) -> Executor:
        if self._executor is None:
            self._executor = self._factory()
        return self._executor

    async def warm_up(self, workers: int) -> None:
        """Start every worker now (imports included) rather than on the first requests."""
        loop, executor = asyncio.get_running_loop(), self._started()
        await asyncio.gather(*(loop.run_in_executor(executor, _warm) for _ in range(workers)))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def make_pool(settings: Settings) -> JobPool:
    """The pool the settings ask for; worker processes are spawned, never forked from a server
    that already runs threads."""
    workers = settings.pool_workers

    def processes() -> Executor:
        spawn = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(workers, mp_context=spawn, initializer=_warm)

    def threads() -> Executor:
        return ThreadPoolExecutor(workers, thread_name_prefix="gremium-job")

    return JobPool(processes if settings.pool == "process" else threads, settings.pool_capacity)
