"""The store of recommendations and jobs: SQLAlchemy Core, one code path for the embedded SQLite
file (the default) and a PostgreSQL database shared by replicas (``GREMIUM_DATABASE_URL``).

A recommendation's id is the first 16 hex digits of the SHA-256 of the canonical JSON (sorted
keys, no whitespace) of the request that produced it, with built-in references resolved: the
same request gives the same id, so storing is idempotent (insert-or-ignore, ``ON CONFLICT DO
NOTHING``: two replicas writing the same recommendation at once both succeed, the first row
stays) and the portal's links stay stable. Beside each recommendation the store keeps the
request it answers, so that a person's formats (the HTML fragment, the workbook) can use the
scenario's names; a recommendation stored before that shows ids.

A job (:class:`JobRow`) is a row its server updates as the job runs: status, progress, a
heartbeat (``seen``), and at the end the answer's bytes or its problem. What the statuses mean
and when a job counts as lost is :mod:`service.background`'s business; the store only keeps
the rows.

The schema is versioned by Alembic (``service/migrations``); the first use of a store brings
it to the newest revision (``gremium migrate`` does the same on purpose). A SQLite file from
before Alembic (the three tables, no version) is recognised and carried forward without loss.

A store that cannot be used — a file that is not a database or is damaged, a directory or file
that cannot be written, a full disk, a database server that does not answer — raises
:class:`StoreUnavailable` with the driver's or the system's reason (a 503 at the edge).
:meth:`Store.check` finds out without storing anything: ``gremium serve`` calls it before
listening, ``/readyz`` on every probe, and a recommendation before its solve, so that minutes of
solving are not lost to a store that cannot keep them. After a failure the connections are
dropped, so a store the operator repairs, or a database server that comes back, works again.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from time import time
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from models.discussion.types import Discussion
from models.governance.types import Recommendation
from models.raci.types import Scenario, SolveOptions

MEMORY = ":memory:"
ID_PATTERN = r"^[0-9a-f]{16}$"
#: The statuses of a job that has not ended.
UNFINISHED = ("queued", "running")

_encoder = msgspec.json.Encoder(order="sorted")
_decoder = msgspec.json.Decoder(Recommendation)

metadata = sa.MetaData()
recommendations = sa.Table(
    "recommendations",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("body", sa.LargeBinary),
)
requests = sa.Table(
    "requests",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("body", sa.LargeBinary),
)
probe = sa.Table(
    "probe",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", sa.Float),
)
jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("caller", sa.Text, nullable=False),
    sa.Column("operation", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("seen", sa.Float, nullable=False),
    sa.Column("started", sa.Float),
    sa.Column("finished", sa.Float),
    sa.Column("budget", sa.Float, nullable=False),
    sa.Column("progress", sa.Float),
    sa.Column("media_type", sa.Text, nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("headers", sa.LargeBinary),
    sa.Column("result", sa.LargeBinary),
    sa.Column("problem", sa.LargeBinary),
    sa.Index("jobs_by_caller", "caller", "status"),
)


class StoredRequest(msgspec.Struct, frozen=True):
    """The part of a stored request that the store reads back: what a person's formats need
    (the scenario's names; the deck also solves and simulates again)."""

    scenario: Scenario
    discussion: Discussion | None = None
    options: SolveOptions = SolveOptions()


_inputs = msgspec.json.Decoder(StoredRequest)
_headers = msgspec.json.Decoder(dict[str, str])


def content_id(request: Any) -> str:
    """The stable id of ``request`` (any msgspec-encodable value): 16 hex digits of SHA-256."""
    return hashlib.sha256(_encoder.encode(request)).hexdigest()[:16]


@dataclass(frozen=True)
class JobRow:
    """A job as the store keeps it; ``result`` and ``problem`` are encoded bodies."""

    id: str
    caller: str
    operation: str
    status: str
    owner: str
    created: float
    seen: float
    budget: float
    media_type: str
    started: float | None = None
    finished: float | None = None
    progress: float | None = None
    status_code: int | None = None
    headers: Mapping[str, str] | None = None
    result: bytes | None = None
    problem: bytes | None = None


def _reason(exc: Exception) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else repr(exc.orig)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


class StoreUnavailable(Exception):
    """The store cannot be read or written; the message names the store and the reason."""


def url_of(location: str) -> sa.URL:
    """The SQLAlchemy URL of ``location``: a URL as it is (``postgresql://`` uses psycopg 3),
    else a SQLite file path or ``:memory:``."""
    if "://" not in location:
        return sa.URL.create("sqlite", database=None if location == MEMORY else location)
    url = make_url(location)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


class Store:
    """Recommendations and jobs, in the database at ``location``: a SQLAlchemy URL
    (``postgresql://user@host/db``, ``sqlite:///path``), a SQLite file path, or ``:memory:``."""

    def __init__(self, location: str) -> None:
        self.url = url_of(location)
        self.name = location if "://" not in location else self.url.render_as_string()
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        # In memory there is one SQLite connection, which threads must take in turn (at the
        # same time, sqlite3 can crash); elsewhere each thread has a connection of its own.
        memory = self.dialect == "sqlite" and self.url.database in (None, "", MEMORY)
        self._turn: AbstractContextManager[Any] = threading.Lock() if memory else nullcontext()

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def _connect(self) -> Engine:
        """The engine, created on first use (an app that never stores creates no file) with the
        schema migrated to the newest revision."""
        with self._lock:
            if self._engine is None:
                engine = self._create_engine()
                try:
                    from .migrations import upgrade  # Alembic loads only where a store is used

                    with engine.begin() as connection:
                        upgrade(connection)
                except BaseException:
                    engine.dispose()
                    raise
                self._engine = engine
            return self._engine

    def _create_engine(self) -> Engine:
        if self.dialect != "sqlite":
            # pre-ping: a connection the server dropped (a restart) is replaced, not used;
            # connect within five seconds: an unreachable server is a quick 503, not a hang
            return sa.create_engine(
                self.url, pool_pre_ping=True, connect_args={"connect_timeout": 5}
            )
        database = self.url.database
        if database in (None, "", MEMORY):  # one connection, or each would see its own database
            return sa.create_engine(
                self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        return sa.create_engine(self.url, connect_args={"timeout": 10})

    @contextmanager
    def _using(self) -> Iterator[Connection]:
        """A connection in a transaction, committed at the end; the driver's and the system's
        errors as :class:`StoreUnavailable`."""
        try:
            with self._turn, self._connect().begin() as connection:
                yield connection
        except (SQLAlchemyError, OSError) as exc:
            self.close()
            raise StoreUnavailable(f"store {self.name}: {_reason(exc)}") from None
        except Exception as exc:  # Alembic's own errors (a database newer than this code)
            if type(exc).__module__.startswith("alembic"):
                self.close()
                raise StoreUnavailable(f"store {self.name}: {exc}") from None
            raise

    def _insert(self, table: sa.Table) -> Any:
        """The dialect's INSERT, which knows ``ON CONFLICT``."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    def migrate(self) -> str:
        """Bring the schema to the newest revision (the first use does it too); returns it."""
        from .migrations import current

        with self._using() as connection:
            return current(connection)

    def check(self, thorough: bool = False) -> None:
        """Read the schema and write one probe row, as a recommendation would; ``thorough``
        also checks the integrity of every page of a SQLite file (at start: it reads it all)."""
        with self._using() as connection:
            connection.execute(sa.select(sa.func.count()).select_from(recommendations))
            if thorough and self.dialect == "sqlite":
                (verdict,) = connection.exec_driver_sql("PRAGMA quick_check(1)").one()
                if verdict != "ok":
                    raise StoreUnavailable(f"store {self.name}: damaged: {verdict}")
            insert = self._insert(probe).values(id=1, at=time())
            connection.execute(
                insert.on_conflict_do_update(index_elements=["id"], set_={"at": time()})
            )

    def save(self, request: Any, recommendation: Recommendation) -> str:
        """Store ``recommendation`` under the id of ``request`` (a second save keeps the first);
        returns the id."""
        key = content_id(request)
        with self._using() as connection:
            for table, value in ((recommendations, recommendation), (requests, request)):
                insert = self._insert(table).values(id=key, body=_encoder.encode(value))
                connection.execute(insert.on_conflict_do_nothing(index_elements=["id"]))
        return key

    def get(self, key: str) -> Recommendation | None:
        """The recommendation stored under ``key``, or None."""
        query = sa.select(recommendations.c.body).where(recommendations.c.id == key)
        with self._using() as connection:
            body = connection.execute(query).scalar_one_or_none()
        return None if body is None else _decoder.decode(body)

    def scenario(self, key: str) -> Scenario | None:
        """The scenario of the request stored under ``key`` (None: unknown, or stored before
        requests were kept)."""
        request = self.request(key)
        return None if request is None else request.scenario

    def request(self, key: str) -> StoredRequest | None:
        """The request stored under ``key`` (None: unknown, or stored before requests were
        kept)."""
        with self._using() as connection:
            query = sa.select(requests.c.body).where(requests.c.id == key)
            body = connection.execute(query).scalar_one_or_none()
        return None if body is None else _inputs.decode(body)

    def add_job(self, job: JobRow) -> None:
        """Keep a new job."""
        with self._using() as connection:
            connection.execute(jobs.insert().values(**_columns(job)))

    def job(self, key: str) -> JobRow | None:
        """The job ``key``, or None."""
        with self._using() as connection:
            row = connection.execute(sa.select(jobs).where(jobs.c.id == key)).one_or_none()
        if row is None:
            return None
        values = row._asdict()
        if values["headers"] is not None:
            values["headers"] = _headers.decode(values["headers"])
        return JobRow(**values)

    def update_job(self, key: str, only_if: tuple[str, ...] = UNFINISHED, **values: Any) -> bool:
        """Change the job ``key`` if its status is one of ``only_if`` (a finished job stays as
        it ended); returns whether it changed."""
        if "headers" in values and values["headers"] is not None:
            values["headers"] = _encoder.encode(values["headers"])
        update = jobs.update().where(jobs.c.id == key, jobs.c.status.in_(only_if))
        with self._using() as connection:
            return connection.execute(update.values(**values)).rowcount > 0

    def heartbeat(self, owner: str, at: float) -> set[str]:
        """Mark ``owner``'s unfinished jobs seen ``at``; returns the ids of its jobs that
        someone cancelled in the store (another replica's ``DELETE``) but that still run."""
        with self._using() as connection:
            connection.execute(
                jobs.update().where(jobs.c.owner == owner, jobs.c.status.in_(UNFINISHED)),
                {"seen": at},
            )
            query = sa.select(jobs.c.id).where(jobs.c.owner == owner, jobs.c.status == "cancelled")
            return set(connection.execute(query).scalars())

    def unfinished_jobs(self, caller: str, seen_since: float) -> int:
        """How many of ``caller``'s jobs are queued or running on a server still alive (one
        seen since ``seen_since``)."""
        query = (
            sa.select(sa.func.count())
            .select_from(jobs)
            .where(
                jobs.c.caller == caller,
                jobs.c.status.in_(UNFINISHED),
                jobs.c.seen >= seen_since,
            )
        )
        with self._using() as connection:
            return int(connection.execute(query).scalar_one())

    def delete_jobs(self, ended_before: float) -> int:
        """Delete the jobs that ended before ``ended_before`` (``time.time()``); how many."""
        delete = jobs.delete().where(jobs.c.finished < ended_before)
        with self._using() as connection:
            return connection.execute(delete).rowcount

    def close(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose()


def _columns(job: JobRow) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in JobRow.__dataclass_fields__}
    if job.headers is not None:
        values["headers"] = _encoder.encode(dict(job.headers))
    return values
