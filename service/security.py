"""API keys and the per-key rate limit, applied by a middleware on every /v1 route.

Keys come from the environment only, are compared in constant time, and never reach a log: the
access log names a caller by the key's position in the configured list (``key-1``), nothing more.
"""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from .problems import ApiError
from .schemas import API_KEY_HEADER


class KeyRing:
    """The configured API keys; ``identify`` says which one (if any) a request presented."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self._keys = tuple(key.encode() for key in keys)

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
        for index, key in enumerate(self._keys, start=1):
            if hmac.compare_digest(candidate, key) and found is None:
                found = f"key-{index}"
        return found


class RateLimiter:
    """A token bucket per caller: ``per_minute`` requests a minute, bursts up to that many."""

    MAX_CALLERS = 10_000

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # caller -> (tokens, last refill)

    def take(self, caller: str) -> float:
        """Spend one token; 0 when allowed, else the seconds until a token is back."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        rate = self.per_minute / 60.0
        tokens, last = self._buckets.get(caller, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * rate)
        if tokens < 1.0:
            self._buckets[caller] = (tokens, now)
            return (1.0 - tokens) / rate
        if len(self._buckets) >= self.MAX_CALLERS and caller not in self._buckets:
            self._forget_full(now, rate)
        self._buckets[caller] = (tokens - 1.0, now)
        return 0.0

    def _forget_full(self, now: float, rate: float) -> None:
        """Drop callers whose bucket has refilled: they are indistinguishable from new ones."""
        self._buckets = {
            caller: (tokens, last)
            for caller, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * rate < self.per_minute
        }


class ApiAccess(ASGIMiddleware):
    """Authenticates (when keys are configured) and rate-limits every /v1 request.

    A middleware rather than a guard: Litestar copies the route handler for each guard call,
    a cost every request of the hot GET path would pay.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, keys: KeyRing, limiter: RateLimiter) -> None:
        self.keys = keys
        self.limiter = limiter

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if self.keys:
            caller = self.keys.identify(_header(scope, b"x-api-key"))
            if caller is None:
                raise ApiError("unauthorized", f"a valid {API_KEY_HEADER} header is required")
        else:
            client = scope.get("client")
            caller = f"client-{client[0] if client else 'unknown'}"
        scope["state"]["caller"] = caller
        wait = self.limiter.take(caller)
        if wait > 0:
            raise ApiError(
                "rate-limited",
                f"at most {self.limiter.per_minute} requests a minute per caller",
                {"Retry-After": str(math.ceil(wait))},
            )
        await next_app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
