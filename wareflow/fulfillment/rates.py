"""Rate tables: an organization's prices per carrier service, destination and weight bracket.
An order naming a ``rate_group`` gets the cheapest matching rate when its shipment is packed."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core import rules
from wareflow.core.errors import FieldError, InvalidInput
from wareflow.db import new_id
from wareflow.fulfillment.models import Rate

# Conversion to grams: weights of packages and rate brackets may use any of these units.
GRAMS = {"g": Decimal(1), "kg": Decimal(1000), "oz": Decimal("28.349523125"), "lb": Decimal("453.59237")}


class RateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    rate_group: Annotated[str, Field(min_length=1, max_length=100)]
    carrier_code: Annotated[str, Field(min_length=1, max_length=100)]
    carrier_name: Annotated[str, Field(max_length=255)] | None = None
    service_level_code: Annotated[str, Field(max_length=100)] | None = None
    countries: list[Annotated[str, AfterValidator(rules.country_code)]] = Field(default_factory=list)
    weight_unit: Literal["lb", "kg", "oz", "g"]
    min_weight: Annotated[Decimal, Field(ge=0)] = Decimal(0)
    max_weight: Annotated[Decimal, Field(gt=0)]
    price: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
    currency: Annotated[str, AfterValidator(rules.currency_code)]


async def add_rates(session: AsyncSession, *, organization_id: uuid.UUID, rates: list[RateIn]) -> list[Rate]:
    rows = [Rate(organization_id=organization_id, id=new_id(), **r.model_dump()) for r in rates]
    session.add_all(rows)
    return rows


async def list_rates(session: AsyncSession, organization_id: uuid.UUID, rate_group: str | None) -> list[Rate]:
    query = select(Rate).where(Rate.organization_id == organization_id)
    if rate_group:
        query = query.where(Rate.rate_group == rate_group)
    return list((await session.scalars(query.order_by(Rate.rate_group, Rate.price))).all())


async def cheapest(
    session: AsyncSession, *, organization_id: uuid.UUID, rate_group: str, country: str, grams: Decimal
) -> Rate:
    """The cheapest rate of the group for this destination and weight (422 when none fits)."""
    candidates = [
        r
        for r in await list_rates(session, organization_id, rate_group)
        if (not r.countries or country in r.countries)
        and r.min_weight * GRAMS[r.weight_unit] <= grams <= r.max_weight * GRAMS[r.weight_unit]
    ]
    if not candidates:
        raise InvalidInput(
            [
                FieldError(
                    "/packages",
                    "no_rate",
                    f"Rate group {rate_group!r} has no rate to {country} for this weight.",
                )
            ]
        )
    return min(candidates, key=lambda r: (r.price, r.carrier_code))


def present_rate(r: Rate) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "rate_group": r.rate_group,
        "carrier_code": r.carrier_code,
        "carrier_name": r.carrier_name,
        "service_level_code": r.service_level_code,
        "countries": r.countries,
        "weight_unit": r.weight_unit,
        "min_weight": str(r.min_weight),
        "max_weight": str(r.max_weight),
        "price": str(r.price),
        "currency": r.currency,
    }
