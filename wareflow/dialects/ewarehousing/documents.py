"""eWarehousing's order documents over Wareflow's documents service.

A document answers ``{id, title, mime_type, quantity, is_shipping_label, order_price}``; the
generic ``GET /wms/documents/:id`` adds ``file`` (the bytes, base64) so a client can download
it. ``order_price`` is always 0: Wareflow's documents keep no price, so a non-zero one is
refused rather than dropped. The MIME type is read from the bytes (PDF, PNG, JPEG, GIF, ZPL).
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session, Tenant
from wareflow.api.writes import json_response, write
from wareflow.core.errors import FieldError, InvalidInput, NotFound
from wareflow.core.validation import validate
from wareflow.dialects.common import vendor_errors
from wareflow.dialects.ewarehousing import errors
from wareflow.dialects.ewarehousing.auth import CurrentWms, stored_order
from wareflow.dialects.ewarehousing.paging import route
from wareflow.dialects.ewarehousing.schemas import Document as DocumentIn
from wareflow.documents import service
from wareflow.documents.models import Document

router = APIRouter(route_class=vendor_errors(errors.answer))


def present(document: Document, *, with_file: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": str(document.id),
        "title": document.title,
        "mime_type": document.content_type,
        "quantity": document.quantity,
        "is_shipping_label": document.is_shipping_label,
        "order_price": 0,
    }
    if with_file:
        out["file"] = base64.b64encode(document.content).decode()
    return out


def decoded(pointer: str, document: DocumentIn) -> tuple[DocumentIn, bytes]:
    """The document and its bytes; ``pointer`` names it in errors."""
    try:
        return document, base64.b64decode(document.file, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            [FieldError(f"{pointer}/file", "invalid_base64", "file must be base64.")]
        ) from None


async def of_order(
    session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID
) -> list[dict[str, Any]]:
    return [present(d) for d in await service.list_for_order(session, organization_id, order_id)]


async def attach(
    request: Request,
    session: AsyncSession,
    tenant: Tenant,
    order_id: uuid.UUID,
    document: DocumentIn,
    content: bytes,
    pointer: str = "",
) -> Document:
    """Attach through the documents service (a shipping label is kind ``label``)."""
    with errors.vendor_fields(lambda p: pointer + ("/file" if p == "/content" else p)):
        return await service.attach(
            session,
            organization_id=tenant.organization.id,
            order_id=order_id,
            title=document.title,
            kind="label" if document.shipping_label else "other",
            content=content,
            quantity=document.quantity,
            is_shipping_label=document.shipping_label,
            max_bytes=request.app.state.settings.max_document_bytes,
        )


def _document_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("Document not found.") from None


@route(router, "/wms/orders/{order_id}/documents/", ["GET"], summary="eWarehousing: list order documents")
async def list_documents(order_id: str, session: Session, ctx: CurrentWms) -> Response:
    stored = await stored_order(session, ctx, order_id)
    return json_response(200, await of_order(session, ctx.tenant.organization.id, stored.order.id))


@route(router, "/wms/orders/{order_id}/documents/", ["POST"], summary="eWarehousing: add a document")
async def add_document(order_id: str, request: Request, session: Session, ctx: CurrentWms) -> Response:
    """``{file (base64), title, quantity, order_price, shipping_label}`` → 201 with the document."""
    raw, data = await read_object(request)
    document, content = decoded("", validate(DocumentIn, data))
    stored = await stored_order(session, ctx, order_id)

    async def run() -> Response:
        attached = await attach(request, session, ctx.tenant, stored.order.id, document, content)
        return json_response(201, present(attached))

    return await write(request, session=session, tenant=ctx.tenant, raw_body=raw, run=run)


@route(
    router,
    "/wms/orders/{order_id}/documents/{document_id}/",
    ["GET"],
    summary="eWarehousing: get an order document (deprecated)",
    deprecated=True,
)
async def get_order_document(order_id: str, document_id: str, session: Session, ctx: CurrentWms) -> Response:
    stored = await stored_order(session, ctx, order_id)
    document = await service.get(session, ctx.tenant.organization.id, _document_id(document_id))
    if document.order_id != stored.order.id:
        raise NotFound("Document not found.")
    return json_response(200, present(document))


@route(router, "/wms/documents/{document_id}/", ["GET"], summary="eWarehousing: get a document")
async def get_document(document_id: str, session: Session, ctx: CurrentWms) -> Response:
    org_id = ctx.tenant.organization.id
    document = await service.get(session, org_id, _document_id(document_id), with_content=True)
    try:  # only documents of this warehouse's orders
        await stored_order(session, ctx, str(document.order_id))
    except NotFound:
        raise NotFound("Document not found.") from None
    return json_response(200, present(document, with_file=True))
