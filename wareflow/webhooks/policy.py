"""What happens after an attempt: the retry schedule, ``Retry-After``, and when to give up.

Pure functions over the settings, so the rules are tested without a database or a network.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import random
from dataclasses import dataclass
from enum import StrEnum

from wareflow.config import Settings

JITTER = 0.1  # each delay is stretched or shrunk by up to 10%, so retries of a burst spread out


class Verdict(StrEnum):
    SUCCEEDED = "succeeded"
    RETRY = "retry"
    EXHAUSTED = "exhausted"  # failed for the whole schedule
    GONE = "gone"  # the receiver answered 410: stop, and disable the endpoint


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    next_attempt_at: dt.datetime | None = None


@dataclass(frozen=True)
class DeliveryPolicy:
    """The webhook settings, parsed once."""

    schedule: tuple[float, ...]
    allowed_hosts: frozenset[str]
    timeout: float
    max_response_bytes: int
    secret_grace: dt.timedelta
    poll_seconds: float
    concurrency: int

    @classmethod
    def of(cls, settings: Settings) -> DeliveryPolicy:
        return cls(
            schedule=parse_schedule(settings.webhook_retry_schedule),
            allowed_hosts=parse_hosts(settings.webhook_allowed_hosts),
            timeout=settings.webhook_timeout_seconds,
            max_response_bytes=settings.webhook_max_response_bytes,
            secret_grace=dt.timedelta(hours=settings.webhook_secret_grace_hours),
            poll_seconds=settings.webhook_poll_seconds,
            concurrency=settings.webhook_concurrency,
        )

    @property
    def lease(self) -> dt.timedelta:
        """How long a claimed delivery stays with its worker: the whole send fits in it, so a
        delivery is only sent again when its worker really died."""
        return dt.timedelta(seconds=self.timeout + 5)

    @property
    def longest_wait(self) -> float:
        """A receiver's ``Retry-After`` is honoured up to the schedule's longest delay."""
        return max(self.schedule)

    def first_attempt_at(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=jittered(self.schedule[0]))

    def decide(
        self, *, status_code: int | None, retry_after: str | None, step: int, now: dt.datetime
    ) -> Decision:
        """After attempt number ``step`` of the schedule (1-based) answered ``status_code``
        (None: no answer — refused, timed out, cut off)."""
        if status_code is not None and 200 <= status_code < 300:
            return Decision(Verdict.SUCCEEDED)
        if status_code == 410:
            return Decision(Verdict.GONE)
        if step >= len(self.schedule):
            return Decision(Verdict.EXHAUSTED)
        delay = jittered(self.schedule[step])
        if status_code in (429, 503) and retry_after:
            asked = parse_retry_after(retry_after, now)
            if asked is not None:
                delay = max(delay, min(asked, self.longest_wait))
        return Decision(Verdict.RETRY, now + dt.timedelta(seconds=delay))


def jittered(seconds: float) -> float:
    return seconds * random.uniform(1 - JITTER, 1 + JITTER)


def parse_retry_after(value: str, now: dt.datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def parse_schedule(value: str) -> tuple[float, ...]:
    """``"0,5,300"`` → ``(0.0, 5.0, 300.0)``: the delay before each attempt, in seconds."""
    try:
        delays = tuple(float(part) for part in value.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"WAREFLOW_WEBHOOK_RETRY_SCHEDULE is not a list of seconds: {value!r}") from None
    if not delays or any(not math.isfinite(d) or d < 0 for d in delays):
        raise ValueError(f"WAREFLOW_WEBHOOK_RETRY_SCHEDULE needs one or more delays >= 0: {value!r}")
    return delays


def parse_hosts(value: str) -> frozenset[str]:
    return frozenset(h.strip().lower().rstrip(".").strip("[]") for h in value.split(",") if h.strip())
