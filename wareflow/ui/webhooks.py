"""Webhooks: an organization's endpoints (add one, turn one off or on) and its delivery log, with
a button to send again."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.config import Settings
from wareflow.core.errors import DomainError
from wareflow.core.validation import validate
from wareflow.tenants.cache import OrgRef
from wareflow.ui import render
from wareflow.ui.context import (
    CheckedForm,
    CurrentViewer,
    DbSession,
    Viewer,
    organization,
    visible_organizations,
)
from wareflow.ui.orders import parse_id
from wareflow.webhooks import deliveries
from wareflow.webhooks import service as webhooks
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.schemas import EndpointIn, EndpointPatch

router = APIRouter()
STATUSES = ("pending", "succeeded", "failed")
ENDPOINT_FIELDS = ("url", "description", "event_types")


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
    return await _view(request, session, viewer, current, status=status, cursor=cursor)


async def _view(
    request: Request,
    session: AsyncSession,
    viewer: Viewer,
    org: OrgRef,
    *,
    status: str = "",
    cursor: str = "",
    secret: str | None = None,
    form: dict[str, str] | None = None,
    form_problems: render.Problems | None = None,
    http_status: int = 200,
) -> Response:
    problems = render.Problems()
    logged: list[deliveries.LoggedDelivery] = []
    next_cursor = None
    try:
        logged, next_cursor = await deliveries.list_deliveries(
            session,
            organization_id=org.id,
            filters=deliveries.DeliveryFilter(status=status if status in STATUSES else None),
            limit=25,
            cursor=cursor or None,
        )
    except DomainError as exc:
        problems = render.Problems.of(exc, set())
    endpoints = await webhooks.list_endpoints(session, organization_id=org.id)
    context = {
        "nav": "webhooks",
        "orgs": await visible_organizations(request, session, viewer),
        "org": org,
        "status": status if status in STATUSES else "",
        "statuses": STATUSES,
        "endpoints": {e.id: e for e in endpoints},
        "deliveries": logged,
        "next_cursor": next_cursor,
        "problems": problems,
        "secret": secret,
        "form": form or {},
        "form_problems": form_problems or render.Problems(),
    }
    return render.page(request, "webhooks.html", context, status=http_status)


@router.post("/webhooks/{slug}/endpoints")
async def add_endpoint(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm, slug: str
) -> Response:
    """Register a URL; its signing secret is shown once, on the answer page."""
    org = await organization(request, session, viewer, slug)
    given = {name: str(form.get(name) or "").strip() for name in ENDPOINT_FIELDS}
    data: dict[str, object] = {"url": given["url"], "description": given["description"] or None}
    if given["event_types"]:
        data["event_types"] = given["event_types"].replace(",", " ").split()
    await session.commit()  # end the sign-in reads: on SQLite they hold the write lock while the URL resolves
    try:
        _, secret = await webhooks.create_endpoint(
            session, organization_id=org.id, data=validate(EndpointIn, data), policy=_policy(request)
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        problems = render.Problems.of(exc, set(ENDPOINT_FIELDS))
        return await _view(
            request, session, viewer, org, form=given, form_problems=problems, http_status=exc.status
        )
    return await _view(request, session, viewer, org, secret=secret)


@router.post("/webhooks/{slug}/endpoints/{endpoint_id}/{action}")
async def switch_endpoint(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    form: CheckedForm,
    slug: str,
    endpoint_id: str,
    action: Literal["enable", "disable"],
) -> Response:
    """Turn an endpoint off (its deliveries wait) or on again (they resume)."""
    org = await organization(request, session, viewer, slug)
    url = f"/ui/webhooks?org={org.slug}"
    try:
        endpoint = await webhooks.update_endpoint(
            session,
            organization_id=org.id,
            endpoint_id=parse_id(endpoint_id, "endpoint"),
            patch=EndpointPatch(enabled=action == "enable"),
            policy=_policy(request),
        )
        await session.commit()
    except DomainError as exc:
        return render.redirect(request, url, message=exc.detail, kind="error")
    return render.redirect(request, url, message=f"{endpoint.url} is {action}d.")


def _policy(request: Request) -> DeliveryPolicy:
    settings: Settings = request.app.state.settings
    return DeliveryPolicy.of(settings)


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
