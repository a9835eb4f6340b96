"""What every handler works with: the service's parts, a strictly decoded body, the request's
time budget, its work run in the pool or as a background job, and an answer encoded in the
media type the client accepts.

A handler decodes and checks its request, asks for its :class:`Budget` and hands its
:class:`Work` to :meth:`Service.perform`, which runs it in the request (stopped when the client
disconnects) or as a job (``202 Accepted`` with the job's ``Location``):

    Prefer header         time limit asked           runs as               budget (s)
    (none)                ≤ GREMIUM_MAX_TIME_LIMIT   the request           the limit, or the cap
    (none)                > GREMIUM_MAX_TIME_LIMIT   a job, 202 at once    min(limit, job cap)
    respond-async         any                        a job, 202 at once    min(limit, job cap)
    wait=N                any                        a job, its answer if  min(limit, job cap)
                                                     done within N s, else 202

The job cap is GREMIUM_MAX_JOB_SECONDS (for a request without a time limit, the budget); N is
capped by GREMIUM_MAX_TIME_LIMIT, so no connection is held longer than a request may run.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, ParamSpec, TypeVar, cast

import anyio.to_thread
import msgspec
from litestar import Request, Response
from litestar.response.base import ASGIResponse

from models.errors import LimitExceeded
from models.labels import DEFAULT_LANG, LANGS, Lang
from models.messages import spoken

from .background import Answer, Jobs, job_of, problem_of
from .catalogue import Catalogue, within
from .decoding import BodyDecoder
from .engine import Engine
from .jobs import reporting
from .observability import Metrics
from .pool import JobPool
from .problems import ApiError, problem_response
from .settings import Settings
from .store import JobRow, Store

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
    OpenAPI media type object), whether it answers with ETag and Cache-Control (and 304
    for a matching If-None-Match), and whether it can answer 202 with a job (it runs
    :class:`Work` through :meth:`Service.perform`)."""

    tag: str
    request: type[Any] | None = None
    response: type[Any] | None = None
    media: tuple[str, ...] = (JSON,)
    errors: tuple[int, ...] = ()
    status: int = 200
    bodies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    cached: bool = False
    jobs: bool = False

    def opt(self) -> dict[str, Any]:
        return {"doc": self}


@dataclass(frozen=True)
class Budget:
    """How long a request's work may take (``seconds``) and whether it runs as a job; for a
    job, how long the request waits for it before answering 202 (``Prefer: wait``) and the
    preference it honours (None: a job because of its time limit alone)."""

    seconds: float
    job: bool = False
    wait: float = 0.0
    applied: str | None = None


@dataclass(frozen=True)
class Work(Generic[T]):
    """What a request runs in the pool: ``fn(*args, deadline=...)`` (without ``deadline``
    unless ``timed``); ``finish`` makes its result the answer (by default: the bytes ``fn``
    returned, as ``media_type``); problems of invalid input it finds point into the body
    under ``pointer``."""

    fn: Callable[..., T]
    args: tuple[Any, ...]
    media_type: str = JSON
    finish: Callable[[T], Awaitable[Answer]] | None = None
    timed: bool = True
    pointer: str = ""

    def call(self, deadline: float) -> tuple[Callable[..., T], tuple[Any, ...], dict[str, Any]]:
        return self.fn, self.args, {"deadline": deadline} if self.timed else {}

    async def answer(self, result: T) -> Answer:
        if self.finish is None:
            return Answer(cast(bytes, result), self.media_type)
        return await self.finish(result)


@dataclass
class Service:
    """The parts a running service is made of, shared by every request (``app.state.service``)."""

    settings: Settings
    catalogue: Catalogue
    pool: JobPool
    metrics: Metrics
    store: Store
    engine: Engine
    jobs: Jobs
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

    def budget(self, request: AnyRequest, time_limit: float | None = None) -> Budget:
        """The request's budget and whether it runs as a job (the table above)."""
        settings = self.settings
        respond_async, wait = preferences(request)
        if not respond_async and wait is None and (time_limit or 0) <= settings.max_time_limit:
            limit = settings.max_time_limit if time_limit is None else time_limit
            return Budget(min(limit, settings.max_time_limit))
        limit = settings.max_job_seconds if time_limit is None else time_limit
        seconds = min(limit, settings.max_job_seconds)
        if wait is not None:
            wait = min(wait, settings.max_time_limit)
            return Budget(seconds, job=True, wait=wait, applied=f"wait={wait:g}")
        return Budget(seconds, job=True, applied="respond-async" if respond_async else None)

    async def perform(
        self, request: AnyRequest, budget: Budget, work: Work[T], known: T | None = None
    ) -> Response[bytes]:
        """Run ``work`` within ``budget``: in this request, or as a job (see the module).
        ``known`` is its result when one is at hand (a recommendation stored before): then
        nothing runs, but a request that asked for a job still gets one, already succeeded."""
        if not budget.job:
            if known is not None:
                return respond(await work.answer(known))
            deadline = time.monotonic() + budget.seconds
            fn, args, kwargs = work.call(deadline)
            with within(work.pointer):
                result = await self.run(request, deadline, fn, *args, **kwargs)
            return respond(await work.answer(result))

        lang = language(request)  # the job writes its sentences in the request's language

        async def run(deadline: float, progress_file: str) -> Answer:
            if known is not None:
                return await work.answer(known)
            fn, args, kwargs = work.call(deadline)
            with within(work.pointer):
                result = await self.pool.run_admitted(
                    deadline, reporting, progress_file, partial(spoken, lang, fn), args, kwargs
                )
            return await work.answer(self._bounded(result))

        operation = request.route_handler.operation_id
        assert isinstance(operation, str)  # every handler that performs work names its own
        row = await self.jobs.submit(
            job_caller(request), operation, budget.seconds, work.media_type, run
        )
        applied = {} if budget.applied is None else {"Preference-Applied": budget.applied}
        if await self.jobs.wait(row.id, budget.wait):
            row = await self.jobs.get(row.id, row.caller)
            ended = outcome(row)
            if ended is not None:
                ended.headers.update(applied)
                return ended
        response = answer(job_of(row))
        response.status_code = 202
        response.headers.update(
            {
                "Location": f"/v1/jobs/{row.id}",
                "Retry-After": str(max(1, math.ceil(min(budget.seconds, 5)))),
                **applied,
            }
        )
        return response

    async def run(
        self,
        request: AnyRequest,
        deadline: float,
        fn: Callable[P, T],
        /,
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
        return self._bounded(job.result())

    def _bounded(self, result: T) -> T:
        """``result``, unless it is an answer encoded in the worker larger than the limit."""
        limit = self.settings.max_response_bytes
        if isinstance(result, bytes) and len(result) > limit:
            raise LimitExceeded("max_response_bytes", limit, len(result))
        return result


def preferences(request: AnyRequest) -> tuple[bool, float | None]:
    """``respond-async`` and ``wait=N`` of the Prefer headers (RFC 7240); preferences this
    service does not know, and a wait that is not a number of seconds, are ignored."""
    respond_async, wait = False, None
    for header in request.headers.getall("prefer", []):
        for preference in header.split(","):
            name, _, value = preference.split(";", 1)[0].strip().partition("=")
            name = name.strip().lower()
            if name == "respond-async":
                respond_async = True
            elif name == "wait":
                try:
                    seconds = float(value.strip().strip('"'))
                except ValueError:
                    continue
                if math.isfinite(seconds) and seconds >= 0:
                    wait = seconds
    return respond_async, wait


def job_caller(request: AnyRequest) -> str:
    """Whose job a request's is: the API key's label (``key-1``), or ``open`` for everyone
    when no keys are configured (then everyone shares one queue and sees every job)."""
    label = request.scope["state"].get("caller", "")
    return label if label.startswith("key-") else "open"


def respond(answer: Answer) -> Response[bytes]:
    """A stored or fresh :class:`~service.background.Answer` as the response."""
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.media_type,
        headers=dict(answer.headers),
    )


def outcome(row: JobRow, status: int | None = None) -> Response[bytes] | None:
    """An ended job's answer as its request would have had it — its body, media type and
    headers, with ``status`` for its own, or its problem — or None while it has not ended."""
    problem = problem_of(row)
    if problem is not None:
        return problem_response(problem)
    if row.result is None:
        return None
    headers = row.headers or {}
    return respond(Answer(row.result, row.media_type, status or row.status_code or 200, headers))


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


def attachment(content: bytes, media_type: str, filename: str) -> Answer:
    """A file (a workbook, a deck), offered for download as ``filename``."""
    disposition = f'attachment; filename="{filename}"'
    return Answer(content, media_type, headers={"Content-Disposition": disposition})


def raw_json(content: bytes) -> ASGIResponse:
    """Bytes that already are JSON (the catalogue's pre-encoded entries), sent as they are:
    the low-level response skips Litestar's response pipeline on the hottest path."""
    return ASGIResponse(body=content, media_type=JSON)
