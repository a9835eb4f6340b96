"""API keys and the rate limit, applied by middleware on every /v1 route (unknown paths too).

Keys come from the environment only, are compared in constant time, and never reach a log: the
access log names a caller by the key's position in the configured list (``key-1``; a read key
``read-key-1``), nothing more.

Two kinds of key: a full key (``GREMIUM_API_KEYS``) may call everything; a read key
(``GREMIUM_READ_KEYS``) has the scope :data:`READ_SCOPE` and may only call the routes that
declare it (``opt={"scope": READ_SCOPE}``: reading a stored recommendation), so the key a
portal puts into its browser code cannot run solves. A read key anywhere else is 403
``forbidden``, naming the scope it has and the one the route needs.

The rate limit is Litestar's own middleware and stores: a window of a minute per caller, counted
in memory per server worker, or in Redis (``GREMIUM_REDIS_URL``) for every worker and server at
once (per process while Redis does not answer: :mod:`service.counters`). It runs *before*
authentication, and a request without a valid key is counted against its client address, so
guessing keys is limited like any other traffic. The client address is the
connection's peer, or the ``X-Forwarded-For`` of a configured proxy (uvicorn's
``ProxyHeadersMiddleware``, set up by :func:`service.app.create_app`).
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.types import ASGIApp, Receive, Scope, Send

from .problems import ApiError, handle_exception
from .schemas import API_KEY_HEADER

RATE_LIMIT_STORE = "rate_limit"
#: The headers Litestar's rate limit puts on every /v1 answer.
RATE_LIMIT_HEADERS = (
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
)
#: The challenge of a 401 (RFC 9110 §11.6.1): the key goes in a header, not an Authorization.
CHALLENGE = f'APIKey realm="gremium", header="{API_KEY_HEADER}"'
#: The scope of a read key, and of the routes that accept one.
READ_SCOPE = "recommendations:read"
FULL_LABEL, READ_LABEL = "key-", "read-key-"


class KeyRing:
    """The configured API keys; ``identify`` says which one (if any) a request presented."""

    def __init__(self, keys: tuple[str, ...], read_keys: tuple[str, ...] = ()) -> None:
        self._keys = tuple(
            [(f"{FULL_LABEL}{n}", key.encode()) for n, key in enumerate(keys, start=1)]
            + [(f"{READ_LABEL}{n}", key.encode()) for n, key in enumerate(read_keys, start=1)]
        )

    def __bool__(self) -> bool:
        return bool(self._keys)

    def identify(self, presented: str | None) -> str | None:
        """The caller's label, or None when the key is missing or unknown.

        Every configured key is compared, whatever matched, so the time taken does not tell
        which prefix or which key was close.
        """
        if presented is None:
            return None
        candidate = presented.encode()
        found: str | None = None
        for label, key in self._keys:
            if hmac.compare_digest(candidate, key) and found is None:
                found = label
        return found


def caller(scope: Scope, keys: KeyRing) -> str:
    """Who is calling: ``key-N`` or ``read-key-N`` for a valid key, else ``client-<address>``;
    kept in the
    request's state (the access log names it) so the key is checked once."""
    state: dict[str, Any] = scope["state"]
    if "caller" not in state:
        label = keys.identify(_header(scope, b"x-api-key")) if keys else None
        if label is None:
            client = scope.get("client")
            label = f"client-{client[0] if client else 'unknown'}"
        state["caller"] = label
    return str(state["caller"])


class ApiAccess(ASGIMiddleware):
    """Refuses a /v1 request without a valid key when keys are configured (401 with a
    ``WWW-Authenticate`` challenge), and a read key on a route that does not declare
    :data:`READ_SCOPE` (403). Router middleware runs after routing, so the route is known.

    A middleware rather than a guard: Litestar copies the route handler for each guard call,
    a cost every request of the hot GET path would pay. The 401 is sent, not raised, so it
    passes the rate limit's ``send`` (which runs first) and carries its ``RateLimit-*``
    headers like every other /v1 answer; a raised error would be answered outside it.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, keys: KeyRing) -> None:
        self.keys = keys

    def refusal(self, scope: Scope) -> ApiError | None:
        """When keys are configured: the 401 for a request without a valid key, the 403 for a
        read key outside its scope; else None."""
        if not self.keys:
            return None
        who = caller(scope, self.keys)
        if who.startswith(READ_LABEL):
            handler = scope.get("route_handler")
            if handler is not None and handler.opt.get("scope") == READ_SCOPE:
                return None
            return ApiError(
                "forbidden",
                f"this key has the scope {READ_SCOPE!r}: it may only read stored "
                f"recommendations; {scope.get('method')} {scope['path']} needs a full key",
            )
        if not who.startswith(FULL_LABEL):
            return ApiError(
                "unauthorized",
                f"a valid {API_KEY_HEADER} header is required",
                {"WWW-Authenticate": CHALLENGE},
            )
        return None

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        refused = self.refusal(scope)
        if refused is None:
            await next_app(scope, receive, send)
            return
        request: Request[Any, Any, Any] = Request(scope)
        answer = handle_exception(request, refused).to_asgi_response(app=None, request=request)
        await answer(scope, receive, send)


def rate_limit(per_minute: int, keys: KeyRing) -> RateLimitConfig:
    """Litestar's rate-limit configuration: ``per_minute`` requests a minute per caller."""

    def identify(request: Request[Any, Any, Any]) -> str:
        return caller(request.scope, keys)

    return RateLimitConfig(
        rate_limit=("minute", per_minute),
        identifier_for_request=identify,
        store=RATE_LIMIT_STORE,
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
