"""The canonical order: the one model every API face (native and dialects) translates to.

It is the union of what the five vendor pages carry (see docs/api.md for each field). These
classes validate and normalize; they hold no identity or status — those belong to the stored
order. ``OrderDraft`` is what a merchant sends; the store adds id, number, status and times.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from wareflow.core import rules
from wareflow.core.errors import FieldError

Text = Annotated[str, Field(min_length=1, max_length=255)]
ShortText = Annotated[str, Field(min_length=1, max_length=100)]
LongText = Annotated[str, Field(max_length=4000)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
Measure = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
Country = Annotated[str, AfterValidator(rules.country_code)]
Currency = Annotated[str, AfterValidator(rules.currency_code)]
MetaValue = str | int | float | bool | None  # checked by _metadata (no union: cleaner pointers)
WeightUnit = Literal["lb", "kg", "oz", "g"]

# Fields the server sets; a client sending them is told so instead of being silently ignored.
READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "number",
        "status",
        "organization_id",
        "created_at",
        "updated_at",
        "version",
        "shipments",
        "hold_reason",
        "variant",
    }
)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _metadata(value: dict[str, Any] | None) -> dict[str, MetaValue] | None:
    """Flat key-value pairs: keys per :func:`rules.metadata_key`, values scalars."""
    if value is None:
        return None
    if len(value) > 100:
        raise ValueError("At most 100 metadata keys.")
    for key, item in value.items():
        rules.metadata_key(key)
        if not isinstance(item, str | int | float | bool | None):
            raise ValueError(f"Metadata value of {key!r} must be a string, number, boolean or null.")
        if isinstance(item, str) and len(item) > 1000:
            raise ValueError(f"Metadata value of {key!r} is longer than 1000 characters.")
    return value


Metadata = Annotated[dict[str, Any] | None, AfterValidator(_metadata)]


class Address(Model):
    """A party's address. Country comes first so state and phones are checked against it."""

    country: Country
    name: Text | None = None
    company: Text | None = None
    contact_person: Text | None = None
    address1: Text | None = None
    address2: Text | None = None
    address3: Text | None = None
    street: Text | None = None  # NL/DE style: street + house number + addition
    house_number: ShortText | None = None
    house_number_addition: ShortText | None = None
    city: Text | None = None
    state: ShortText | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    mobile: Annotated[str, Field(max_length=40)] | None = None
    fax: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    residential: bool | None = None
    invalid: bool = False  # set when the address failed validation; cleared on correction

    @field_validator("state")
    @classmethod
    def _state(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        return rules.subdivision_code(country, value) if value and country else value

    @field_validator("phone", "mobile", "fax")
    @classmethod
    def _phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        return rules.phone_number(value, info.data.get("country")) if value else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return rules.email_address(value) if value else value


class ShipToAddress(Address):
    @model_validator(mode="after")
    def _deliverable(self) -> ShipToAddress:
        if not (self.name or self.company):
            raise ValueError("A ship-to address needs a name or a company.")
        if not (self.address1 or self.street):
            raise ValueError("A ship-to address needs address1 or street.")
        if not self.city:
            raise ValueError("A ship-to address needs a city.")
        return self


class NamedAddress(Model):
    type: ShortText
    address: Address


class Reference(Model):
    key: ShortText
    value: Text


class Buyer(Model):
    name: Text | None = None
    email: Annotated[str, AfterValidator(rules.email_address)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    customer_id: ShortText | None = None


class OrderLine(Model):
    sku: ShortText  # matched against the catalog's article code, EAN/UPC and SKU
    quantity: Annotated[StrictInt, Field(gt=0, le=1_000_000)]
    line_number: Annotated[StrictInt, Field(gt=0)] | None = None
    external_line_reference: ShortText | None = None
    unit: ShortText = "each"
    description: Text | None = None
    unit_price: Money | None = None
    weight: Measure | None = None
    weight_unit: WeightUnit | None = None
    hs_code: Annotated[str, Field(pattern=r"^[0-9.]{4,14}$")] | None = None
    country_of_origin: Country | None = None
    pick_location: ShortText | None = None
    product_id: ShortText | None = None
    image_url: Annotated[str, Field(max_length=2000)] | None = None
    metadata: Metadata = None

    @field_validator("weight_unit", mode="before")
    @classmethod
    def _unit_case(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class Transport(Model):
    carrier_code: ShortText
    service_level_code: ShortText | None = None


class Charge(Model):
    type: ShortText
    amount: Money
    currency: Currency | None = None


class OrderDraft(Model):
    """An order as the merchant sends it (native JSON is snake_case)."""

    # references
    external_reference: Annotated[str, Field(min_length=1, max_length=100)]
    external_id: ShortText | None = None
    secondary_reference: ShortText | None = None
    po_number: ShortText | None = None
    invoice_number: ShortText | None = None
    references: list[Reference] = Field(default_factory=list, max_length=50)
    # where from and to
    warehouse_code: ShortText | None = None  # the organization's default warehouse when left out
    ship_to: ShipToAddress
    ship_from: Address | None = None
    return_to: Address | None = None
    additional_addresses: list[NamedAddress] = Field(default_factory=list, max_length=10)
    buyer: Buyer | None = None
    # what
    lines: list[OrderLine] = Field(min_length=1, max_length=1000)
    # shipping
    shipping_method: ShortText | None = None
    transport_detail: Transport | None = None
    rate_group: ShortText | None = None
    shipping_total: Money | None = None
    requested_delivery_date: dt.date | None = None
    required_ship_date: dt.date | None = None
    due_by_date: dt.date | None = None
    # compliance and money
    incoterm: Annotated[str, AfterValidator(rules.incoterm)] | None = None
    ioss_number: ShortText | None = None
    eori_number: ShortText | None = None
    vat_number: ShortText | None = None
    gb_vat_number: ShortText | None = None
    gb_eori_number: ShortText | None = None
    currency: Currency | None = None
    order_amount: Money | None = None
    assured_amount: Money | None = None
    declared_value: Money | None = None
    charges: list[Charge] = Field(default_factory=list, max_length=50)
    # notes and the rest
    internal_note: LongText | None = None
    customer_note: LongText | None = None
    gift_message: LongText | None = None
    content_description: Text | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")] | None = None
    is_b2b: bool = False
    metadata: Metadata = None

    @model_validator(mode="after")
    def _consistent(self) -> OrderDraft:
        numbers = [line.line_number for line in self.lines if line.line_number is not None]
        if len(numbers) != len(set(numbers)):
            raise ValueError("Line numbers must be unique within the order.")
        return self

    def carrier_choice_errors(self) -> list[FieldError]:
        """A transport detail (carrier and service level) or a rate group, never both: the
        vendors answer 400 for it, and so do we (see ``orders.service``)."""
        if self.transport_detail is not None and self.rate_group is not None:
            return [
                FieldError(
                    "/rate_group", "carrier_choice", "Give a transport_detail or a rate_group, not both."
                )
            ]
        return []

    def domestic_incoterm(self, warehouse_country: str) -> bool:
        """An incoterm on an order that never crosses a border (Logistics Plus will refuse it)."""
        return self.incoterm is not None and self.ship_to.country == warehouse_country

    def numbered_lines(self) -> list[OrderLine]:
        """Lines with a line number each: the given one, or the next free one in order."""
        taken = {line.line_number for line in self.lines if line.line_number is not None}
        next_free, out = 1, []
        for line in self.lines:
            if line.line_number is None:
                while next_free in taken:
                    next_free += 1
                taken.add(next_free)
                line = line.model_copy(update={"line_number": next_free})
            out.append(line)
        return out


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
