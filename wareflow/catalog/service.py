"""Products: create, read, list, change, delete and import, with identifiers unique per
organization across all four of them (so a code can only ever name one product)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.models import Product
from wareflow.catalog.resolver import MATCH_ORDER
from wareflow.catalog.schemas import ProductIn, ProductPatch
from wareflow.core.errors import Conflict, DomainError, FieldError, InvalidInput, NotFound
from wareflow.core.validation import validate
from wareflow.db import utcnow
from wareflow.stock.models import StockLevel


def present_product(p: Product) -> dict[str, Any]:
    def num(value: Any) -> str | None:
        return None if value is None else format(value.normalize(), "f")

    return {
        "id": str(p.id),
        "sku": p.sku,
        "article_code": p.article_code,
        "ean": p.ean,
        "upc": p.upc,
        "name": p.name,
        "description": p.description,
        "weight": num(p.weight),
        "weight_unit": p.weight_unit,
        "length": num(p.length),
        "width": num(p.width),
        "height": num(p.height),
        "dim_unit": p.dim_unit,
        "hs_code": p.hs_code,
        "country_of_origin": p.country_of_origin,
        "image_url": p.image_url,
        "serial_tracked": p.serial_tracked,
        "lot_tracked": p.lot_tracked,
        "created_at": p.created_at.isoformat(),
        "updated_at": p.updated_at.isoformat(),
    }


async def _check_identifiers(
    session: AsyncSession, organization_id: uuid.UUID, values: dict[str, Any], own: uuid.UUID | None
) -> None:
    """409 when another product already uses one of these codes in any identifier field."""
    codes = {v for k, v in values.items() if k in MATCH_ORDER and v is not None}
    if not codes:
        return
    columns = [getattr(Product, name) for name in MATCH_ORDER]
    query = select(Product).where(
        Product.organization_id == organization_id, or_(*(c.in_(codes) for c in columns))
    )
    for other in await session.scalars(query):
        if other.id == own:
            continue
        theirs = {getattr(other, n) for n in MATCH_ORDER} - {None}
        taken = sorted(f for f in MATCH_ORDER if values.get(f) in theirs)
        raise Conflict(
            f"Another product already uses {', '.join(taken)} {values[taken[0]]!r}.",
            errors=[FieldError(f"/{f}", "identifier_taken", "Used by another product.") for f in taken],
            existing_product_id=str(other.id),
        )


async def create_product(session: AsyncSession, *, organization_id: uuid.UUID, data: ProductIn) -> Product:
    values = data.model_dump()
    await _check_identifiers(session, organization_id, values, None)
    now = utcnow()
    product = Product(organization_id=organization_id, created_at=now, updated_at=now, **values)
    session.add(product)
    await session.flush()
    return product


async def get_product(session: AsyncSession, *, organization_id: uuid.UUID, product_id: uuid.UUID) -> Product:
    product = await session.get(Product, (organization_id, product_id))
    if product is None:
        raise NotFound("No such product.")
    return product


async def update_product(
    session: AsyncSession, *, organization_id: uuid.UUID, product_id: uuid.UUID, patch: ProductPatch
) -> Product:
    product = await get_product(session, organization_id=organization_id, product_id=product_id)
    changes = patch.model_dump(exclude_unset=True)
    for required in ("sku", "name"):
        if required in changes and changes[required] is None:
            raise InvalidInput([FieldError(f"/{required}", "required", f"{required} cannot be null.")])
    merged = {name: getattr(product, name) for name in MATCH_ORDER} | changes
    await _check_identifiers(session, organization_id, merged, product.id)
    for name, value in changes.items():
        setattr(product, name, value)
    product.updated_at = utcnow()
    return product


async def delete_product(session: AsyncSession, *, organization_id: uuid.UUID, product_id: uuid.UUID) -> None:
    """Only a product the warehouses hold none of (order lines keep their snapshot of it)."""
    product = await get_product(session, organization_id=organization_id, product_id=product_id)
    held = await session.scalar(
        select(func.coalesce(func.sum(StockLevel.on_hand), 0)).where(
            StockLevel.organization_id == organization_id, StockLevel.product_id == product_id
        )
    )
    if held:
        raise Conflict(f"The warehouses still hold {held} units of this product.", on_hand=held)
    await session.delete(product)


async def list_products(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    code: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[Product], str | None]:
    """Products in creation order; ``code`` matches any identifier exactly."""
    query = select(Product).where(Product.organization_id == organization_id)
    if code:
        query = query.where(or_(*(getattr(Product, n) == code for n in MATCH_ORDER)))
    if cursor:
        try:
            query = query.where(Product.id > uuid.UUID(cursor))
        except ValueError:
            raise InvalidInput([FieldError("/query/cursor", "invalid_cursor", "Use next_cursor.")]) from None
    rows = list((await session.scalars(query.order_by(Product.id).limit(limit + 1))).all())
    more, rows = len(rows) > limit, rows[:limit]
    return rows, (str(rows[-1].id) if more else None)


@dataclass
class ImportRow:
    index: int
    status: str  # created | updated | error
    product: Product | None = None
    errors: list[FieldError] | None = None

    def present(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "status": self.status}
        if self.product is not None:
            out["id"], out["sku"] = str(self.product.id), self.product.sku
        if self.errors:
            out["errors"] = [
                {"pointer": e.pointer, "code": e.code, "message": e.message} for e in self.errors
            ]
        return out


async def import_products(
    session: AsyncSession, *, organization_id: uuid.UUID, rows: list[dict[str, Any]]
) -> list[ImportRow]:
    """Create or update by SKU, row by row; a bad row is reported and the others still land."""
    results = []
    for index, raw in enumerate(rows):
        try:
            data = validate(ProductIn, raw)
            existing = await session.scalar(
                select(Product).where(Product.organization_id == organization_id, Product.sku == data.sku)
            )
            async with session.begin_nested():
                if existing is None:
                    product = await create_product(session, organization_id=organization_id, data=data)
                    results.append(ImportRow(index, "created", product))
                else:
                    patch = ProductPatch.model_validate(data.model_dump(exclude={"sku"}))
                    product = await update_product(
                        session,
                        organization_id=organization_id,
                        product_id=existing.id,
                        patch=patch,
                    )
                    results.append(ImportRow(index, "updated", product))
        except DomainError as exc:
            errors = exc.errors or [FieldError("", exc.code, exc.detail)]
            results.append(ImportRow(index, "error", errors=errors))
    return results


__all__ = [
    "create_product",
    "delete_product",
    "get_product",
    "import_products",
    "list_products",
    "present_product",
    "update_product",
]
