"""Warehouse routes: pick lists, and pick / pack / ship / hold / release of a shipment.
Operators act; merchants may read."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator
from sqlalchemy import select
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Forbidden, Session, Tenant
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.core import rules
from wareflow.core.errors import NotFound
from wareflow.core.fulfillment import PickedLine
from wareflow.core.validation import validate
from wareflow.documents import generate
from wareflow.fulfillment import picking, shipping
from wareflow.fulfillment.models import Shipment
from wareflow.fulfillment.presenter import present_shipment

router = APIRouter(tags=["fulfillment"])
Text = Annotated[str, Field(min_length=1, max_length=100)]


def _operator(tenant: Tenant) -> None:
    if not tenant.principal.is_operator:
        raise Forbidden("Warehouse actions are for operator keys; merchants may read.")


class WaveFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    warehouse_code: Text | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50


class PickListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    order_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)] | None = None
    filter: WaveFilter | None = None

    @model_validator(mode="after")
    def _one(self) -> PickListIn:
        if (self.order_ids is None) == (self.filter is None):
            raise ValueError("Give order_ids or a filter (a wave), one of the two.")
        return self


class PickLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    line_number: StrictInt
    quantity: Annotated[StrictInt, Field(ge=0)]
    serial_numbers: list[Text] = Field(default_factory=list, max_length=10_000)
    lot: Text | None = None


class PickIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lines: Annotated[list[PickLineIn], Field(min_length=1)]


class PackageLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line_number: StrictInt
    quantity: Annotated[StrictInt, Field(gt=0)]


class PackageIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reference: Text | None = None
    weight: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=4)]
    weight_unit: Literal["lb", "kg", "oz", "g"]
    length: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=4)]
    width: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=4)]
    height: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=4)]
    dim_unit: Literal["in", "cm"]
    package_type: Text = "box"
    lines: Annotated[list[PackageLine], Field(min_length=1)]

    @field_validator("weight_unit", "dim_unit", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


class PackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    packages: Annotated[list[PackageIn], Field(min_length=1, max_length=200)]


class ShipIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    carrier_code: Text
    tracking_number: Text
    carrier_name: Annotated[str, Field(max_length=255)] | None = None
    service_level_code: Text | None = None
    shipped_at: dt.datetime | None = None
    cost: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)] | None = None
    currency: Annotated[str, AfterValidator(rules.currency_code)] | None = None


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(max_length=255)] | None = None


# --- pick lists -------------------------------------------------------------------------------


async def _pick_list_body(
    request: Request, tenant: Tenant, session: Session, pick_list_id: uuid.UUID
) -> dict:  # type: ignore[type-arg]
    pick_list = await picking.get_pick_list(session, tenant.organization.id, pick_list_id)
    rows = await picking.pick_list_rows(session, tenant.organization.id, pick_list)
    return {
        "id": str(pick_list.id),
        "warehouse_code": pick_list.warehouse_code,
        "shipment_ids": pick_list.shipment_ids,
        "created_by": pick_list.created_by,
        "created_at": pick_list.created_at.isoformat(),
        "lines": rows,
        "document_url": f"/v1/pick-lists/{pick_list.id}/document",
    }


@router.post("/v1/pick-lists", status_code=201, tags=["fulfillment"], openapi_extra=json_body(PickListIn))
async def create_pick_list(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Put entered shipments on a pick list (they move to ``picking``); lines come sorted by bin."""
    _operator(tenant)
    raw, data = await read_object(request)
    body = validate(PickListIn, data)
    wave = (
        picking.Wave(order_ids=body.order_ids)
        if body.order_ids
        else picking.Wave(
            warehouse_code=body.filter.warehouse_code if body.filter else None,
            limit=body.filter.limit if body.filter else 50,
        )
    )

    async def run() -> Response:
        pick_list = await picking.create_pick_list(
            session, organization=tenant.organization, wave=wave, actor=tenant.actor
        )
        await session.flush()
        return json_response(201, await _pick_list_body(request, tenant, session, pick_list.id))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("/v1/pick-lists/{pick_list_id}")
async def get_pick_list(
    pick_list_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    return json_response(200, await _pick_list_body(request, tenant, session, pick_list_id))


@router.get(
    "/v1/pick-lists/{pick_list_id}/document",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def pick_list_document(
    pick_list_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    """The pick list as a PDF to print (bins in walking order, SKUs as Code 128 barcodes)."""
    body = await _pick_list_body(request, tenant, session, pick_list_id)
    pdf = generate.pick_list(f"PL-{str(pick_list_id)[-8:].upper()}", body["warehouse_code"], body["lines"])
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="pick-list-{pick_list_id}.pdf"'},
    )


# --- shipments --------------------------------------------------------------------------------


@router.get("/v1/shipments/{shipment_id}")
async def get_shipment(shipment_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    shipment = await session.scalar(
        select(Shipment).where(Shipment.organization_id == tenant.organization.id, Shipment.id == shipment_id)
    )
    if shipment is None:
        raise NotFound("No such shipment.")
    return json_response(200, present_shipment(shipment))


def _shipment_of(stored: object, shipment_id: uuid.UUID) -> dict:  # type: ignore[type-arg]
    order = stored.present()  # type: ignore[attr-defined]
    shipment = next(s for s in order["shipments"] if s["id"] == str(shipment_id))
    return {**shipment, "order": {"id": order["id"], "number": order["number"], "status": order["status"]}}


@router.post("/v1/shipments/{shipment_id}/pick", openapi_extra=json_body(PickIn))
async def pick(shipment_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """What was picked, every line (0 when nothing was found); a serial per unit of serial-tracked
    products. A short pick splits the rest into a backordered shipment (or ships short)."""
    _operator(tenant)
    raw, data = await read_object(request)
    body = validate(PickIn, data)
    picks = [PickedLine(li.line_number, li.quantity, tuple(li.serial_numbers), li.lot) for li in body.lines]

    async def run() -> Response:
        stored = await picking.pick(
            session,
            organization=tenant.organization,
            shipment_id=shipment_id,
            picks=picks,
            actor=tenant.actor,
        )
        return json_response(200, _shipment_of(stored, shipment_id))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.post("/v1/shipments/{shipment_id}/pack", openapi_extra=json_body(PackIn))
async def pack(shipment_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Packages with what they hold; the packed quantities must match the pick."""
    _operator(tenant)
    raw, data = await read_object(request)
    body = validate(PackIn, data)
    packages = [p.model_dump(mode="json") for p in body.packages]

    async def run() -> Response:
        stored = await shipping.pack(
            session,
            organization=tenant.organization,
            shipment_id=shipment_id,
            packages=packages,
            max_document_bytes=request.app.state.settings.max_document_bytes,
        )
        return json_response(200, _shipment_of(stored, shipment_id))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.post("/v1/shipments/{shipment_id}/ship", openapi_extra=json_body(ShipIn))
async def ship(shipment_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Handed to the carrier with tracking: stock leaves on hand, the shipment is ``shipped``."""
    _operator(tenant)
    raw, data = await read_object(request)
    body = validate(ShipIn, data)
    handover = shipping.Handover(**body.model_dump())

    async def run() -> Response:
        stored = await shipping.ship(
            session,
            organization=tenant.organization,
            shipment_id=shipment_id,
            handover=handover,
            actor=tenant.actor,
        )
        return json_response(200, _shipment_of(stored, shipment_id))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


async def _hold(
    shipment_id: uuid.UUID, request: Request, tenant: Tenant, session: Session, hold: bool
) -> Response:
    _operator(tenant)
    raw = await request.body()
    reason = validate(HoldIn, (await read_object(request))[1]).reason if raw.strip() else None

    async def run() -> Response:
        stored = await shipping.hold_or_release(
            session, organization=tenant.organization, shipment_id=shipment_id, hold=hold, reason=reason
        )
        return json_response(200, _shipment_of(stored, shipment_id))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.post("/v1/shipments/{shipment_id}/hold")
async def hold(shipment_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Keep an entered shipment off pick lists (optional ``{"reason": …}``)."""
    return await _hold(shipment_id, request, tenant, session, True)


@router.post("/v1/shipments/{shipment_id}/release")
async def release(
    shipment_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    return await _hold(shipment_id, request, tenant, session, False)
