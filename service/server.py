"""The HTTP server: uvicorn, with the connection-level defences its settings do not cover.

uvicorn reads requests with httptools and answers what it cannot parse itself, in plain text;
it closes idle keep-alive connections but never one that sends a request slowly, and httptools
takes headers of any size. :class:`Protocol` is uvicorn's own httptools protocol with:

* every answer the server gives on its own as problem details: a request it cannot parse
  (400 ``bad-framing``), one that does not arrive in full within ``read_timeout`` seconds
  (408 ``request-timeout``: the slow-loris defence), a request line and headers above
  ``max_header_bytes`` (431 ``headers-too-large``), a connection above ``max_connections``
  (503 ``overloaded``); each closes the connection;
* idle keep-alive connections closed after ``keep_alive_timeout`` (uvicorn's
  ``timeout_keep_alive``).

uvicorn's own ``limit_concurrency`` would answer its 503 in plain text, so the cap on
connections is checked here, as a connection is made. ``X-Forwarded-For`` is not read by
uvicorn at all (``proxy_headers=False``): the app trusts it from configured proxies only.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import msgspec
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .problems import KINDS
from .schemas import PROBLEM_JSON, ProblemDetails
from .settings import Settings, env_name
from .store import Store, StoreUnavailable

_encoder = msgspec.json.Encoder()
#: Seconds a refused connection is still read (and its data dropped) before it is closed.
LINGER = 1.0
FRAMING = "not a valid HTTP/1.1 request: a malformed request line, header, Content-Length or chunk"
_REASONS = {400: b"Bad Request", 408: b"Request Timeout", 431: b"Request Header Fields Too Large"}
_REASONS[503] = b"Service Unavailable"


def problem_bytes(slug: str, detail: str) -> bytes:
    """A whole HTTP/1.1 response carrying one problem, that closes the connection."""
    kind = KINDS[slug]
    body = _encoder.encode(
        ProblemDetails(type=kind.type, title=kind.title, status=kind.status, detail=detail)
    )
    head = (
        f"HTTP/1.1 {kind.status} ".encode()
        + _REASONS[kind.status]
        + f"\r\ncontent-type: {PROBLEM_JSON}\r\ncontent-length: {len(body)}\r\n".encode()
        + (b"retry-after: 1\r\n" if kind.status == 503 else b"")
        + b"connection: close\r\n\r\n"
    )
    return head + body


class Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline per request, a cap on header bytes and
    on connections, and problem details for what it answers itself (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = self.configured()
        self._deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._refusal: tuple[str, str] | None = None
        self._lingering = False

    @classmethod
    def configured(cls) -> Settings:
        """The settings: the environment's, as each server worker process reads them."""
        return _from_environment()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.settings.max_connections:
            self._refuse("overloaded", f"more than {self.settings.max_connections} connections")
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._arm()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request must arrive in time too

    def send_400_response(self, msg: str) -> None:
        slug, detail = self._refusal or ("bad-framing", FRAMING)
        self._refuse(slug, detail)

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.settings.max_header_bytes:
            self._refusal = (
                "headers-too-large",
                f"request line and headers exceed {self.settings.max_header_bytes} bytes",
            )
            raise ValueError(self._refusal[1])  # httptools stops; uvicorn calls send_400_response

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.settings.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and self.cycle.response_started:
            self.transport.close()  # answered already (e.g. 413 while the body still comes)
            return
        timeout = self.settings.read_timeout
        self._refuse("request-timeout", f"the request did not arrive within {timeout:g} s")

    def data_received(self, data: bytes) -> None:
        if not self._lingering:
            super().data_received(data)

    def _refuse(self, slug: str, detail: str) -> None:
        """Answer with a problem and close, lingering: a client still sending when the
        server closes would get a reset, which can discard the answer before it is read."""
        self._disarm()
        if self.transport.is_closing() or self._lingering:
            return
        self.transport.write(problem_bytes(slug, detail))
        if not self.transport.can_write_eof():
            self.transport.close()
            return
        self.transport.write_eof()
        self._lingering = True
        self.loop.call_later(LINGER, self.transport.close)


@functools.cache
def _from_environment() -> Settings:
    return Settings.from_env(os.environ)


def check_port(host: str, port: int) -> str | None:
    """Why the server cannot listen on ``host:port``, or None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind((host, port))
        except OSError as exc:
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def describe(settings: Settings, workers: int) -> str:
    """What ``gremium serve`` prints as it starts: where it listens and every setting, with
    the API keys and the passwords of the Redis and database URLs masked."""
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    lines = [f"gremium: listening on http://{host}:{settings.port} ({workers} worker(s))"]
    for item in fields(Settings):
        if item.name in ("host", "port", "workers"):
            continue
        value = getattr(settings, item.name)
        if item.name == "api_keys":
            shown = f"{len(value)} key(s), masked" if value else "(none: /v1 is open)"
        elif item.name == "read_keys":
            shown = f"{len(value)} read key(s), masked" if value else "(none)"
        elif item.name in ("redis_url", "database_url") and value:
            shown = _mask_password(value)
        elif isinstance(value, tuple):
            shown = ",".join(value) or "(none)"
        else:
            shown = "(none)" if value is None else str(value)
        lines.append(f"  {env_name(item.name)}={shown}")
    return "\n".join(lines)


def _mask_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, location = rest.rpartition("@")
    if not at:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:****@{location}"


def run(settings: Settings) -> int:
    """Serve until stopped; a port in use is a one-line error (exit 2)."""
    problem = check_port(settings.host, settings.port)
    if problem is not None:
        print(f"gremium: error: {problem}", file=sys.stderr)
        return 2
    store = Store(settings.store)
    try:
        store.check(thorough=True)
    except StoreUnavailable as exc:
        print(f"gremium: error: GREMIUM_STORE: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(describe(settings, settings.workers), file=sys.stderr, flush=True)
    with _metrics_shared(settings.workers):
        _serve(settings)
    return 0


@contextlib.contextmanager
def _metrics_shared(workers: int) -> Iterator[None]:
    """Under several workers, a directory where prometheus_client's figures of every worker
    meet (``PROMETHEUS_MULTIPROC_DIR``, unless the operator set one), removed at the end."""
    if workers == 1 or "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="gremium-metrics-") as directory:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory  # the workers inherit it
        try:
            yield
        finally:
            del os.environ["PROMETHEUS_MULTIPROC_DIR"]


def _serve(settings: Settings) -> None:
    uvicorn.run(
        "service.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        http="service.server:Protocol",  # by name: worker processes import it
        timeout_keep_alive=settings.keep_alive_timeout,
        proxy_headers=False,  # the app trusts X-Forwarded-For from GREMIUM_TRUSTED_PROXIES only
        access_log=False,  # the service writes its own JSON-lines access log
        server_header=False,
        log_level="warning",
        # SIGTERM: stop listening, let running requests finish for this long, then cancel
        # them (which kills their pool jobs) and exit.
        timeout_graceful_shutdown=settings.shutdown_grace,
    )
