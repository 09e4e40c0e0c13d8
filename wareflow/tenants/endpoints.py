"""The calling organization: its name, default warehouse and settings."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.core.validation import validate
from wareflow.tenants import service

router = APIRouter(prefix="/v1/organization", tags=["organization"])


class SettingsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unknown_sku_policy: Literal["reject", "accept"] | None = None
    short_pick_policy: Literal["backorder", "short_ship"] | None = None
    incoterm_strictness: Literal["lenient", "strict"] | None = None


class OrganizationPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    default_warehouse_code: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    settings: SettingsPatch | None = None


@router.get("")
async def get_organization(tenant: CurrentTenant, session: Session) -> Response:
    org = await service.get_organization(session, tenant.organization.id)
    return json_response(200, service.present_organization(org))


@router.patch("", openapi_extra=json_body(OrganizationPatch))
async def update_organization(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Change the name, the default warehouse or settings (``unknown_sku_policy``: ``reject``
    refuses orders naming unknown products, ``accept`` stores them on hold until they exist)."""
    raw, data = await read_object(request)
    patch = validate(OrganizationPatch, data)

    async def run() -> Response:
        org = await service.update_organization(
            session,
            organization_id=tenant.organization.id,
            name=patch.name,
            default_warehouse_code=patch.default_warehouse_code,
            settings=patch.settings.model_dump(exclude_none=True) if patch.settings else {},
        )
        request.app.state.tenant_cache.forget(org.id, org.slug)
        return json_response(200, service.present_organization(org))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)
