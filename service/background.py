"""Jobs: long requests run in the background, kept in the store, so that a client polls instead
of holding a connection open, and a finished result outlives the server that computed it.

    submit ──> queued ──> running ──> succeeded   the answer's bytes kept: GET /v1/jobs/{id}/result
                 │           ├──────> failed      the problem the request would have answered
                 └───────────┴──────> cancelled   DELETE /v1/jobs/{id}: the worker is killed
    queued or running, and its server not heard of for STALE s ──> failed, ``job-lost``

A job runs on its server's pool (:meth:`~service.pool.JobPool.run_admitted`) with its own
budget, counted from when it starts running. At most ``turns`` jobs run at once per server
(pool workers − 1, at least one), so interactive requests keep a worker; the others wait,
queued, first come first served. A caller may have ``max_queued`` jobs queued or running
(429 ``too-many-jobs`` beyond, checked under a lock on one server; replicas checking at the
same moment may each let one more through).

Every :data:`HEARTBEAT` s the server marks its unfinished jobs as seen, writes the progress
their work reported (:func:`service.jobs.report`), and stops those another replica cancelled
in the store. Once a minute it deletes the jobs that ended more than ``retention`` seconds
ago (GREMIUM_JOB_RETENTION_DAYS), with their results. A job whose server died (``kill -9``,
a lost machine) is no longer seen; the first read after :data:`STALE` s records it as failed
with ``job-lost``. A server that stops in order records its unfinished jobs as ``job-lost``
at once.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from .jobs import read_progress
from .problems import ApiError, to_problem
from .schemas import Job, ProblemDetails
from .store import UNFINISHED, JobRow, Store, StoreUnavailable

logger = logging.getLogger("gremium.jobs")

#: Seconds between a server's heartbeats.
HEARTBEAT = 1.0
#: Seconds without a heartbeat after which a queued or running job counts as lost.
STALE = 10.0
#: Heartbeats between two deletions of old jobs.
PURGE_EVERY = 60

_encoder = msgspec.json.Encoder()
_problem = msgspec.json.Decoder(ProblemDetails)


@dataclass(frozen=True)
class Answer:
    """A request's answer as the client receives it, and as a job keeps it."""

    body: bytes
    media_type: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


#: The work of a job: given its deadline (``time.monotonic()``) and the file its progress is
#: reported to, the answer.
Runner = Callable[[float, str], Awaitable[Answer]]


@dataclass
class _Local:
    """A job this server runs."""

    task: asyncio.Task[None]
    progress_file: str
    progress: float | None = None


def job_of(row: JobRow) -> Job:
    """The job resource of a stored job."""

    def when(at: float | None) -> datetime | None:
        return None if at is None else datetime.fromtimestamp(at, UTC)

    created = when(row.created)
    assert created is not None
    return Job(
        id=row.id,
        operation=row.operation,
        status=row.status,  # type: ignore[arg-type]  # the store keeps only JobStatus values
        created=created,
        started=when(row.started),
        finished=when(row.finished),
        budget=row.budget,
        progress=row.progress,
        media_type=row.media_type,
        result=f"/v1/jobs/{row.id}/result" if row.status == "succeeded" else None,
        problem=problem_of(row),
    )


def problem_of(row: JobRow) -> ProblemDetails | None:
    """Why a job failed or was cancelled."""
    return None if row.problem is None else _problem.decode(row.problem)


class Jobs:
    """The jobs of one server: submitted here, run on its pool, kept in ``store``."""

    def __init__(self, store: Store, turns: int, max_queued: int, retention: float = 0.0) -> None:
        self.store = store
        self.turns = turns
        self.max_queued = max_queued
        self.retention = retention  # seconds; 0: for ever
        self.owner = secrets.token_hex(8)  # this server, as long as it runs
        self._local: dict[str, _Local] = {}
        self._turns: asyncio.Semaphore | None = None
        self._admission: asyncio.Lock | None = None
        self._beat: asyncio.Task[None] | None = None
        self._folder: str | None = None

    def _started(self) -> tuple[asyncio.Semaphore, asyncio.Lock, str]:
        if self._turns is None or self._admission is None or self._folder is None:
            self._turns = asyncio.Semaphore(self.turns)
            self._admission = asyncio.Lock()
            self._folder = tempfile.mkdtemp(prefix="gremium-progress-")
            self._beat = asyncio.create_task(self._heartbeat())
        return self._turns, self._admission, self._folder

    async def submit(
        self, caller: str, operation: str, budget: float, media_type: str, runner: Runner
    ) -> JobRow:
        """Keep a new job for ``caller`` and start it; 429 ``too-many-jobs`` at the cap."""
        turns, admission, folder = self._started()
        async with admission:
            now = time.time()
            count = await asyncio.to_thread(self.store.unfinished_jobs, caller, now - STALE)
            if count >= self.max_queued:
                raise ApiError(
                    "too-many-jobs",
                    f"{count} of your jobs are queued or running, at most {self.max_queued}",
                    {"Retry-After": str(max(1, round(budget)))},
                )
            row = JobRow(
                id=secrets.token_hex(8),
                caller=caller,
                operation=operation,
                status="queued",
                owner=self.owner,
                created=now,
                seen=now,
                budget=budget,
                media_type=media_type,
            )
            await asyncio.to_thread(self.store.add_job, row)
        progress_file = str(Path(folder) / row.id)
        task = asyncio.create_task(self._execute(row, runner, turns, progress_file))
        self._local[row.id] = _Local(task, progress_file)
        return row

    async def _execute(
        self, row: JobRow, runner: Runner, turns: asyncio.Semaphore, progress_file: str
    ) -> None:
        key = row.id
        try:
            async with turns:
                started = await asyncio.to_thread(
                    self.store.update_job, key, status="running", started=time.time()
                )
                if not started:  # cancelled while it waited
                    return
                answer = await runner(time.monotonic() + row.budget, progress_file)
            await asyncio.to_thread(
                self.store.update_job,
                key,
                status="succeeded",
                finished=time.time(),
                progress=1.0,
                media_type=answer.media_type,
                status_code=answer.status,
                headers=dict(answer.headers),
                result=answer.body,
            )
        except asyncio.CancelledError:
            raise  # whoever cancelled it has recorded why
        except StoreUnavailable as exc:  # it will be reported lost once its heartbeat stops
            logger.error("job %s: the store failed: %s", key, exc)
        except Exception as exc:
            problem, _ = to_problem(exc, f"/v1/jobs/{key}", None)
            await self._end(key, "failed", problem)
        finally:
            self._local.pop(key, None)
            for path in (progress_file, f"{progress_file}.part"):
                Path(path).unlink(missing_ok=True)

    async def _end(self, key: str, status: str, problem: ProblemDetails) -> bool:
        """Record that the job ``key`` ended without a result; False if it had ended already."""
        return await asyncio.to_thread(
            self.store.update_job,
            key,
            status=status,
            finished=time.time(),
            status_code=problem.status,
            problem=_encoder.encode(problem),
        )

    async def get(self, key: str, caller: str) -> JobRow:
        """The job ``key`` of ``caller`` (404 for anyone else's: they need not know it exists);
        a job no server has seen for :data:`STALE` s is recorded as lost first."""
        row = await asyncio.to_thread(self.store.job, key)
        if row is None or row.caller != caller:
            raise ApiError("not-found", f"you have no job {key!r}")
        if row.status in UNFINISHED and row.seen < time.time() - STALE:
            last = datetime.fromtimestamp(row.seen, UTC).isoformat(timespec="seconds")
            lost = ApiError(
                "job-lost",
                f"the server running this job stopped (crashed or restarted) before it "
                f"finished: last seen {last}",
            )
            await self._end(key, "failed", to_problem(lost, f"/v1/jobs/{key}", None)[0])
            row = await asyncio.to_thread(self.store.job, key)
            assert row is not None
        return row

    async def cancel(self, key: str, caller: str) -> JobRow:
        """Cancel the job ``key`` if it has not ended (its worker is killed; on another replica,
        at that replica's next heartbeat); a job that has ended stays as it is."""
        row = await self.get(key, caller)
        if row.status in UNFINISHED:
            refusal = ApiError("job-cancelled", "cancelled by DELETE before it finished")
            await self._end(key, "cancelled", to_problem(refusal, f"/v1/jobs/{key}", None)[0])
            await self._stop(key)
            row = await self.get(key, caller)
        return row

    async def _stop(self, key: str) -> None:
        local = self._local.get(key)
        if local is not None:
            local.task.cancel()
            await asyncio.wait({local.task})

    async def wait(self, key: str, seconds: float) -> bool:
        """Wait up to ``seconds`` for this server's job ``key`` to end; whether it has."""
        local = self._local.get(key)
        if local is not None and seconds > 0:
            await asyncio.wait({local.task}, timeout=seconds)
        return key not in self._local

    async def _heartbeat(self) -> None:
        beats = 0
        while True:
            await asyncio.sleep(HEARTBEAT)
            beats += 1
            try:
                cancelled = await asyncio.to_thread(self._beat_once)
                if self.retention and beats % PURGE_EVERY == 0:
                    ended_before = time.time() - self.retention
                    await asyncio.to_thread(self.store.delete_jobs, ended_before)
            except StoreUnavailable as exc:
                logger.error("jobs heartbeat: %s", exc)
                continue
            for key in cancelled:
                await self._stop(key)

    def _beat_once(self) -> set[str]:
        """In a thread: mark this server's jobs seen, write their progress; returns the ids of
        those cancelled elsewhere."""
        for key, local in list(self._local.items()):
            share = read_progress(local.progress_file)
            if share is not None and share != local.progress:
                local.progress = share
                self.store.update_job(key, only_if=("running",), progress=share)
        return self.store.heartbeat(self.owner, time.time()) & set(self._local)

    async def close(self) -> None:
        """The server stops: its unfinished jobs are recorded as lost and stopped."""
        beat, self._beat = self._beat, None
        if beat is not None:
            beat.cancel()
        stopping = ApiError(
            "job-lost", "the server running this job stopped before the job finished"
        )
        for key in list(self._local):
            try:
                await self._end(key, "failed", to_problem(stopping, f"/v1/jobs/{key}", None)[0])
            except StoreUnavailable as exc:
                logger.error("job %s: %s", key, exc)
            await self._stop(key)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._turns = self._admission = self._folder = None
