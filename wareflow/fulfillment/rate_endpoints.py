"""Rate tables of the organization (``POST`` adds rows, ``GET`` lists them)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.core.validation import validate
from wareflow.fulfillment import rates

router = APIRouter(prefix="/v1/rates", tags=["fulfillment"])


class RatesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rates: Annotated[list[rates.RateIn], Field(min_length=1, max_length=1000)]


@router.post("", status_code=201, openapi_extra=json_body(RatesIn))
async def add_rates(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Add rows to rate groups; orders naming a ``rate_group`` get the cheapest match at pack."""
    raw, data = await read_object(request)
    body = validate(RatesIn, data)

    async def run() -> Response:
        rows = await rates.add_rates(session, organization_id=tenant.organization.id, rates=body.rates)
        return json_response(201, {"items": [rates.present_rate(r) for r in rows], "next_cursor": None})

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("")
async def list_rates(tenant: CurrentTenant, session: Session, rate_group: str | None = None) -> Response:
    rows = await rates.list_rates(session, tenant.organization.id, rate_group)
    return json_response(200, {"items": [rates.present_rate(r) for r in rows], "next_cursor": None})
