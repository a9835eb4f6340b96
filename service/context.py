"""What every handler works with: the service's parts, a strictly decoded body, and an answer
encoded in the media type the client accepts."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ParamSpec, TypeVar

import anyio.to_thread
import msgspec
from litestar import Request, Response
from litestar.response.base import ASGIResponse

from models.errors import LimitExceeded
from models.labels import DEFAULT_LANG, LANGS, Lang
from models.messages import spoken

from .catalogue import Catalogue
from .decoding import BodyDecoder
from .engine import Engine
from .observability import Metrics
from .pool import JobPool
from .problems import ApiError
from .settings import Settings
from .store import Store

T = TypeVar("T")
S = TypeVar("S")
P = ParamSpec("P")

JSON = "application/json"
CSV = "text/csv"
MARKDOWN = "text/markdown"
TEXT = "text/plain"
HTML = "text/html"

AnyRequest = Request[Any, Any, Any]
#: Bodies up to this size are decoded on the event loop (a thread hop costs more than that).
DECODE_ON_LOOP_BYTES = 16_384
Renderers = Mapping[str, Callable[[S], str | bytes]]


@dataclass(frozen=True)
class Doc:
    """What OpenAPI says about an operation beyond its path: the request and response bodies,
    the media types it answers in, the error statuses it can return besides the ones every
    operation of its kind can (see :mod:`service.openapi`), its tag, its success status
    (201 adds a Location header), request bodies it takes besides JSON (media type ->
    OpenAPI media type object), and whether it answers with ETag and Cache-Control (and 304
    for a matching If-None-Match)."""

    tag: str
    request: type[Any] | None = None
    response: type[Any] | None = None
    media: tuple[str, ...] = (JSON,)
    errors: tuple[int, ...] = ()
    status: int = 200
    bodies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    cached: bool = False

    def opt(self) -> dict[str, Any]:
        return {"doc": self}


@dataclass
class Service:
    """The parts a running service is made of, shared by every request (``app.state.service``)."""

    settings: Settings
    catalogue: Catalogue
    pool: JobPool
    metrics: Metrics
    store: Store
    engine: Engine
    decoders: dict[type[Any], BodyDecoder[Any]] = field(default_factory=dict)
    openapi_json: bytes = b""
    openapi_yaml: bytes = b""

    async def read(self, request: AnyRequest, type_: type[T]) -> T:
        """The body as ``type_``: UTF-8 JSON only (415 otherwise), every invalid field reported
        (422). A large body is decoded on a worker thread, so the event loop stays free."""
        media_type, _, parameters = request.headers.get("content-type", "").partition(";")
        media_type = media_type.strip().lower()
        if media_type != JSON and not media_type.endswith("+json"):
            raise ApiError("unsupported-media-type", f"send {JSON}, not {media_type or 'nothing'}")
        charset = _charset(parameters)
        if charset not in (None, "utf-8", "utf8"):
            raise ApiError(
                "unsupported-media-type", f"JSON is UTF-8 (RFC 8259), not charset={charset}"
            )
        decoder: BodyDecoder[T] | None = self.decoders.get(type_)
        if decoder is None:
            decoder = self.decoders[type_] = BodyDecoder(type_, self.catalogue.ids)
        body = await request.body()
        if len(body) <= DECODE_ON_LOOP_BYTES:
            return decoder.decode(body)
        return await anyio.to_thread.run_sync(decoder.decode, body)

    def deadline(self, time_limit: float | None = None) -> float:
        """When the request's time budget ends (``time.monotonic()``): its own time limit,
        capped by GREMIUM_MAX_TIME_LIMIT, or that cap for a request without one."""
        cap = self.settings.max_time_limit
        return time.monotonic() + (cap if time_limit is None else min(time_limit, cap))

    async def run(
        self,
        request: AnyRequest,
        deadline: float,
        fn: Callable[P, T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``fn`` in the pool (see :meth:`JobPool.run`), speaking the request's
        Accept-Language; stopped when the client disconnects."""
        # the job writes its sentences in the request's language (models.messages)
        job = asyncio.ensure_future(
            self.pool.run(deadline, partial(spoken, language(request), fn), *args, **kwargs)
        )
        gone = asyncio.ensure_future(_disconnected(request))
        try:
            await asyncio.wait((job, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:  # this handler may be cancelled too (the server stopping): stop the job
            gone.cancel()
            if not job.done():
                job.cancel()
                await asyncio.wait((job,))
        if job.cancelled():
            raise ApiError("client-disconnected", "the client closed the connection")
        result = job.result()
        if isinstance(result, bytes):  # an answer encoded in the worker
            limit = self.settings.max_response_bytes
            if len(result) > limit:
                raise LimitExceeded("max_response_bytes", limit, len(result))
        return result


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _disconnected(request: AnyRequest) -> None:
    """Returns when the client has gone (ASGI ``http.disconnect``); the body is read by now."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def content_type(request: AnyRequest) -> str:
    """The body's media type, without parameters, in lower case ("" when none)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def service_of(request: AnyRequest) -> Service:
    service: Service = request.app.state.service
    return service


_encoder = msgspec.json.Encoder()


def accepted(request: AnyRequest, offered: tuple[str, ...]) -> str:
    """The offered media type the Accept header prefers (JSON without one); 406 when none."""
    if "accept" not in request.headers:
        return offered[0]
    best = request.accept.best_match(list(offered))
    if best is None:
        raise ApiError("not-acceptable", f"this endpoint answers {', '.join(offered)}")
    return best


_LANGS: dict[str, Lang] = {lang: lang for lang in LANGS}


def language(request: AnyRequest) -> Lang:
    """The language the Accept-Language header prefers among :data:`models.labels.LANGS`
    (``de-DE`` counts as ``de``; q-values respected); English without one or a match."""
    best, best_q = DEFAULT_LANG, 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().split("-", 1)[0].lower()
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        lang = _LANGS.get(primary)
        if lang is not None and q > best_q:
            best, best_q = lang, q
    return best


def answer(
    value: S, media_type: str = JSON, renderers: Renderers[S] | None = None
) -> Response[bytes]:
    """``value`` as JSON, or rendered by the renderer of the media type (text or bytes)."""
    if media_type == JSON or renderers is None:
        return Response(_encoder.encode(value), media_type=JSON)
    content = renderers[media_type](value)
    body = content.encode() if isinstance(content, str) else content
    return Response(body, media_type=media_type)


def entity_tag(*parts: str | bytes) -> str:
    """A strong entity tag (RFC 9110 §8.8.3) for a representation made of ``parts``."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return f'"{digest.hexdigest()[:32]}"'


def not_modified(request: AnyRequest, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (or is ``*``): weak comparison, as RFC 9110
    §13.1.2 asks for GET."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def cached(
    response: Response[bytes], etag: str, cache_control: str, vary: tuple[str, ...] = ()
) -> Response[bytes]:
    """``response`` with its validator and caching headers."""
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = cache_control
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    return response


def attachment(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    """A file (a workbook, a deck), offered for download as ``filename``."""
    disposition = f'attachment; filename="{filename}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def raw_json(content: bytes) -> ASGIResponse:
    """Bytes that already are JSON (the catalogue's pre-encoded entries), sent as they are:
    the low-level response skips Litestar's response pipeline on the hottest path."""
    return ASGIResponse(body=content, media_type=JSON)
