"""Attaching, listing and reading order documents; the content type is read from the bytes."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.db import new_id, utcnow
from wareflow.documents.models import Document
from wareflow.events import service as events

KINDS = ("packing_slip", "label", "customs", "invoice", "other")
# Leading bytes of the formats a warehouse prints: what the file is, whatever it claims.
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"^XA", "application/x-zpl"),  # Zebra labels
]


class TooLarge(DomainError):
    status, code, title = 413, "payload_too_large", "Document too large"


def sniff(content: bytes) -> str | None:
    head = content.lstrip()[:16]
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


async def attach(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    title: str,
    kind: str,
    content: bytes,
    quantity: int = 1,
    is_shipping_label: bool = False,
    generated: bool = False,
    max_bytes: int,
) -> Document:
    if len(content) > max_bytes:
        raise TooLarge(f"Documents are limited to {max_bytes} bytes.")
    content_type = sniff(content)
    if content_type is None:
        raise InvalidInput(
            [FieldError("/content", "unsupported_content", "Send a PDF, PNG, JPEG, GIF or ZPL document.")]
        )
    document = Document(
        organization_id=organization_id,
        id=new_id(),
        order_id=order_id,
        title=title,
        kind=kind,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        quantity=quantity,
        is_shipping_label=is_shipping_label,
        generated=generated,
        content=content,
        created_at=utcnow(),
    )
    session.add(document)
    await events.record(
        session,
        organization_id=organization_id,
        type="document.attached",
        order_id=order_id,
        data={"document": present_document(document)},
    )
    return document


async def list_for_order(
    session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID
) -> list[Document]:
    query = select(Document).where(Document.organization_id == organization_id, Document.order_id == order_id)
    return list((await session.scalars(query.order_by(Document.created_at, Document.id))).all())


async def get(
    session: AsyncSession, organization_id: uuid.UUID, document_id: uuid.UUID, *, with_content: bool = False
) -> Document:
    query = select(Document).where(Document.organization_id == organization_id, Document.id == document_id)
    if with_content:
        query = query.options(undefer(Document.content))
    document = await session.scalar(query)
    if document is None:
        raise NotFound("No such document.")
    return document


def present_document(d: Document) -> dict[str, Any]:
    return {
        "id": str(d.id),
        "order_id": str(d.order_id),
        "title": d.title,
        "kind": d.kind,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "quantity": d.quantity,
        "is_shipping_label": d.is_shipping_label,
        "generated": d.generated,
        "url": f"/v1/documents/{d.id}/content",
        "created_at": d.created_at.isoformat(),
    }
