"""Errors at the edge: every failure leaves the service as RFC 9457 problem details.

    Exception raised anywhere           -> problem type (status)
    ├── ApiError(kind, ...)             the service's own refusals: 401, 403 (a read key's
    │                                   scope), 406, 415, 429, 499, 503 (overloaded,
    │                                   worker-lost, budget-exceeded) ...
    ├── models.errors.InvalidInput      invalid-input (422), one entry per offending field
    ├── models.errors.LimitExceeded     limit-exceeded (422), naming the limit
    ├── models.errors.BudgetExhausted   budget-exceeded (503)
    ├── models.errors.SolverFailure     solver-failure (500)
    ├── store.StoreUnavailable          store-unavailable (503), with SQLite's reason
    ├── litestar HTTPException          by status: not-found, method-not-allowed, body-too-large ...
    └── anything else                   internal-error (500); logged, never shown

Each kind has a stable ``type`` URI, ``/problems/<slug>``, which the service itself documents.
The problem details themselves are wire types (:class:`~service.schemas.ProblemDetails`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException

from models.errors import BudgetExhausted, InvalidInput, LimitExceeded, SolverFailure

from .schemas import PROBLEM_JSON, FieldError, ProblemDetails
from .store import StoreUnavailable

logger = logging.getLogger("gremium.service")


@dataclass(frozen=True)
class Kind:
    """One kind of problem: its URI slug, HTTP status, title and what a client should do."""

    slug: str
    status: int
    title: str
    description: str

    @property
    def type(self) -> str:
        return f"/problems/{self.slug}"


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            "malformed-request",
            400,
            "Malformed request",
            "The body is not valid JSON, or a header or query parameter is malformed.",
        ),
        Kind(
            "invalid-encoding",
            400,
            "Body not UTF-8",
            "JSON is UTF-8 (RFC 8259); the detail names the first byte that is not.",
        ),
        Kind(
            "duplicate-key",
            400,
            "Duplicate key",
            "An object in the body names the same key twice; the detail says which.",
        ),
        Kind(
            "nesting-too-deep",
            400,
            "Nested too deep",
            "The body nests arrays and objects deeper than any request needs (64 levels).",
        ),
        Kind(
            "bad-framing",
            400,
            "Bad HTTP framing",
            "The server could not read an HTTP request off the connection (a malformed request "
            "line, header or chunk); the connection is closed.",
        ),
        Kind(
            "unauthorized",
            401,
            "Missing or unknown API key",
            "Send a configured key in the X-API-Key header.",
        ),
        Kind(
            "forbidden",
            403,
            "Key not allowed here",
            "The API key is valid but its scope does not cover this call: a read key "
            "(GREMIUM_READ_KEYS, scope recommendations:read) may only read stored "
            "recommendations. The detail names the scope.",
        ),
        Kind(
            "not-found",
            404,
            "Not found",
            "No resource at this path, no built-in scenario or no stored recommendation with "
            "this id.",
        ),
        Kind(
            "method-not-allowed",
            405,
            "Method not allowed",
            "The path exists but not with this HTTP method.",
        ),
        Kind(
            "not-acceptable",
            406,
            "Not acceptable",
            "The Accept header asks for a media type this endpoint cannot produce.",
        ),
        Kind(
            "request-timeout",
            408,
            "Request timeout",
            "The request did not arrive in full within GREMIUM_READ_TIMEOUT seconds; the "
            "connection is closed.",
        ),
        Kind(
            "body-too-large",
            413,
            "Request body too large",
            "The body exceeds the configured GREMIUM_MAX_BODY_BYTES.",
        ),
        Kind(
            "unsupported-media-type",
            415,
            "Unsupported media type",
            "Send the body as application/json, in UTF-8 (no other charset).",
        ),
        Kind(
            "invalid-input",
            422,
            "Invalid input",
            "The request is malformed or contradictory; `errors` names every offending field "
            "as a JSON pointer.",
        ),
        Kind(
            "limit-exceeded",
            422,
            "Limit exceeded",
            "The input is valid but larger than a configured limit; `limit`, `allowed` and "
            "`got` say which.",
        ),
        Kind(
            "rate-limited",
            429,
            "Too many requests",
            "The caller (an API key, or a client address for requests without a valid key) "
            "used up its requests for the minute; retry after Retry-After seconds. Every /v1 "
            "answer carries RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and "
            "RateLimit-Policy.",
        ),
        Kind(
            "headers-too-large",
            431,
            "Request headers too large",
            "The request line and headers exceed GREMIUM_MAX_HEADER_BYTES; the connection is "
            "closed.",
        ),
        Kind(
            "client-disconnected",
            499,
            "Client disconnected",
            "The client closed the connection before the answer was ready; its job was stopped. "
            "Only the access log sees this status.",
        ),
        Kind(
            "internal-error",
            500,
            "Internal error",
            "Something went wrong inside the service; the request id helps the operators find it.",
        ),
        Kind(
            "solver-failure",
            500,
            "Solver failure",
            "The MILP solver failed (not: the scenario is infeasible, which is a 200 result).",
        ),
        Kind(
            "not-ready",
            503,
            "Not ready",
            "The job pool or the solver is not available yet; the orchestrator should wait.",
        ),
        Kind(
            "store-unavailable",
            503,
            "Store unavailable",
            "The store of recommendations (GREMIUM_STORE) cannot be read or written: the detail "
            "says why (not a database, damaged, not writable, disk full). Checked before any "
            "solve.",
        ),
        Kind(
            "overloaded",
            503,
            "Overloaded",
            "Every pool worker is busy, or the server has GREMIUM_MAX_CONNECTIONS connections "
            "open; retry after Retry-After seconds (estimated from the jobs ahead).",
        ),
        Kind(
            "worker-lost",
            503,
            "Worker lost",
            "The worker process running the job died (out of memory, or killed); it has been "
            "replaced and a retry is served by a fresh one.",
        ),
        Kind(
            "budget-exceeded",
            503,
            "Time budget exceeded",
            "The work did not finish within the request's time budget (`options.time_limit`, "
            "capped by GREMIUM_MAX_TIME_LIMIT) and was stopped; ask for more time or less work.",
        ),
    )
}

_BY_STATUS = {
    400: "malformed-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "body-too-large",
    415: "unsupported-media-type",
    429: "rate-limited",
    503: "overloaded",
}


class ApiError(Exception):
    """A refusal by the service itself, of one kind, with an optional header (Retry-After)."""

    def __init__(self, slug: str, detail: str, headers: Mapping[str, str] | None = None) -> None:
        self.kind = KINDS[slug]
        self.detail = detail
        self.headers = dict(headers or {})
        super().__init__(detail)


_encoder = msgspec.json.Encoder()


def problem_response(
    problem: ProblemDetails, headers: Mapping[str, str] | None = None
) -> Response[bytes]:
    return Response(
        _encoder.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=dict(headers or {}),
    )


def to_problem(
    exc: Exception, path: str, request_id: str | None
) -> tuple[ProblemDetails, dict[str, str]]:
    """The problem details and extra headers an exception becomes; the one mapping of errors."""
    headers: dict[str, str] = {}
    extra: dict[str, object] = {}
    if isinstance(exc, ApiError):
        kind, detail, headers = exc.kind, exc.detail, exc.headers
    elif isinstance(exc, InvalidInput):
        kind = KINDS["invalid-input"]
        detail = f"{len(exc.problems)} problem(s) in the request"
        extra["errors"] = tuple(FieldError(p.pointer, p.message) for p in exc.problems)
    elif isinstance(exc, LimitExceeded):
        kind, detail = KINDS["limit-exceeded"], str(exc)
        extra.update(limit=exc.limit, allowed=exc.allowed, got=exc.got)
    elif isinstance(exc, StoreUnavailable):
        kind, detail = KINDS["store-unavailable"], str(exc)
        logger.error("store unavailable (request %s): %s", request_id, exc)
    elif isinstance(exc, BudgetExhausted):
        kind, detail = KINDS["budget-exceeded"], str(exc)
    elif isinstance(exc, SolverFailure):
        kind, detail = KINDS["solver-failure"], "the solver failed on this request"
        logger.error("solver failure (request %s): %s", request_id, exc)
    elif isinstance(exc, HTTPException) and exc.status_code < 500:
        kind = KINDS[_BY_STATUS.get(exc.status_code, "malformed-request")]
        detail = exc.detail
        headers = {
            k: v
            for k, v in (exc.headers or {}).items()
            if k.lower() == "allow" or k.lower().startswith("ratelimit-")
        }
        if "RateLimit-Reset" in headers:  # Litestar's rate limit: say it as Retry-After too
            headers["Retry-After"] = headers["RateLimit-Reset"]
            detail = f"at most {headers['RateLimit-Limit']} requests a minute per caller"
    else:
        kind, detail = KINDS["internal-error"], "the service failed to answer this request"
        logger.error("unhandled error (request %s)", request_id, exc_info=exc)
    problem = ProblemDetails(
        type=kind.type,
        title=kind.title,
        status=kind.status,
        detail=detail,
        instance=path,
        request_id=request_id,
        **extra,  # type: ignore[arg-type]
    )
    return problem, headers


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Litestar exception handler for every exception type."""
    problem, headers = to_problem(
        exc, request.url.path, request.scope.get("state", {}).get("request_id")
    )
    return problem_response(problem, headers)
