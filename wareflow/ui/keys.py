"""An organization's API keys in the UI: list them, make one (shown once, on the answer page and
nowhere else: never in a cookie or a redirect), revoke one. Merchant users manage their own
organization's keys, operators any organization's."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.core.errors import DomainError
from wareflow.tenants import service as tenants
from wareflow.tenants.cache import OrgRef, TenantCache
from wareflow.ui import render
from wareflow.ui.context import CheckedForm, CurrentViewer, DbSession, organization, visible_organizations
from wareflow.ui.orders import parse_id

router = APIRouter()


async def _view(
    request: Request,
    session: AsyncSession,
    viewer: CurrentViewer,
    org: OrgRef,
    *,
    made: str | None = None,
    problems: render.Problems | None = None,
    status: int = 200,
) -> Response:
    context = {
        "nav": "keys",
        "orgs": await visible_organizations(request, session, viewer),
        "org": org,
        "keys": [tenants.present_api_key(k) for k in await tenants.list_api_keys(session, org.id)],
        "made": made,
        "problems": problems or render.Problems(),
    }
    return render.page(request, "keys.html", context, status=status)


@router.get("/keys")
async def keys_page(request: Request, session: DbSession, viewer: CurrentViewer, org: str = "") -> Response:
    current = await organization(request, session, viewer, org or None)
    return await _view(request, session, viewer, current)


@router.post("/keys/{slug}")
async def make_key(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm, slug: str
) -> Response:
    org = await organization(request, session, viewer, slug)
    name = str(form.get("name") or "").strip()
    try:
        _, key = await tenants.create_api_key(
            session, organization=await tenants.get_organization(session, org.id), name=name
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        return await _view(request, session, viewer, org, problems=render.Problems.of(exc), status=exc.status)
    return await _view(request, session, viewer, org, made=key)


@router.post("/keys/{slug}/{key_id}/revoke")
async def revoke_key(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm, slug: str, key_id: str
) -> Response:
    org = await organization(request, session, viewer, slug)
    url = f"/ui/keys?org={org.slug}"
    try:
        key = await tenants.revoke_api_key(
            session, organization_id=org.id, key_id=parse_id(key_id, "API key")
        )
        await session.commit()
    except DomainError as exc:
        return render.redirect(request, url, message=exc.detail, kind="error")
    cache: TenantCache = request.app.state.tenant_cache
    cache.forget_key(key.id)
    return render.redirect(request, url, message=f"Key {tenants.present_api_key(key)['prefix']}… is revoked.")
