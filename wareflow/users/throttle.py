"""Password guessing, cut off: failed sign-ins counted for the UI's sign-in and for the vendor
logins that take an e-mail and a password alike."""

from __future__ import annotations

import math
import time

import structlog
from limits import RateLimitItem, parse
from limits.errors import StorageError
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.api.ratelimit import moving_window
from wareflow.core.errors import DomainError
from wareflow.users import service as users
from wareflow.users.models import User

log = structlog.get_logger()


class SignInThrottle:
    """Failed sign-ins, counted per client address and e-mail together, and per client address
    alone (ten times as many). Past either limit that address is refused for the rest of the
    window, even with the right password, so guessing a password gets nowhere, while someone
    guessing from elsewhere cannot lock the real user out. Counted where the API's rate limits are
    (``WAREFLOW_RATE_LIMIT_STORAGE``); the client address is the proxy's ``X-Forwarded-For`` when
    uvicorn trusts it (``FORWARDED_ALLOW_IPS``)."""

    def __init__(self, rate: str, storage: str):
        self.pair = parse(rate)
        self.address = type(self.pair)(self.pair.amount * 10, self.pair.multiples, namespace="SIGN-IN-FROM")
        self.limiter = moving_window(storage)

    def _checks(self, email: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [
            (self.pair, f"{address} {email.strip().casefold()}", "with this e-mail"),
            (self.address, address, "from your address"),
        ]

    async def wait(self, email: str, address: str) -> tuple[int, str]:
        """Seconds until this address may try this e-mail again (0: now), and why."""
        try:
            for item, key, why in self._checks(email, address):
                if not await self.limiter.test(item, key):
                    stats = await self.limiter.get_window_stats(item, key)
                    return max(1, math.ceil(stats.reset_time - time.time())), why
        except StorageError as exc:
            log.warning("sign_in_throttle_unavailable", error=str(exc.storage_error))
        return 0, ""

    async def failed(self, email: str, address: str) -> None:
        try:
            for item, key, _ in self._checks(email, address):
                await self.limiter.hit(item, key)
        except StorageError as exc:
            log.warning("sign_in_throttle_unavailable", error=str(exc.storage_error))


class TooManyFailures(DomainError):
    status, code, title = 429, "too_many_failed_sign_ins", "Too many failed sign-ins"


async def authenticate(
    session: AsyncSession, throttle: SignInThrottle, *, email: str, password: str, address: str
) -> User | None:
    """``users.authenticate`` behind the throttle: the user, None for a wrong e-mail or password
    (counted), or ``TooManyFailures`` (429) while this address is cut off."""
    wait, why = await throttle.wait(email, address)
    if wait:
        message = f"Too many failed sign-ins {why}. Try again in {math.ceil(wait / 60)} minute(s)."
        raise TooManyFailures(message).with_headers({"retry-after": str(wait)})
    user = await users.authenticate(session, email=email, password=password) if email and password else None
    if user is None:
        await throttle.failed(email, address)
    return user
