"""Pitney Bowes SendPro 360 / Shipping 360 Order Management "Create Order" payload.

The page lists the objects without their fields; the request sample of Pitney Bowes' published
reference fills them in (``orderMessage {type, message}``, ``metadata [{name, value}]``,
``charges {currency, billingStatus, gmv, subTotal, totalPaid, paymentType}``, ``shippingReference
{reference1..4, shipperReference, transportationReference, shippingNotes}``, ``customerInfo
{firstName, lastName, email, customerId}`` and the address object). Fields not listed here are
accepted and kept on the order (see :mod:`wareflow.dialects.translating`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from wareflow.dialects.translating import blank, decimal_text, to_decimal

Text = Annotated[str, Field(max_length=255)]
Short = Annotated[str, Field(max_length=100)]


def _amount(value: Any) -> Any:
    """Amounts are JSON numbers: ``100`` and ``100.0`` are the same amount, kept as ``100``."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    return Decimal(decimal_text(to_decimal(value)) or "0")


Amount = Annotated[Decimal, BeforeValidator(_amount), Field(ge=0, max_digits=14, decimal_places=4)]


class PBModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, extra="allow", str_strip_whitespace=True)


class Address(PBModel):
    """Pitney Bowes' address object: ``addressLines`` (or ``addressLine1``…``3``), ``cityTown``,
    ``stateProvince``, ``postalCode``, ``countryCode``."""

    name: Text | None = None
    company: Text | None = None
    address_lines: list[Text] | None = Field(None, max_length=3)
    address_line1: Text | None = None
    address_line2: Text | None = None
    address_line3: Text | None = None
    city_town: Text | None = None
    state_province: Short | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    country_code: Annotated[str, Field(min_length=2, max_length=3)]
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    residential: bool | None = None

    def lines(self) -> list[str | None]:
        """Street lines, from ``addressLines`` or from ``addressLine1``…``3``."""
        given = [blank(line) for line in self.address_lines or []]
        if not any(given):
            given = [blank(self.address_line1), blank(self.address_line2), blank(self.address_line3)]
        return ([*given, None, None, None])[:3]


class AdditionalAddress(Address):
    type: Short | None = None


class OrderMessage(PBModel):
    type: Short | None = None
    message: Annotated[str, Field(max_length=4000)] | None = None


class MetadataEntry(PBModel):
    name: Short = Field(min_length=1)
    value: Text


class Charges(PBModel):
    currency: Annotated[str, Field(min_length=3, max_length=3)] | None = None
    billing_status: Short | None = None
    gmv: Amount | None = None
    sub_total: Amount | None = None
    total_paid: Amount | None = None
    payment_type: Short | None = None


class ShippingReference(PBModel):
    reference1: Text | None = None
    reference2: Text | None = None
    reference3: Text | None = None
    reference4: Text | None = None
    shipper_reference: Text | None = None
    transportation_reference: Text | None = None
    shipping_notes: Annotated[str, Field(max_length=4000)] | None = None


class CustomerInfo(PBModel):
    first_name: Short | None = None
    last_name: Short | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    customer_id: Short | None = None


class Item(PBModel):
    """An item: a ``customProductId`` from the catalog, or the item's own fields with at least
    ``sku`` and ``quantity``."""

    custom_product_id: Short | None = None
    sku: Short | None = None
    name: Text | None = None
    quantity: Annotated[int, Field(strict=True, gt=0, le=1_000_000)] | None = None
    unit_price: Amount | None = None
    weight: Amount | None = None
    weight_unit: Short | None = None
    hs_tariff_code: Annotated[str, Field(max_length=14)] | None = None
    origin_country_code: Annotated[str, Field(min_length=2, max_length=3)] | None = None
    image_url: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _identified(self) -> Item:
        if blank(self.custom_product_id) is None and (blank(self.sku) is None or self.quantity is None):
            raise ValueError("Give a customProductId, or the item's fields with at least sku and quantity.")
        return self


class ShippingPreferences(PBModel):
    """Only ``carrier`` and ``service`` are read (as the transport); the rest is kept as sent."""

    carrier: Short | None = None
    service: Short | None = None


class CreateOrder(PBModel):
    order_number: Annotated[str, Field(min_length=1, max_length=100)]
    order_message: OrderMessage | None = None
    metadata: list[MetadataEntry] = Field(default_factory=list, max_length=50)
    charges: Charges | None = None
    shipping_reference: ShippingReference | None = None
    customer_info: CustomerInfo | None = None
    from_address: Address
    to_address: Address
    items: list[Item] = Field(min_length=1, max_length=1000)
    additional_addresses: list[AdditionalAddress] = Field(default_factory=list, max_length=10)
    shipping_preferences: ShippingPreferences | None = None
