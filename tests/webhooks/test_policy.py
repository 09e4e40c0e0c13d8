"""The retry rules on their own: schedule, jitter, Retry-After, giving up, event filters."""

from __future__ import annotations

import datetime as dt

import pytest

from wareflow.config import Settings
from wareflow.webhooks.policy import DeliveryPolicy, Verdict, parse_hosts, parse_retry_after, parse_schedule
from wareflow.webhooks.queue import subscribes

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def policy(schedule: str = "0,5,300,1800,7200,18000,36000,50400,72000,86400") -> DeliveryPolicy:
    return DeliveryPolicy.of(Settings(webhook_retry_schedule=schedule))


def test_the_default_schedule_spans_about_three_days() -> None:
    schedule = policy().schedule
    assert len(schedule) == 10
    assert schedule[0] == 0
    assert 2.5 < sum(schedule) / 86400 < 3.5


def test_each_failure_waits_the_next_delay_with_jitter() -> None:
    p = policy()
    for step, delay in enumerate(p.schedule[1:], start=1):
        decision = p.decide(status_code=500, retry_after=None, step=step, now=NOW)
        assert decision.verdict == Verdict.RETRY
        assert decision.next_attempt_at is not None
        waited = (decision.next_attempt_at - NOW).total_seconds()
        assert delay * 0.9 <= waited <= delay * 1.1


def test_after_the_last_attempt_it_gives_up() -> None:
    p = policy()
    assert p.decide(status_code=500, retry_after=None, step=10, now=NOW).verdict == Verdict.EXHAUSTED
    assert p.decide(status_code=None, retry_after=None, step=10, now=NOW).verdict == Verdict.EXHAUSTED


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, "succeeded"),
        (204, "succeeded"),
        (299, "succeeded"),
        (301, "retry"),
        (304, "retry"),
        (400, "retry"),
        (410, "gone"),
        (500, "retry"),
        (None, "retry"),
    ],
)
def test_status_codes(status: int | None, verdict: str) -> None:
    assert policy().decide(status_code=status, retry_after=None, step=1, now=NOW).verdict == verdict


def test_retry_after_is_honoured_up_to_the_longest_delay() -> None:
    p = policy("0,1,600")
    asked = p.decide(status_code=429, retry_after="120", step=1, now=NOW)
    assert asked.next_attempt_at == NOW + dt.timedelta(seconds=120)
    capped = p.decide(status_code=503, retry_after="999999", step=1, now=NOW)
    assert capped.next_attempt_at == NOW + dt.timedelta(seconds=600)
    ignored = p.decide(status_code=500, retry_after="120", step=1, now=NOW)
    assert ignored.next_attempt_at is not None and ignored.next_attempt_at < NOW + dt.timedelta(seconds=2)


def test_retry_after_forms() -> None:
    assert parse_retry_after("30", NOW) == 30
    assert parse_retry_after("Fri, 01 May 2026 12:01:00 GMT", NOW) == 60
    assert parse_retry_after("Fri, 01 May 2026 11:00:00 GMT", NOW) == 0
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("-5", NOW) is None


@pytest.mark.parametrize("value", ["", "a,b", "5,-1", "nan", "inf", " , "])
def test_bad_schedules_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="WAREFLOW_WEBHOOK_RETRY_SCHEDULE"):
        parse_schedule(value)


def test_hosts_are_normalized() -> None:
    assert parse_hosts(" Hooks.Example.COM. ,127.0.0.1,[::1],") == {"hooks.example.com", "127.0.0.1", "::1"}


def test_the_lease_outlasts_one_attempt() -> None:
    p = DeliveryPolicy.of(Settings(webhook_timeout_seconds=15))
    assert p.lease.total_seconds() > p.timeout


@pytest.mark.parametrize(
    ("types", "event", "wanted"),
    [
        (None, "order.created", True),
        (["order.created"], "order.created", True),
        (["order.created"], "order.updated", False),
        (["order.*"], "order.status_changed", True),
        (["order.*"], "orders.created", False),
        (["stock.*"], "order.created", False),
        (["*"], "webhook_endpoint.disabled", True),
    ],
)
def test_event_type_filters(types: list[str] | None, event: str, wanted: bool) -> None:
    assert subscribes(types, event) is wanted
