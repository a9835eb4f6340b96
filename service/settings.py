"""The service's configuration: a function of an injected mapping (``os.environ`` in production,
a plain dict in tests), so nothing reads the environment behind the caller's back.

Every variable is optional; :data:`VARIABLES` documents each one (the README table is built from
it). A bad value is reported with every other bad value at once, as :class:`InvalidInput` whose
pointers are the variable names.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from models.errors import InvalidInput, Problem

PoolKind = Literal["process", "thread"]


def _cpu_count() -> int:
    """Cores this process may run on (not the host's total, which a container may hide)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the service can be told; defaults suit one consultant's laptop."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    cors_origins: tuple[str, ...] = ()
    rate_limit: int = 600
    trusted_proxies: tuple[str, ...] = ()
    redis_url: str | None = field(default=None, repr=False)
    max_body_bytes: int = 1_000_000
    max_header_bytes: int = 16_384
    read_timeout: float = 10.0
    keep_alive_timeout: int = 5
    max_connections: int = 1000
    max_roles: int = 100
    max_activities: int = 500
    max_stakeholders: int = 1000
    max_rounds: int = 10_000
    max_draws: int = 10_000
    max_time_limit: float = 30.0
    pool: PoolKind = "process"
    pool_workers: int = field(default_factory=_cpu_count)
    pool_queue: int | None = None
    pool_recycle_mb: float = 1024.0
    max_cells: int = 2_000_000
    shutdown_grace: int = 10
    access_log: bool = True
    store: str = ".gremium/store.sqlite3"
    database_url: str | None = field(default=None, repr=False)
    max_job_seconds: float = 600.0
    max_queued_jobs: int = 8
    job_retention_days: float = 7.0

    @property
    def store_location(self) -> str:
        """Where recommendations and jobs are kept: the database URL, else the SQLite file."""
        return self.database_url or self.store

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read ``GREMIUM_*`` variables; unset ones keep their defaults, and one that sets
        nothing (a misspelt name) is an error like a bad value."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for item in fields(cls):
            name = env_name(item.name)
            raw = environ.get(name)
            if raw is None or raw.strip() == "":
                continue
            parse, check, _ = VARIABLES[item.name]
            try:
                value = parse(raw.strip())
            except ValueError as exc:
                problems.append(Problem(name, str(exc)))
                continue
            if (message := check(value)) is not None:
                problems.append(Problem(name, message))
            values[item.name] = value
        known = {env_name(item.name) for item in fields(cls)}
        for name in sorted(n for n in environ if n.startswith("GREMIUM_") and n not in known):
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(Problem(name, f"no such setting{hint}"))
        if problems:
            raise InvalidInput(problems)
        return cls(**values)

    @property
    def pool_capacity(self) -> int:
        """Jobs admitted at once: running plus waiting (a queue as long as the pool by default)."""
        queue = self.pool_workers if self.pool_queue is None else self.pool_queue
        return self.pool_workers + queue


def env_name(attribute: str) -> str:
    """The environment variable that sets one attribute: ``max_roles`` -> ``GREMIUM_MAX_ROLES``."""
    return "GREMIUM_" + attribute.upper()


def _integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"expected an integer, got {raw!r}") from None


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"expected a number, got {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"expected a finite number, got {raw!r}")
    return value


def _boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def _items(raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _redis_url(raw: str) -> str:
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("expected a redis://, rediss:// or unix:// URL")
    return raw


def _database_url(raw: str) -> str:
    if not raw.startswith(("postgresql://", "postgresql+psycopg://", "sqlite://")):
        raise ValueError("expected a postgresql:// (or sqlite://) URL")
    return raw


def _pool(raw: str) -> PoolKind:
    if raw == "process":
        return "process"
    if raw == "thread":
        return "thread"
    raise ValueError(f"expected 'process' or 'thread', got {raw!r}")


def _at_least(low: float) -> Callable[[Any], str | None]:
    return lambda value: None if value >= low else f"must be at least {low:g}"


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    return lambda value: None if low <= value <= high else f"must be between {low:g} and {high:g}"


def _keys(value: tuple[str, ...]) -> str | None:
    return None if all(len(key) >= 16 for key in value) else "every key needs 16 characters or more"


def _always(_value: Any) -> str | None:
    return None


# attribute -> (parse, check, description): the single source of the configuration docs.
VARIABLES: dict[str, tuple[Callable[[str], Any], Callable[[Any], str | None], str]] = {
    "host": (str, _always, "Address `gremium serve` binds to."),
    "port": (_integer, _between(1, 65535), "TCP port `gremium serve` listens on."),
    "workers": (_integer, _between(1, 64), "Uvicorn worker processes."),
    "api_keys": (
        _items,
        _keys,
        "Comma-separated API keys (16+ characters each). When set, every /v1 call needs one "
        "in `X-API-Key`; unset, the API is open.",
    ),
    "cors_origins": (
        _items,
        _always,
        "Comma-separated browser origins allowed by CORS (the portal).",
    ),
    "rate_limit": (
        _integer,
        _at_least(0),
        "Requests per minute per API key, and per client address for requests without a valid "
        "key (failed authentication counts too); 0 = unlimited.",
    ),
    "trusted_proxies": (
        _items,
        _always,
        "Comma-separated addresses or networks (`10.0.0.0/8`) of reverse proxies whose "
        "`X-Forwarded-For` names the client; from anyone else the header is ignored.",
    ),
    "redis_url": (
        _redis_url,
        _always,
        "Redis for the rate-limit counters, shared by every worker and server "
        "(`redis://127.0.0.1:6379/0`); unset: in memory, per worker.",
    ),
    "max_body_bytes": (_integer, _at_least(1024), "Largest request body in bytes (413 above)."),
    "max_header_bytes": (
        _integer,
        _at_least(1024),
        "Largest request line plus headers in bytes (431 above, connection closed).",
    ),
    "read_timeout": (
        _number,
        _between(0.1, 3600),
        "Seconds a client has to send a whole request, headers and body (408 after, connection "
        "closed): slow clients cannot hold connections open.",
    ),
    "keep_alive_timeout": (
        _integer,
        _between(1, 3600),
        "Seconds an idle keep-alive connection stays open.",
    ),
    "max_connections": (
        _integer,
        _at_least(1),
        "Most connections and requests at once per server worker (503 above).",
    ),
    "max_roles": (_integer, _at_least(1), "Most roles in a RACI scenario or matrix (422 above)."),
    "max_activities": (
        _integer,
        _at_least(1),
        "Most activities in a RACI scenario or matrix (422 above).",
    ),
    "max_stakeholders": (_integer, _at_least(1), "Most stakeholders in a discussion (422 above)."),
    "max_rounds": (
        _integer,
        _at_least(1),
        "Most simulation rounds a request may ask for (422 above).",
    ),
    "max_draws": (
        _integer,
        _at_least(1),
        "Most Monte Carlo draws a request may ask for (422 above).",
    ),
    "max_time_limit": (
        _number,
        _between(0.1, 3600),
        "Cap in seconds on a request's time budget (`options.time_limit`, or this for requests "
        "without one): every solve, explanation, diagnosis and simulation of the request shares "
        "it; a request asking for more gets this.",
    ),
    "pool": (_pool, _always, "`process` (default) or `thread`: where solves and simulations run."),
    "pool_workers": (
        _integer,
        _between(1, 256),
        "Jobs that run at once per server worker; default: usable cores.",
    ),
    "pool_queue": (
        _integer,
        _at_least(0),
        "Jobs that may wait for a pool worker; beyond it a new job gets 503 + Retry-After. "
        "Default: as many as pool workers.",
    ),
    "pool_recycle_mb": (
        _number,
        _at_least(0),
        "A pool worker process whose resident memory exceeds this many MB after a job is "
        "replaced by a fresh one, so a heavy job's memory returns; 0 = never.",
    ),
    "max_cells": (
        _integer,
        _at_least(1000),
        "Most numbers a simulation may record (stakeholders × issues × recorded rounds) or a "
        "Monte Carlo may draw (draws × stakeholders × issues) (422 above).",
    ),
    "shutdown_grace": (
        _integer,
        _between(0, 3600),
        "Seconds a stopping server (SIGTERM) lets running requests finish before it stops "
        "their jobs and exits.",
    ),
    "access_log": (_boolean, _always, "Write one JSON line per request to stdout."),
    "store": (
        str,
        _always,
        "SQLite file of the stored recommendations (created and checked as `gremium serve` "
        "starts), or `:memory:` to "
        "keep them only while the process runs. Unused when GREMIUM_DATABASE_URL is set.",
    ),
    "database_url": (
        _database_url,
        _always,
        "A PostgreSQL database for recommendations and jobs, shared by every replica "
        "(`postgresql://gremium@db.example/gremium`, psycopg 3); unset: the SQLite file of "
        "GREMIUM_STORE. Never printed with its password.",
    ),
    "max_job_seconds": (
        _number,
        _between(0.1, 86_400),
        "Cap in seconds on a job's time budget (`options.time_limit`, or this for requests "
        "without one). A request whose time limit exceeds GREMIUM_MAX_TIME_LIMIT runs as a "
        "job (202).",
    ),
    "max_queued_jobs": (
        _integer,
        _at_least(1),
        "Jobs one caller (an API key; everyone together when no keys are set) may have queued "
        "or running at once (429 `too-many-jobs` above).",
    ),
    "job_retention_days": (
        _number,
        _at_least(0),
        "Days a job that has ended, and its result, stay in the store before they are "
        "deleted; 0 = kept for ever.",
    ),
}
