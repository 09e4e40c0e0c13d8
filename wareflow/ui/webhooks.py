"""Webhooks: an organization's endpoints and its delivery log, with a button to send again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.core.errors import DomainError
from wareflow.ui import render
from wareflow.ui.context import CheckedForm, CurrentViewer, DbSession, organization, visible_organizations
from wareflow.ui.orders import parse_id
from wareflow.webhooks import deliveries
from wareflow.webhooks import service as webhooks

router = APIRouter()
STATUSES = ("pending", "succeeded", "failed")


@router.get("/webhooks")
async def webhooks_page(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    org: str = "",
    status: str = "",
    cursor: str = "",
) -> Response:
    current = await organization(request, session, viewer, org or None)
    problems = render.Problems()
    logged: list[deliveries.LoggedDelivery] = []
    next_cursor = None
    try:
        logged, next_cursor = await deliveries.list_deliveries(
            session,
            organization_id=current.id,
            filters=deliveries.DeliveryFilter(status=status if status in STATUSES else None),
            limit=25,
            cursor=cursor or None,
        )
    except DomainError as exc:
        problems = render.Problems.of(exc, set())
    endpoints = await webhooks.list_endpoints(session, organization_id=current.id)
    context = {
        "nav": "webhooks",
        "orgs": await visible_organizations(request, session, viewer),
        "org": current,
        "status": status if status in STATUSES else "",
        "statuses": STATUSES,
        "endpoints": {e.id: e for e in endpoints},
        "deliveries": logged,
        "next_cursor": next_cursor,
        "problems": problems,
    }
    return render.page(request, "webhooks.html", context)


@router.post("/webhooks/{slug}/deliveries/{delivery_id}/retry")
async def retry(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    form: CheckedForm,
    slug: str,
    delivery_id: str,
) -> Response:
    org = await organization(request, session, viewer, slug)
    url = f"/ui/webhooks?org={org.slug}"
    try:
        logged = await deliveries.retry_delivery(
            session, organization_id=org.id, delivery_id=parse_id(delivery_id, "delivery")
        )
        await session.commit()
    except DomainError as exc:
        return render.redirect(request, url, message=exc.detail, kind="error")
    return render.redirect(
        request, url, message=f"Delivery of {logged.delivery.event_type} queued to be sent again."
    )
