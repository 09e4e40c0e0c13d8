"""Rate limits per API key, with the IETF ``RateLimit`` headers and ``Retry-After`` on 429.

The ``limits`` library's moving window, kept where ``WAREFLOW_RATE_LIMIT_STORAGE`` says:
``memory://`` (the default) counts in each process, so with N API processes a key gets up to N
times the limit; ``redis://host:6379`` shares one window between every process and host.
A storage that does not answer lets requests through (logged): an outage of the limiter must not
become an outage of the API.
"""

from __future__ import annotations

import math
import time

import structlog
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wareflow.core.errors import DomainError

log = structlog.get_logger()


class TooManyRequests(DomainError):
    status, code, title = 429, "rate_limited", "Too many requests"


def moving_window(storage: str) -> MovingWindowRateLimiter:
    """A moving-window limiter counting in ``storage`` (``memory://`` or ``redis://…``)."""
    uri = storage if storage.startswith("async+") else f"async+{storage}"
    # redis-py's asyncio client (the `redis` extra), not coredis: one Redis client to install.
    options = {"implementation": "redispy"} if "redis" in uri.split("://")[0] else {}
    return MovingWindowRateLimiter(storage_from_string(uri, wrap_exceptions=True, **options))


class KeyRateLimiter:
    def __init__(self, rate: str, storage: str = "memory://"):
        self.item: RateLimitItem = parse(rate)
        self.limiter = moving_window(storage)

    async def hit(self, key_id: str) -> dict[str, str]:
        """Count one request of the key; the headers to send, or 429 when over the limit."""
        try:
            allowed = await self.limiter.hit(self.item, key_id)
            stats = await self.limiter.get_window_stats(self.item, key_id)
        except StorageError as exc:
            log.warning("rate_limit_storage_unavailable", error=str(exc.storage_error))
            return {}
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        policy = f"{self.item.amount};w={self.item.get_expiry()}"
        headers = {
            "ratelimit-policy": policy,
            "ratelimit": f"limit={self.item.amount}, remaining={stats.remaining}, reset={reset}",
        }
        if not allowed:
            raise TooManyRequests(
                f"More than {self.item.amount} requests in {self.item.get_expiry()} s with this key.",
                retry_after=reset,
            ).with_headers({**headers, "retry-after": str(max(1, reset))})
        return headers


class RateLimitHeaders:
    """ASGI middleware: adds the headers a request's rate-limit check left in ``scope["state"]``."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = scope.get("state", {}).get("ratelimit_headers")
                if extra:
                    message["headers"] = [
                        *message.get("headers", []),
                        *((k.encode(), v.encode()) for k, v in extra.items()),
                    ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
