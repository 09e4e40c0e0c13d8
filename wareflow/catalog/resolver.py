"""Which product an order line's code names: by article code, then EAN/UPC, then SKU.

A code that names two different products through different identifiers (the article code of
one, the SKU of another) is ambiguous and refused whatever the organization's policy: shipping
the wrong item is worse than asking.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.models import Product
from wareflow.direct import Direct

MATCH_ORDER = ("article_code", "ean", "upc", "sku")


@dataclass(frozen=True)
class ProductRef:
    """What resolving needs of a product, and what its callers show: a plain row, not an ORM
    object (this runs for every order created; loading the whole product costs more)."""

    id: uuid.UUID
    sku: str
    article_code: str | None
    ean: str | None
    upc: str | None
    name: str
    lot_tracked: bool


_PRODUCTS: Any = Product.__table__
_COLUMNS = [_PRODUCTS.c[name] for name in ProductRef.__dataclass_fields__]


# One lookup per identifier, each in its own unique index, joined by UNION ALL: an OR of the
# four is answered by scanning the catalog.
_BY_ANY_CODE = Direct(
    union_all(
        *(
            select(*_COLUMNS).where(
                _PRODUCTS.c.organization_id == bindparam("organization_id"),
                _PRODUCTS.c[name].in_(bindparam("codes", expanding=True)),
            )
            for name in MATCH_ORDER
        )
    )
)


@dataclass(frozen=True)
class Resolution:
    code: str
    product: ProductRef | None  # None: unknown (or ambiguous)
    ambiguous: tuple[uuid.UUID, ...] = ()
    matched_by: str | None = None

    @property
    def variant(self) -> dict[str, Any] | None:
        p = self.product
        if p is None:
            return None
        return {"id": str(p.id), "article_code": p.article_code, "sku": p.sku, "name": p.name}


async def resolve(
    session: AsyncSession, organization_id: uuid.UUID, codes: set[str]
) -> dict[str, Resolution]:
    """One query for every code of an order."""
    if not codes:
        return {}
    params = {"organization_id": organization_id, "codes": list(codes)}
    # A product found by two identifiers comes twice: _resolve_one counts products by id.
    products = [ProductRef(*row) for row in await _BY_ANY_CODE.rows(session, params)]
    return {code: _resolve_one(code, products) for code in codes}


def _resolve_one(code: str, products: list[ProductRef]) -> Resolution:
    found: dict[uuid.UUID, tuple[ProductRef, str]] = {}
    for name in MATCH_ORDER:
        for product in products:
            if getattr(product, name) == code and product.id not in found:
                found[product.id] = (product, name)
    if len(found) > 1:
        return Resolution(code, None, ambiguous=tuple(sorted(found)))
    if not found:
        return Resolution(code, None)
    product, name = next(iter(found.values()))
    return Resolution(code, product, matched_by=name)
