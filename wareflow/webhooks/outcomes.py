"""Recording what receivers answered, many attempts per transaction.

For each finished attempt: close the attempt, schedule the next one or close the delivery, and
switch the endpoint off when it answered 410 or failed for a whole schedule. A worker records
the attempts that finished while its previous record was committing all at once (group commit):
one transaction per batch, not per message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

import structlog
from sqlalchemy import Table, bindparam, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.events import service as events
from wareflow.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from wareflow.webhooks.policy import Decision, DeliveryPolicy, Verdict
from wareflow.webhooks.sender import Answer, Outgoing

log = structlog.get_logger()
Finished = tuple[Outgoing, Answer]
SUCCESS_MARK_EVERY = dt.timedelta(seconds=1)

_D = cast(Table, WebhookDelivery.__table__).c
_A = cast(Table, WebhookAttempt.__table__).c
# Built once: executed with a list of parameter sets (one statement, many rows).
_CLOSE_DELIVERY = (
    update(cast(Table, WebhookDelivery.__table__))
    .where(_D.organization_id == bindparam("o"), _D.id == bindparam("d"))
    .values(
        status=bindparam("b_status"),
        next_attempt_at=bindparam("b_next"),
        lease_token=None,
        updated_at=bindparam("b_now"),
    )
)
_CLOSE_ATTEMPT = (
    update(cast(Table, WebhookAttempt.__table__))
    .where(
        _A.organization_id == bindparam("o"), _A.delivery_id == bindparam("d"), _A.number == bindparam("n")
    )
    .values(
        outcome=bindparam("b_outcome"),
        status_code=bindparam("b_code"),
        latency_ms=bindparam("b_latency"),
        error=bindparam("b_error"),
        response_excerpt=bindparam("b_excerpt"),
    )
)
_STATUS = {Verdict.SUCCEEDED: "succeeded", Verdict.RETRY: "pending"}


async def record(
    session: AsyncSession, policy: DeliveryPolicy, finished: list[Finished], now: dt.datetime
) -> list[Decision]:
    """Record every finished attempt; answers each one's decision, in order."""
    decisions = [
        policy.decide(status_code=a.status_code, retry_after=a.retry_after, step=o.schedule_step, now=now)
        for o, a in finished
    ]
    leases = await _leases(session, [o for o, _ in finished])
    closing = [
        (o, d)
        for (o, _), d in zip(finished, decisions, strict=True)
        if leases.get(o.delivery_id) == o.lease_token
    ]
    if closing:
        await session.execute(
            _CLOSE_DELIVERY,
            [
                {
                    "o": o.organization_id,
                    "d": o.delivery_id,
                    "b_status": _STATUS.get(d.verdict, "failed"),
                    "b_next": d.next_attempt_at,
                    "b_now": now,
                }
                for o, d in closing
            ],
        )
    await session.execute(_CLOSE_ATTEMPT, [_attempt_values(o, a) for o, a in finished])
    for o, _ in finished:
        if leases.get(o.delivery_id) != o.lease_token:
            log.warning("webhook_lease_lost", delivery_id=str(o.delivery_id), attempt=o.attempt)
    await _follow_up(session, closing, now)
    return decisions


async def _leases(session: AsyncSession, sent: list[Outgoing]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Lock the deliveries (in key order) and answer the lease each one holds now: a delivery
    whose lease ran out and went to another worker is that worker's to record."""
    keys = sorted({(o.organization_id, o.delivery_id) for o in sent})
    rows = await session.execute(
        select(_D.id, _D.lease_token)
        .where(tuple_(_D.organization_id, _D.id).in_(keys))
        .order_by(_D.organization_id, _D.id)
        .with_for_update()
    )
    return {row.id: row.lease_token for row in rows}


def _attempt_values(sent: Outgoing, answer: Answer) -> dict[str, Any]:
    return {
        "o": sent.organization_id,
        "d": sent.delivery_id,
        "n": sent.attempt,
        "b_outcome": "succeeded" if answer.succeeded else "failed",
        "b_code": answer.status_code,
        "b_latency": answer.latency_ms,
        "b_error": answer.error,
        "b_excerpt": answer.excerpt,
    }


async def _follow_up(
    session: AsyncSession, closing: list[tuple[Outgoing, Decision]], now: dt.datetime
) -> None:
    """The endpoints' side, after the deliveries' (the queue's lock order), in endpoint order."""
    succeeded = {(o.organization_id, o.endpoint_id): o for o, d in closing if d.verdict == Verdict.SUCCEEDED}
    for key in sorted(succeeded):
        await _mark_success(session, succeeded[key], now)
    for o, d in sorted(closing, key=lambda item: (item[0].organization_id, item[0].endpoint_id)):
        if d.verdict == Verdict.GONE:
            await disable(session, o, reason="gone", now=now)
        elif d.verdict == Verdict.EXHAUSTED and await _down_all_along(session, o):
            await disable(session, o, reason="failing", now=now)


async def _mark_success(session: AsyncSession, sent: Outgoing, now: dt.datetime) -> None:
    """Note the endpoint's last success, at most once per ``SUCCESS_MARK_EVERY``: every delivery
    updating the one endpoint row would make concurrent deliveries to it wait on each other."""
    E = WebhookEndpoint
    await session.execute(
        update(E)
        .where(
            E.organization_id == sent.organization_id,
            E.id == sent.endpoint_id,
            or_(E.last_success_at.is_(None), E.last_success_at < now - SUCCESS_MARK_EVERY),
        )
        .values(last_success_at=now)
    )


async def _down_all_along(session: AsyncSession, sent: Outgoing) -> bool:
    """No delivery to the endpoint succeeded since this one's schedule began. (A success is
    noted up to ``SUCCESS_MARK_EVERY`` late, hence the margin: in doubt, the endpoint stays on.)"""
    last = await session.scalar(
        select(WebhookEndpoint.last_success_at).where(
            WebhookEndpoint.organization_id == sent.organization_id, WebhookEndpoint.id == sent.endpoint_id
        )
    )
    return last is None or last < sent.schedule_started_at - SUCCESS_MARK_EVERY


async def disable(session: AsyncSession, sent: Outgoing, *, reason: str, now: dt.datetime) -> None:
    """Switch the endpoint off and tell the organization with a ``webhook_endpoint.disabled``
    event (once: only the transaction that actually switches it off writes the event)."""
    result: Any = await session.execute(
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.organization_id == sent.organization_id,
            WebhookEndpoint.id == sent.endpoint_id,
            WebhookEndpoint.enabled.is_(True),
        )
        .values(enabled=False, disabled_reason=reason, disabled_at=now, updated_at=now)
    )
    if result.rowcount != 1:
        return
    why = {
        "gone": "The endpoint answered 410 Gone.",
        "failing": "Every attempt of a delivery failed for the whole retry schedule.",
    }[reason]
    await events.record(
        session,
        organization_id=sent.organization_id,
        type="webhook_endpoint.disabled",
        data={
            "endpoint_id": str(sent.endpoint_id),
            "url": sent.url,
            "reason": reason,
            "detail": why,
            "delivery_id": str(sent.delivery_id),
        },
    )
    log.warning("webhook_endpoint_disabled", endpoint_id=str(sent.endpoint_id), reason=reason)
