"""Document routes: attach to an order, list an order's, read one, download its bytes."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.core.errors import FieldError, InvalidInput
from wareflow.core.validation import validate
from wareflow.documents import service
from wareflow.orders import service as orders

router = APIRouter(tags=["documents"])


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Annotated[str, Field(min_length=1, max_length=255)]
    kind: Literal["packing_slip", "label", "customs", "invoice", "other"]
    content: Annotated[str, Field(min_length=1, description="The file, base64")]
    quantity: Annotated[StrictInt, Field(ge=1, le=1000)] = 1
    is_shipping_label: bool = False


@router.post("/v1/orders/{order_id}/documents", status_code=201, openapi_extra=json_body(DocumentIn))
async def attach(order_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Attach a label, invoice, customs form… (PDF, PNG, JPEG, GIF or ZPL, told by its bytes)."""
    raw, data = await read_object(request)
    body = validate(DocumentIn, data)
    try:
        content = base64.b64decode(body.content, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput([FieldError("/content", "invalid_base64", "content must be base64.")]) from None

    async def run() -> Response:
        await orders.get_order(session, organization_id=tenant.organization.id, order_id=order_id)
        document = await service.attach(
            session,
            organization_id=tenant.organization.id,
            order_id=order_id,
            title=body.title,
            kind=body.kind,
            content=content,
            quantity=body.quantity,
            is_shipping_label=body.is_shipping_label,
            max_bytes=request.app.state.settings.max_document_bytes,
        )
        return json_response(
            201, service.present_document(document), {"location": f"/v1/documents/{document.id}"}
        )

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("/v1/orders/{order_id}/documents")
async def list_documents(order_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    await orders.get_order(session, organization_id=tenant.organization.id, order_id=order_id)
    documents = await service.list_for_order(session, tenant.organization.id, order_id)
    return json_response(
        200, {"items": [service.present_document(d) for d in documents], "next_cursor": None}
    )


@router.get("/v1/documents/{document_id}")
async def get_document(document_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    document = await service.get(session, tenant.organization.id, document_id)
    return json_response(200, service.present_document(document))


@router.get(
    "/v1/documents/{document_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/png": {}}}},
)
async def document_content(document_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    document = await service.get(session, tenant.organization.id, document_id, with_content=True)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}.get(
        document.content_type, "zpl"
    )
    return Response(
        document.content,
        media_type=document.content_type,
        headers={
            "content-disposition": f'inline; filename="{document.id}.{extension}"',
            "etag": f'"{document.sha256}"',
        },
    )
