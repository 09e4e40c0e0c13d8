"""Product routes: merchants manage their own catalog; operators may act for one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.catalog import service
from wareflow.catalog.schemas import ProductImport, ProductIn, ProductOut, ProductPatch
from wareflow.core.validation import validate
from wareflow.orders.allocation import retry_unknown_skus

router = APIRouter(prefix="/v1/products", tags=["catalog"])


@router.post("", status_code=201, response_model=ProductOut, openapi_extra=json_body(ProductIn))
async def create_product(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Add a product. Orders held for an unknown SKU it matches are released and allocated."""
    raw, data = await read_object(request)
    body = validate(ProductIn, data)

    async def run() -> Response:
        product = await service.create_product(session, organization_id=tenant.organization.id, data=body)
        codes = {c for c in (product.sku, product.article_code, product.ean, product.upc) if c}
        await retry_unknown_skus(
            session, organization_id=tenant.organization.id, codes=codes, actor=tenant.actor
        )
        return json_response(
            201, service.present_product(product), {"location": f"/v1/products/{product.id}"}
        )

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.post("/import", openapi_extra=json_body(ProductImport))
async def import_products(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Create or update many products by SKU; answers one result per row, in order."""
    raw, data = await read_object(request)
    body = validate(ProductImport, data)

    async def run() -> Response:
        results = await service.import_products(
            session, organization_id=tenant.organization.id, rows=body.products
        )
        codes = {r.product.sku for r in results if r.product is not None}
        await retry_unknown_skus(
            session, organization_id=tenant.organization.id, codes=codes, actor=tenant.actor
        )
        counts = {s: sum(r.status == s for r in results) for s in ("created", "updated", "error")}
        return json_response(200, {"results": [r.present() for r in results], **counts})

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("")
async def list_products(
    tenant: CurrentTenant,
    session: Session,
    code: Annotated[str | None, Query(description="Matches SKU, article code, EAN or UPC")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> Response:
    products, next_cursor = await service.list_products(
        session, organization_id=tenant.organization.id, code=code, limit=limit, cursor=cursor
    )
    return json_response(
        200, {"items": [service.present_product(p) for p in products], "next_cursor": next_cursor}
    )


@router.get("/{product_id}", response_model=ProductOut)
async def get_product(product_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    product = await service.get_product(
        session, organization_id=tenant.organization.id, product_id=product_id
    )
    return json_response(200, service.present_product(product))


@router.patch("/{product_id}", response_model=ProductOut, openapi_extra=json_body(ProductPatch))
async def update_product(
    product_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    raw, data = await read_object(request)
    patch = validate(ProductPatch, data)

    async def run() -> Response:
        product = await service.update_product(
            session, organization_id=tenant.organization.id, product_id=product_id, patch=patch
        )
        return json_response(200, service.present_product(product))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.delete("/{product_id}", status_code=204)
async def delete_product(
    product_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    """Remove a product no warehouse holds (409 otherwise)."""

    async def run() -> Response:
        await service.delete_product(session, organization_id=tenant.organization.id, product_id=product_id)
        return Response(status_code=204)

    return await write(request, session=session, tenant=tenant, raw_body=b"", run=run)
