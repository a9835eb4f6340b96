"""The rate-limit counters: in Redis when ``GREMIUM_REDIS_URL`` names one, per process while it
does not answer.

Redis unreachable: the limit falls back to counting per process, rather than refusing.
The rate limit is a defence against one caller taking the service's capacity and against key
guessing, not an accounting record; while Redis is away the per-process counters still hold
every caller to ``GREMIUM_RATE_LIMIT`` per process (at most replicas × workers times the limit
in all), which keeps both defences, whereas refusing (503 on every ``/v1`` call) would make the
cache a single point of failure for the whole API. The switch is said once in a log line (and
once more when Redis answers again), and shown by the metrics ``gremium_rate_limit_shared`` (1:
in Redis, 0: per process) and ``gremium_rate_limit_fallbacks`` (switches to per process).
Redis is tried again every :data:`RETRY_SECONDS`; a caller's window restarts at each switch.

Hand-written because Litestar's stores have no failover; it is one of Litestar's own
:class:`~litestar.stores.base.Store` interfaces, wrapping its ``RedisStore`` and ``MemoryStore``.
Short socket timeouts keep a Redis that stopped answering (rather than refusing connections)
from stalling requests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis
from redis.exceptions import RedisError

T = TypeVar("T")
logger = logging.getLogger("gremium.counters")

#: Seconds between attempts to reach Redis again while counting per process.
RETRY_SECONDS = 5.0
#: Seconds Redis has to connect and to answer a command.
TIMEOUT_SECONDS = 0.5
NAMESPACE = "gremium"


def redis_counters(url: str, namespace: str = NAMESPACE) -> RedisStore:
    """Litestar's Redis store at ``url``, with short timeouts."""
    client = Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    return RedisStore(client, namespace=namespace, handle_client_shutdown=True)


class FailoverCounters(Store):
    """``shared`` while it answers, ``local`` (per process) while it does not; see the module."""

    def __init__(
        self,
        shared: Store,
        local: Store | None = None,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.shared_store = shared
        self.local_store = local or MemoryStore()
        self.retry_seconds = retry_seconds
        self.fallbacks = 0
        self._clock = clock
        self._down_since: float | None = None

    @property
    def shared(self) -> bool:
        """Whether the counters are in the shared store now."""
        return self._down_since is None

    async def _call(self, operation: Callable[[Store], Awaitable[T]]) -> T:
        down = self._down_since
        if down is not None and self._clock() - down < self.retry_seconds:
            return await operation(self.local_store)
        try:
            found = await operation(self.shared_store)
        except (RedisError, OSError) as exc:
            if self._down_since is None:
                self.fallbacks += 1
                logger.warning(
                    "rate-limit counters: Redis does not answer (%s: %s); counting per "
                    "process until it does",
                    type(exc).__name__,
                    exc,
                )
            self._down_since = self._clock()
            return await operation(self.local_store)
        if self._down_since is not None:
            self._down_since = None
            logger.warning("rate-limit counters: Redis answers again; counting in Redis")
        return found

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        await self._call(lambda store: store.set(key, value, expires_in))

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        return await self._call(lambda store: store.get(key, renew_for))

    async def delete(self, key: str) -> None:
        await self._call(lambda store: store.delete(key))

    async def delete_all(self) -> None:
        await self._call(lambda store: store.delete_all())

    async def exists(self, key: str) -> bool:
        return await self._call(lambda store: store.exists(key))

    async def expires_in(self, key: str) -> int | None:
        return await self._call(lambda store: store.expires_in(key))

    async def __aexit__(self, *exc: object) -> None:
        await self.shared_store.__aexit__(None, None, None)
