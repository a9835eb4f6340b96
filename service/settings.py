"""The service's configuration: a function of an injected mapping (``os.environ`` in production,
a plain dict in tests), so nothing reads the environment behind the caller's back.

Every variable is optional; :data:`VARIABLES` documents each one (the README table is built from
it). A bad value is reported with every other bad value at once, as :class:`InvalidInput` whose
pointers are the variable names.
"""

from __future__ import annotations

import difflib
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal
from urllib.parse import urlsplit

from models.errors import InvalidInput, Problem

PoolKind = Literal["process", "thread"]
DEFAULT_PORTS = {"http": 80, "https": 443}


def cpu_count() -> int:
    """Cores this process may run on (not the host's total, which a container may hide)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the service can be told; defaults suit one consultant's laptop."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    read_keys: tuple[str, ...] = field(default=(), repr=False)
    cors_origins: tuple[str, ...] = ()
    rate_limit: int = 600
    trusted_proxies: tuple[str, ...] = ()
    redis_url: str | None = field(default=None, repr=False)
    database_url: str | None = field(default=None, repr=False)
    cluster: str | None = None
    replica: str = field(default_factory=socket.gethostname)
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
    pool_workers: int = field(default_factory=cpu_count)
    pool_queue: int | None = None
    pool_recycle_mb: float = 1024.0
    max_cells: int = 2_000_000
    max_response_bytes: int = 100_000_000
    shutdown_grace: int = 10
    access_log: bool = True
    store: str = ".gremium/store.sqlite3"

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
        problems += _key_problems(values.get("api_keys", ()), values.get("read_keys", ()))
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
    if not raw.startswith(("postgresql://", "postgresql+psycopg://", "sqlite://", "sqlite+")):
        raise ValueError("expected a postgresql:// or sqlite:// URL")
    return raw


def _scheduler(raw: str) -> str:
    """A Dask scheduler address: ``tcp://host:port`` (the scheme may be left out)."""
    address = raw if "://" in raw else f"tcp://{raw}"
    scheme, _, location = address.partition("://")
    host, colon, port = location.rpartition(":")
    if scheme not in ("tcp", "tls", "ws", "wss") or not colon or not host or not port.isdigit():
        raise ValueError(f"expected a scheduler address such as tcp://scheduler:8786, got {raw!r}")
    return address


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


def _key_problems(full: tuple[str, ...], read: tuple[str, ...]) -> list[Problem]:
    """Read keys only make sense beside full keys, and a key is one or the other."""
    name = env_name("read_keys")
    if read and not full:
        return [Problem(name, "read keys need GREMIUM_API_KEYS too: without full keys /v1 is open")]
    if set(full) & set(read):
        return [Problem(name, "a key is either a full key (GREMIUM_API_KEYS) or a read key")]
    return []


def _origin(raw: str) -> str:
    """One browser origin as browsers send it in ``Origin``: ``scheme://host[:port]``, lower
    case, without a default port; a trailing slash is dropped. Anything with a path, a query,
    a fragment or credentials is refused: no browser would ever send it, so every call from
    the portal would fail."""
    if raw == "*":
        return raw
    origin = raw.removesuffix("/")
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not an origin ({exc})") from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(f"{raw!r} is not an origin: expected http(s)://host[:port]")
    if parts.path or parts.query or parts.fragment or "#" in origin or "?" in origin:
        raise ValueError(
            f"{raw!r} is not an origin: an origin has no path, query or fragment "
            f"(did you mean {parts.scheme}://{parts.netloc}?)"
        )
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{raw!r} is not an origin: an origin has no user or password")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[parts.scheme]:
        netloc += f":{port}"
    return f"{parts.scheme}://{netloc}"


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(dict.fromkeys(_origin(item) for item in _items(raw)))
    if "*" in origins and len(origins) > 1:
        raise ValueError("'*' allows every origin: list origins or '*', not both")
    return origins


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
    "read_keys": (
        _items,
        _keys,
        "Comma-separated read-only API keys (16+ characters each; needs GREMIUM_API_KEYS): "
        "such a key may only read stored recommendations (`GET /v1/recommendations/{id}`), "
        "anything else is 403 `forbidden`. The key for a portal's browser code.",
    ),
    "cors_origins": (
        _origins,
        _always,
        "Comma-separated browser origins allowed by CORS (the portal), each "
        "`scheme://host[:port]` as the browser sends it in `Origin` (a trailing slash is "
        "dropped, a path refused), or `*` for any.",
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
    "database_url": (
        _database_url,
        _always,
        "PostgreSQL (`postgresql://user:password@db:5432/gremium`) for the recommendations and "
        "jobs, shared by every replica; unset: the SQLite file of `GREMIUM_STORE`. Never printed "
        "with its password.",
    ),
    "cluster": (
        _scheduler,
        _always,
        "Dask scheduler (`tcp://scheduler:8786`) that runs sweeps and jobs on `gremium worker` "
        "processes; unset, or while it does not answer: the local pool (logged and counted "
        "in `gremium_engine_fallbacks`).",
    ),
    "replica": (
        str,
        _always,
        "This replica's name, the `replica` label of every metric (so a Prometheus scraping "
        "every replica can sum them); default: the host name (a pod's name in Kubernetes).",
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
        "Most numbers a simulation's trajectory holds (stakeholders × issues × recorded "
        "rounds: a longer one is thinned, every k-th round kept, and says so; 422 when the "
        "first and the last round alone exceed it) or a Monte Carlo may draw (draws × "
        "stakeholders × issues; 422 above).",
    ),
    "max_response_bytes": (
        _integer,
        _at_least(10_000),
        "Largest answer of a job (a solve, lint, simulation, Monte Carlo …) in bytes; a larger "
        "one is refused with 422 naming the limit and its size (a backstop: the trajectory "
        "is already thinned to max_cells, but a simulation's total influence matrix grows "
        "with the square of the stakeholders).",
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
        "keep them only while the process runs.",
    ),
}
