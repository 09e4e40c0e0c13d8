"""The calling organization's API keys: list them, make one, revoke one (key rotation without the
warehouse's help). Operator keys are the warehouse's own and are managed with the CLI."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response
from wareflow.core.validation import validate
from wareflow.tenants import service
from wareflow.tenants.cache import TenantCache

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"])


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Annotated[str, Field(max_length=255, description="A label: where the key is used")] = ""


@router.get("")
async def list_keys(tenant: CurrentTenant, session: Session) -> Response:
    """The organization's keys, revoked ones too, newest first (never the keys themselves)."""
    keys = await service.list_api_keys(session, tenant.organization.id)
    return json_response(200, {"items": [service.present_api_key(k) for k in keys]})


@router.post("", status_code=201, openapi_extra=json_body(KeyIn))
async def create_key(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """A new merchant key of the organization, shown once in ``key``. ``Idempotency-Key`` is not
    kept here: a stored answer would hold the key in clear, so a retry makes another key."""
    _, data = await read_object(request)
    body = validate(KeyIn, data)
    org = await service.get_organization(session, tenant.organization.id)
    row, key = await service.create_api_key(session, organization=org, name=body.name)
    await session.commit()
    headers = {"location": f"/v1/api-keys/{row.id}"}
    return json_response(201, {**service.present_api_key(row), "key": key}, headers)


@router.delete("/{key_id}", status_code=204)
async def revoke_key(
    request: Request, key_id: uuid.UUID, tenant: CurrentTenant, session: Session
) -> Response:
    """Revoke a key: it stops working at once (within a few seconds in other API processes)."""
    caller = tenant.principal.key_id if tenant.principal.subject == "key" else None
    await service.revoke_api_key(session, organization_id=tenant.organization.id, key_id=key_id, by=caller)
    await session.commit()
    cache: TenantCache = request.app.state.tenant_cache
    cache.forget_key(key_id)
    return Response(status_code=204)
