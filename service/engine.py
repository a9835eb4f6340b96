"""Heavy work — sweeps and jobs — through one interface, on the local pool or on Dask.

::

    engine = make_engine(settings, pool)           # Dask when GREMIUM_CLUSTER names a scheduler
    handle = engine.submit(fn, *args)              # one task
    handle = engine.map(fn, arguments, combine=…, on_progress=…)   # a sweep: fn(*a) per a
    handle.result(timeout) · await handle · handle.cancel() · handle.progress · handle.done()
    engine.close()

A sweep is a list of pure tasks — a module-level function and one argument tuple per task
(:func:`models.governance.sweep.solve_point`,
:func:`models.governance.stability.run_stability_task`) — and a ``combine`` that turns the
list of answers, in task order, into the result. The tasks are split into :func:`chunks`, each
run as one unit (:func:`run_chunk`); ``combine`` runs in this process, off the event loop.

Backends (:class:`LocalBackend`, :class:`DaskBackend`):

    what                 local pool (default)                  Dask (GREMIUM_CLUSTER)
    a chunk runs         in a slot of :class:`JobPool`         on a worker, ``client.map``
    chunks at once       the pool's workers                    the cluster's worker threads
    progress             per chunk finished                    per chunk finished
    cancel               the chunks' processes are killed      pending chunks are cancelled on
                         (their slots restart)                 the cluster; a running one ends
                                                               on its own (Dask cannot stop a
                                                               thread), its answer dropped
    a worker dies        its chunk is run again                the scheduler moves its chunk to
                         (:data:`RETRIES` times)               another worker; a chunk that
                                                               raises is retried (``retries=``)

The scheduler unreachable. At start or later, the engine falls back to the local pool rather
than queueing: the tasks are pure and deterministic, so the local answer equals the cluster's,
only slower, and a replica keeps serving with its own cores instead of holding work for an
outage of unknown length. Each fallback writes one log line and counts in
``gremium_engine_fallbacks``; a sweep that loses the scheduler midway runs its unfinished
chunks locally and keeps the finished ones. The engine tries the scheduler again at most every
:data:`RECONNECT_SECONDS`.

Chunk size: a Dask task costs a round trip of 10–20 ms from this process (measured in
``benchmarks/cluster.py``), a local chunk a pickle to a process; a point of a sweep costs a
few hundred milliseconds of solving. :data:`CHUNKS_PER_WORKER` chunks per worker keep the
overhead within a few per cent while leaving enough chunks to balance uneven tasks and to
report progress.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import math
import operator
import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from .pool import JobPool
from .problems import ApiError
from .settings import Settings

R = TypeVar("R")
S = TypeVar("S")
logger = logging.getLogger("gremium.engine")

#: Chunks per worker a sweep is split into (at least one task each).
CHUNKS_PER_WORKER = 4
#: Times a chunk whose worker died is run again (locally; Dask's ``retries=`` on the cluster).
RETRIES = 2
#: Seconds to wait for the scheduler when connecting.
CONNECT_SECONDS = 5.0
#: Least seconds between two attempts to reach an unreachable scheduler.
RECONNECT_SECONDS = 30.0

Progress = Callable[[int, int], None]


class EngineError(Exception):
    """The engine could not run work."""


class ClusterUnavailable(EngineError):
    """The Dask scheduler does not answer (at start, or it went away)."""


def run_chunk(fn: Callable[..., R], chunk: Sequence[tuple[Any, ...]]) -> list[R]:
    """One chunk of a sweep: ``fn(*arguments)`` for each task, in order (runs on a worker)."""
    return [fn(*arguments) for arguments in chunk]


def _nothing() -> None:
    pass


def _flat(answers: list[Any]) -> list[Any]:
    return answers


def chunks(arguments: Sequence[tuple[Any, ...]], workers: int) -> list[list[tuple[Any, ...]]]:
    """The tasks split into consecutive chunks, about :data:`CHUNKS_PER_WORKER` per worker.

    Example:
        >>> [len(c) for c in chunks([(i,) for i in range(10)], workers=2)]
        [2, 2, 2, 2, 2]
        >>> [len(c) for c in chunks([(i,) for i in range(3)], workers=2)]
        [1, 1, 1]
    """
    size = max(1, math.ceil(len(arguments) / (max(1, workers) * CHUNKS_PER_WORKER)))
    return [list(arguments[i : i + size]) for i in range(0, len(arguments), size)]


@dataclass(frozen=True)
class Done:
    """How far a handle's work is: tasks finished of the total."""

    done: int
    total: int


class Handle(Generic[R]):
    """Work submitted to the engine: its result, its progress, and a way to stop it.

    ``result(timeout)`` blocks (``TimeoutError`` when it is not done in time,
    ``concurrent.futures.CancelledError`` after :meth:`cancel`, else the task's own
    exception); from async code ``await handle`` instead. :attr:`future` is the
    ``concurrent.futures.Future`` of the result, for ``add_done_callback``.
    """

    def __init__(self, total: int, on_progress: Progress | None = None) -> None:
        self.future: concurrent.futures.Future[R] = concurrent.futures.Future()
        self.backend = ""
        self._total = total
        self._done = 0
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self._stop: Callable[[], object] = _nothing

    @property
    def progress(self) -> Done:
        return Done(self._done, self._total)

    def advance(self, tasks: int) -> None:
        """``tasks`` more are finished (called by the backends)."""
        with self._lock:
            self._done += tasks
            done = self._done
        if self._on_progress is not None:
            self._on_progress(done, self._total)

    def result(self, timeout: float | None = None) -> R:
        return self.future.result(timeout)

    def done(self) -> bool:
        return self.future.done()

    def cancel(self) -> bool:
        """Stop the work (see the module for what each backend stops); False when it had
        finished already."""
        if self.future.done():
            return False
        self._stop()
        self.future.cancel()
        return True

    def __await__(self) -> Generator[Any, None, R]:
        return asyncio.wrap_future(self.future).__await__()

    def settle(self, outcome: concurrent.futures.Future[R]) -> None:
        """Take the outcome of the backend's future (a result, an exception or a cancel)."""
        self._stop = _nothing  # nothing left to stop: what it held can go
        if outcome.cancelled():
            self.future.cancel()
            return
        error = outcome.exception()
        with contextlib.suppress(concurrent.futures.InvalidStateError):  # cancelled meanwhile
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(outcome.result())

    def stop_with(self, stop: Callable[[], object]) -> None:
        self._stop = stop


class Backend(Protocol):
    """Where chunks run: each backend starts a sweep's chunks and answers a future of their
    combined result."""

    name: str

    @property
    def workers(self) -> int: ...

    def run(
        self,
        handle: Handle[Any],
        fn: Callable[..., Any],
        parts: list[list[tuple[Any, ...]]],
        combine: Callable[[list[Any]], S],
    ) -> concurrent.futures.Future[S]:
        """Start the chunks; the future of ``combine`` of their answers. Progress goes to
        ``handle``, and so does the way to stop them."""
        ...

    def close(self) -> None: ...


class LocalBackend:
    """Chunks in the slots of a :class:`JobPool`, at most its workers at once.

    In the server the pool is the app's and ``loop`` its event loop; elsewhere (the command
    line, benchmarks, tests) the backend runs the pool on a loop of its own, in a thread.
    """

    name = "local"

    def __init__(self, pool: JobPool, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.pool = pool
        self.retried = 0
        self._loop = loop
        self._thread: threading.Thread | None = None

    @property
    def workers(self) -> int:
        return self.pool.workers

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run on ``loop`` from now on (the app's, as it starts)."""
        self._loop = loop

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=loop.run_forever, name="gremium-engine", daemon=True
            )
            self._thread.start()
            self._loop = loop
        return self._loop

    def run(
        self,
        handle: Handle[Any],
        fn: Callable[..., Any],
        parts: list[list[tuple[Any, ...]]],
        combine: Callable[[list[Any]], S],
    ) -> concurrent.futures.Future[S]:
        running = asyncio.run_coroutine_threadsafe(
            self._sweep(handle, fn, parts, combine), self._running_loop()
        )
        handle.stop_with(running.cancel)  # cancels the coroutine: the pool kills the slots
        return running

    async def _sweep(
        self,
        handle: Handle[Any],
        fn: Callable[..., Any],
        parts: list[list[tuple[Any, ...]]],
        combine: Callable[[list[Any]], S],
    ) -> S:
        slots = asyncio.Semaphore(self.pool.workers)

        async def one(chunk: list[tuple[Any, ...]]) -> list[Any]:
            async with slots:
                found = await self._chunk(fn, chunk)
            handle.advance(len(chunk))
            return found

        async with asyncio.TaskGroup() as group:  # one failure cancels the other chunks
            running = [group.create_task(one(chunk)) for chunk in parts]
        answers = [answer for task in running for answer in task.result()]
        return await asyncio.to_thread(combine, answers)

    async def _chunk(self, fn: Callable[..., Any], chunk: list[tuple[Any, ...]]) -> list[Any]:
        """One chunk in a slot: again when its worker died, after a wait when requests fill
        the pool (the sweep never takes more slots than the pool has workers)."""
        attempt = 0
        while True:
            try:
                return await self.pool.run(None, run_chunk, fn, chunk)
            except ApiError as exc:
                if exc.kind.slug == "overloaded":
                    await asyncio.sleep(min(1.0, self.pool.retry_after()))
                    continue
                if exc.kind.slug != "worker-lost" or attempt >= RETRIES:
                    raise
                attempt += 1
                self.retried += 1
                logger.warning("a pool worker died under a sweep chunk; running it again")

    def close(self) -> None:
        """Stop the pool when it is this backend's own (the app closes its own pool)."""
        loop, thread = self._loop, self._thread
        if thread is None or loop is None:
            return
        asyncio.run_coroutine_threadsafe(asyncio.to_thread(self.pool.close), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        self._loop = self._thread = None


class DaskBackend:
    """Chunks as tasks on a Dask cluster through one ``distributed.Client``.

    A thread per sweep follows its chunks as they complete (progress, then ``combine``).
    When the scheduler goes away midway, Dask cancels the client's futures; the unfinished
    chunks are then run by ``fallback`` (the local pool) and the sweep completes there.
    """

    name = "dask"

    def __init__(
        self, client: Any, fallback: Callable[[], Backend], on_lost: Callable[[], None]
    ) -> None:
        self.client = client
        self._fallback = fallback
        self._on_lost = on_lost

    @classmethod
    def connect(
        cls,
        address: str,
        fallback: Callable[[], Backend],
        on_lost: Callable[[], None],
        timeout: float = CONNECT_SECONDS,
    ) -> DaskBackend:
        """A client of the scheduler at ``address``; :class:`ClusterUnavailable` when it does
        not answer within ``timeout`` seconds."""
        from distributed import Client  # imported here: a local-only service never loads Dask

        try:
            client = Client(  # type: ignore[no-untyped-call]
                address, timeout=timeout, set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            raise ClusterUnavailable(f"scheduler {address} does not answer: {exc}") from exc
        return cls(client, fallback, on_lost)

    @property
    def connected(self) -> bool:
        return bool(self.client.status == "running")

    @property
    def workers(self) -> int:
        """Worker threads on the cluster now (1 while it has none)."""
        try:
            threads: dict[str, int] = self.client.nthreads()
            return max(1, sum(threads.values()))
        except (OSError, TimeoutError):
            return 1

    def run(
        self,
        handle: Handle[Any],
        fn: Callable[..., Any],
        parts: list[list[tuple[Any, ...]]],
        combine: Callable[[list[Any]], S],
    ) -> concurrent.futures.Future[S]:
        futures = self.client.map(run_chunk, [fn] * len(parts), parts, retries=RETRIES, pure=False)
        cancelled = threading.Event()

        def stop() -> None:
            cancelled.set()
            self.client.cancel(futures, force=True)

        handle.stop_with(stop)
        outcome: concurrent.futures.Future[S] = concurrent.futures.Future()
        threading.Thread(
            target=self._follow,
            args=(handle, fn, parts, combine, futures, cancelled, outcome),
            name="gremium-sweep",
            daemon=True,
        ).start()
        return outcome

    def _follow(
        self,
        handle: Handle[Any],
        fn: Callable[..., Any],
        parts: list[list[tuple[Any, ...]]],
        combine: Callable[[list[Any]], S],
        futures: list[Any],
        cancelled: threading.Event,
        outcome: concurrent.futures.Future[S],
    ) -> None:
        from distributed import as_completed

        answers: list[list[Any] | None] = [None] * len(parts)
        where = {future.key: i for i, future in enumerate(futures)}
        try:
            try:
                for future in as_completed(futures, loop=self.client.loop):  # type: ignore[no-untyped-call]
                    if future.cancelled():
                        continue  # by us (cancelled is set) or by a lost scheduler: below
                    i = where[future.key]
                    answers[i] = future.result()
                    handle.advance(len(parts[i]))
            finally:  # the answers are here (or one failed): the cluster forgets the sweep now
                if self.connected:
                    self.client.cancel(futures, force=True)
            if cancelled.is_set():
                return
            missing = [i for i, found in enumerate(answers) if found is None]
            if missing:
                self._on_lost()
                answers = self._finish_locally(handle, fn, parts, answers, missing)
            outcome.set_result(combine([a for found in answers if found for a in found]))
        except BaseException as exc:  # the task's own error, or the fallback's
            outcome.set_exception(exc)

    def _finish_locally(
        self,
        handle: Handle[Any],
        fn: Callable[..., Any],
        parts: list[list[tuple[Any, ...]]],
        answers: list[list[Any] | None],
        missing: list[int],
    ) -> list[list[Any] | None]:
        logger.warning(
            "lost the Dask scheduler during a sweep: %d of %d chunks run on the local pool",
            len(missing),
            len(parts),
        )
        local = self._fallback()
        flat = [arguments for i in missing for arguments in parts[i]]
        # the same handle: progress goes on, and cancelling it now stops the local chunks
        done: list[Any] = local.run(handle, fn, chunks(flat, local.workers), _flat).result()
        found = iter(done)
        return [
            [next(found) for _ in parts[i]] if i in missing else answers[i]
            for i in range(len(parts))
        ]

    def close(self) -> None:
        self.client.close()


class Engine:
    """The one interface: :meth:`submit` and :meth:`map` on the cluster when one is configured
    and answers, on the local pool otherwise (see the module).

    :meth:`submit` and :meth:`map` may wait for the scheduler (connecting, counting its
    workers): from async code, call them in a thread (``await asyncio.to_thread(engine.map,
    …)``), then ``await`` the handle."""

    def __init__(
        self,
        local: Backend,
        cluster: str | None = None,
        connect: Callable[..., DaskBackend] = DaskBackend.connect,
        reconnect_seconds: float = RECONNECT_SECONDS,
    ) -> None:
        self.local = local
        self.cluster = cluster
        self.fallbacks = 0
        self.tasks = 0
        self._connect = connect
        self.reconnect_seconds = reconnect_seconds
        self._dask: DaskBackend | None = None
        self._tried = -math.inf
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., R], *args: Any) -> Handle[R]:
        """``fn(*args)`` as one task (progress 0/1, then 1/1)."""
        return self.map(fn, [args], combine=operator.itemgetter(0))

    def map(
        self,
        fn: Callable[..., Any],
        arguments: Sequence[tuple[Any, ...]],
        *,
        combine: Callable[[list[Any]], S] = list,  # type: ignore[assignment]
        on_progress: Progress | None = None,
    ) -> Handle[S]:
        """``fn(*a)`` for each ``a`` of ``arguments``, in chunks, then ``combine`` of the answers
        in order (by default the list of them). ``on_progress(done, total)`` is called from a
        worker thread as chunks finish."""
        handle: Handle[S] = Handle(len(arguments), on_progress)
        backend = self.backend()
        handle.backend = backend.name
        self.tasks += len(arguments)
        if not arguments:
            handle.future.set_result(combine([]))
            return handle
        parts = chunks(arguments, backend.workers)
        backend.run(handle, fn, parts, combine).add_done_callback(handle.settle)
        return handle

    def backend(self) -> Backend:
        """The cluster when one is configured and connected (tried again at most every
        ``reconnect_seconds``), else the local pool: each fallback logged and counted."""
        if self.cluster is None:
            return self.local
        with self._lock:
            if self._dask is not None and not self._dask.connected:
                self._dask.close()
                self._dask = None
            now = time.monotonic()
            if self._dask is None and now - self._tried >= self.reconnect_seconds:
                self._tried = now
                try:
                    self._dask = self._connect(self.cluster, lambda: self.local, self._lost)
                    logger.info("engine: Dask scheduler %s connected", self.cluster)
                except ClusterUnavailable as exc:
                    logger.warning("engine: %s; running on the local pool", exc)
            if self._dask is not None:
                return self._dask
            self.fallbacks += 1
            return self.local

    def _lost(self) -> None:
        with self._lock:
            self.fallbacks += 1

    @property
    def state(self) -> str:
        """For readiness and the start-up line: where work runs now."""
        if self.cluster is None:
            return f"local pool, {self.local.workers} worker(s)"
        if self._dask is not None and self._dask.connected:
            return f"Dask {self.cluster}, {self._dask.workers} worker thread(s)"
        return f"local pool (Dask {self.cluster} unreachable)"

    def close(self) -> None:
        with self._lock:
            if self._dask is not None:
                self._dask.close()
                self._dask = None
        self.local.close()


def make_engine(
    settings: Settings, pool: JobPool, loop: asyncio.AbstractEventLoop | None = None
) -> Engine:
    """The engine the settings ask for, over ``pool`` (and ``loop``, the app's, in a server)."""
    return Engine(LocalBackend(pool, loop), settings.cluster)
