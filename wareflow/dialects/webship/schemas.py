"""XPS Ship ("eCommerce Webship") Put Order payload, with every rule of the page's field table.

"string or null, required" means the key must be there and may be null; "decimal" fields take a
number or a numeric string (the example writes ``"8.24"``); fields documented as "numeric … as a
JSON string" (package weight and dimensions) must be strings.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel

from wareflow.dialects.translating import to_decimal

STRICT_STATES = frozenset({"US", "CA"})


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError("must be an ISO two-character country code")
    return code


def _decimal(value: Any) -> Any:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        return to_decimal(value)
    raise ValueError('must be a decimal number (e.g. "8.24")')


def _numeric_string(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str):
        raise ValueError('must be a number written as a JSON string (e.g. "0.5")')
    return str(to_decimal(value))


Country = Annotated[str, AfterValidator(_country)]
Amount = Annotated[Decimal, BeforeValidator(_decimal), Field(ge=0, max_digits=14, decimal_places=4)]
NumericString = Annotated[str, BeforeValidator(_numeric_string)]
Text = Annotated[str, Field(max_length=255)]


class XPSModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, extra="allow", str_strip_whitespace=True)


def _ten_digits(phone: str | None, info: ValidationInfo) -> str | None:
    """US and Canadian numbers: 10 digits (a leading 1 and separators allowed)."""
    if phone and info.data.get("country") in STRICT_STATES:
        digits = re.sub(r"[\s().+-]", "", phone)
        if not (digits.isdigit() and (len(digits) == 10 or (len(digits) == 11 and digits[0] == "1"))):
            raise ValueError("must be a 10-digit phone number")
    return phone


def _state(state: str | None, info: ValidationInfo) -> str | None:
    country = info.data.get("country")
    if state and country in STRICT_STATES:
        code = state.upper()
        if len(code) != 2 or pycountry.subdivisions.get(code=f"{country}-{code}") is None:  # type: ignore[no-untyped-call]
            raise ValueError(f"must be a two-character state or province code for {country}")
        return code
    return state


class Party(XPSModel):
    """``sender`` and ``receiver``: name, street, city, state, zip and country are required."""

    country: Country  # first, so state and phone are checked against it
    name: Text = Field(min_length=1)
    company: Text | None = None
    address1: Text = Field(min_length=1)
    address2: Text | None = None
    city: Text = Field(min_length=1)
    state: Text = Field(min_length=1)
    zip: Annotated[str, Field(min_length=1, max_length=20)]
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None

    _check_state = field_validator("state")(_state)
    _check_phone = field_validator("phone")(_ten_digits)


class ReturnTo(XPSModel):
    """``returnTo``: every field optional."""

    country: Country | None = None
    name: Text | None = None
    company: Text | None = None
    address1: Text | None = None
    address2: Text | None = None
    city: Text | None = None
    state: Text | None = None
    zip: Annotated[str, Field(max_length=20)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None

    _check_state = field_validator("state")(_state)
    _check_phone = field_validator("phone")(_ten_digits)


class Item(XPSModel):
    product_id: Annotated[str, Field(max_length=100)] | None = None
    sku: Annotated[str, Field(max_length=100)] | None = None
    title: Text | None = None
    price: Amount | None = None
    quantity: Annotated[int, Field(strict=True, gt=0, le=1_000_000)] | None = None
    weight: Amount | None = None
    img_url: Annotated[str, Field(max_length=2000)] | None = None
    hts_number: Annotated[str, Field(max_length=14)] | None = None
    country_of_origin: Country | None = None
    line_id: Annotated[str, Field(max_length=100)] | None = None
    pick_location: Annotated[str, Field(max_length=100)] | None = None


class Package(XPSModel):
    weight: NumericString | None = None
    length: NumericString | None = None
    width: NumericString | None = None
    height: NumericString | None = None
    insurance_amount: Amount | None = None
    declared_value: Amount | None = None


class PutOrder(XPSModel):
    """The body of ``PUT …/orders/:orderId``."""

    order_id: Annotated[str, Field(min_length=1, max_length=100)]
    order_date: dt.date
    order_number: Annotated[str, Field(max_length=100)] | None
    fulfillment_status: Literal["pending", "fulfilled", "partial"]
    shipping_service: Annotated[str, Field(max_length=100)] | None
    shipper_reference: Text | None = None
    shipper_reference2: Text | None = None
    content_description: Text | None = None
    shipping_total: Amount | None
    weight_unit: Literal["lb", "kg"] | None
    dim_unit: Literal["in", "cm"] | None
    due_by_date: dt.date | None
    order_group: Annotated[str, Field(max_length=100)] | None
    sender: Party
    return_to: ReturnTo | None = None
    receiver: Party
    items: list[Item] | None = Field(max_length=1000)
    packages: list[Package] | None = Field(max_length=100)

    def is_domestic(self) -> bool:
        return self.sender.country == self.receiver.country
