"""Rate limits per API key, with the IETF ``RateLimit`` headers and ``Retry-After`` on 429.

The window lives in each process's memory (the ``limits`` library's moving window): with N API
processes a key gets up to N times the limit. Put a shared limiter in front (or a Redis storage
for ``limits``) when that matters.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wareflow.core.errors import DomainError


class TooManyRequests(DomainError):
    status, code, title = 429, "rate_limited", "Too many requests"


class KeyRateLimiter:
    def __init__(self, rate: str):
        self.item: RateLimitItem = parse(rate)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, key_id: str) -> dict[str, str]:
        """Count one request of the key; the headers to send, or 429 when over the limit."""
        allowed = self.limiter.hit(self.item, key_id)
        stats = self.limiter.get_window_stats(self.item, key_id)
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
