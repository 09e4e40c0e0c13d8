"""eWarehousing's articles and stock over Wareflow's catalog and stock levels.

Articles are the organization's (every warehouse sees the same catalog); stock is the
``X-Wms-Code`` warehouse's. The ``article_code``, ``ean``, ``sku`` and ``search`` filters match
a product's article code, EAN/UPC or SKU exactly. Articles are listed oldest first.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session
from wareflow.api.writes import json_response, write
from wareflow.catalog import service as catalog
from wareflow.catalog.models import Product
from wareflow.catalog.schemas import ProductIn, ProductPatch
from wareflow.core.errors import InvalidInput, NotFound
from wareflow.core.validation import validate
from wareflow.dialects.common import vendor_errors
from wareflow.dialects.ewarehousing import articles, errors
from wareflow.dialects.ewarehousing.auth import CurrentWms
from wareflow.dialects.ewarehousing.paging import moment, page_of, route
from wareflow.dialects.ewarehousing.schemas import ArticleIn, ArticlePatch
from wareflow.orders.allocation import retry_unknown_skus
from wareflow.stock import service as stock
from wareflow.stock.models import StockLevel

router = APIRouter(route_class=vendor_errors(errors.answer))
Page = Annotated[int, Query(ge=1, le=100_000)]
Limit = Annotated[int, Query(ge=1, le=250)]


def _article(product: Product) -> dict[str, Any]:
    return articles.article(catalog.present_product(product))


def _product_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("Article not found.") from None


@route(router, "/wms/articles/", ["GET"], summary="eWarehousing: list articles")
async def list_articles(
    session: Session,
    ctx: CurrentWms,
    article_code: str | None = None,
    ean: str | None = None,
    sku: str | None = None,
    search: str | None = None,
    page: Page = 1,
    limit: Limit = 50,
) -> Response:
    code = article_code or ean or sku or search
    org_id = ctx.tenant.organization.id

    async def fetch(size: int, cursor: str | None) -> tuple[list[Product], str | None]:
        return await catalog.list_products(
            session, organization_id=org_id, code=code, limit=size, cursor=cursor
        )

    found = await page_of(fetch, page=page, limit=limit)
    return json_response(200, [_article(p) for p in found])


@route(router, "/wms/articles/", ["POST"], summary="eWarehousing: create an article")
async def create_article(request: Request, session: Session, ctx: CurrentWms) -> Response:
    """One variant per article; orders held for its code are released, as natively."""
    raw, data = await read_object(request)
    body = validate(ArticleIn, data)
    with errors.vendor_fields(articles.vendor_pointer):
        product_in = validate(ProductIn, articles.to_product(body))
    tenant = ctx.tenant

    async def run() -> Response:
        with errors.vendor_fields(articles.vendor_pointer):
            product = await catalog.create_product(
                session, organization_id=tenant.organization.id, data=product_in
            )
        codes = {c for c in (product.sku, product.article_code, product.ean, product.upc) if c}
        await retry_unknown_skus(
            session, organization_id=tenant.organization.id, codes=codes, actor=tenant.actor
        )
        return json_response(201, _article(product))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@route(router, "/wms/articles/{article_id}/", ["GET"], summary="eWarehousing: get an article")
async def get_article(article_id: str, session: Session, ctx: CurrentWms) -> Response:
    product = await catalog.get_product(
        session, organization_id=ctx.tenant.organization.id, product_id=_product_id(article_id)
    )
    return json_response(200, _article(product))


@route(router, "/wms/articles/{article_id}/", ["PATCH"], summary="eWarehousing: update an article")
async def update_article(article_id: str, request: Request, session: Session, ctx: CurrentWms) -> Response:
    raw, data = await read_object(request)
    body = validate(ArticlePatch, data)
    with errors.vendor_fields(articles.vendor_pointer):
        patch = validate(ProductPatch, articles.to_product_patch(body))
    product_id, tenant = _product_id(article_id), ctx.tenant

    async def run() -> Response:
        with errors.vendor_fields(articles.vendor_pointer):
            product = await catalog.update_product(
                session, organization_id=tenant.organization.id, product_id=product_id, patch=patch
            )
        return json_response(200, _article(product))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@route(router, "/wms/stock/", ["GET"], summary="eWarehousing: stock of the warehouse")
async def list_stock(
    session: Session,
    ctx: CurrentWms,
    article_code: str | None = None,
    ean: str | None = None,
    sku: str | None = None,
    search: str | None = None,
    modified_gte: str | None = None,
    page: Page = 1,
    limit: Limit = 50,
) -> Response:
    """Per article: physical (on hand), salable and available (not allocated), pickable."""
    code = article_code or ean or sku or search
    since = moment("modified_gte", modified_gte, end=False)
    org_id = ctx.tenant.organization.id

    async def fetch(size: int, cursor: str | None) -> tuple[list[tuple[StockLevel, Product]], str | None]:
        try:
            return await stock.levels(
                session,
                organization_id=org_id,
                sku=code,
                warehouse_code=ctx.warehouse_code,
                limit=size,
                cursor=cursor,
            )
        except InvalidInput:  # a code no product has: no stock, not an error
            return [], None

    def keep(row: tuple[StockLevel, Product]) -> bool:
        return since is None or row[0].updated_at >= since

    rows = await page_of(fetch, page=page, limit=limit, keep=keep)
    return json_response(
        200,
        [articles.stock_row(stock.present_level(lv, p), catalog.present_product(p)) for lv, p in rows],
    )
