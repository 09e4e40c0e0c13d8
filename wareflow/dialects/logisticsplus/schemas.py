"""Logistics Plus Warehouse API payloads, as its orders page documents them.

Field names are matched case-insensitively (the page writes both ``warehouseCode`` and
``WarehouseCode``): :func:`normalize_keys` rewrites every known key to the spelling below before
validation. Unknown keys are accepted and kept (Logistics Plus documents more fields in its full
OpenAPI, e.g. ``jobCosting``, ``packingRequired``, and asks clients to tolerate new ones).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from wareflow.dialects.translating import blank, whole

# Keys of a warehouse order the server sets: accepted (a client may send back what it read) and ignored.
READ_ONLY = frozenset({"id", "status", "datecreated", "datelastupdated", "shipments", "wmsid"})


class LPModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, extra="allow", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return blank(value)


Text = str


class Address(LPModel):
    organization: Text | None = Field(None, max_length=255)
    address_line1: Text | None = Field(None, max_length=255)
    address_line2: Text | None = Field(None, max_length=255)
    address_line3: Text | None = Field(None, max_length=255)
    country: Text = Field(max_length=100)
    state: Text | None = Field(None, max_length=100)
    city: Text | None = Field(None, max_length=255)
    postal_code: Text | None = Field(None, max_length=20)
    is_residential: bool | None = None


class Contact(LPModel):
    person_name: Text | None = Field(None, max_length=255)
    phone_number: Text | None = Field(None, max_length=40)
    mobile_number: Text | None = Field(None, max_length=40)
    fax_number: Text | None = Field(None, max_length=40)
    email_address: Text | None = Field(None, max_length=254)


class ShipToAddress(LPModel):
    address: Address
    contact: Contact | None = None


class KeyValue(LPModel):
    key: Text = Field(min_length=1, max_length=100)
    value: Text | int | float | bool | None = None


class OrderLine(LPModel):
    line_number: int | None = Field(None, gt=0)
    external_line_reference: Text | None = Field(None, max_length=100)
    product_code: Text = Field(min_length=1, max_length=100)
    quantity: int = Field(gt=0, le=1_000_000)
    quantity_unit: Text | None = Field(None, max_length=100)
    line_attributes: list[KeyValue] = Field(default_factory=list)
    line_custom_attributes: list[KeyValue] = Field(default_factory=list)
    part_attributes: list[KeyValue] = Field(default_factory=list)

    @field_validator("quantity", mode="before")
    @classmethod
    def _whole(cls, value: Any) -> Any:
        """Logistics Plus writes quantities as decimals (``1.0``, ``1.000``): whole ones are fine."""
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            return whole(value)
        return value

    @field_validator("line_number", mode="before")
    @classmethod
    def _line_number(cls, value: Any) -> Any:
        return whole(value) if isinstance(value, str) else value


class TransportDetail(LPModel):
    carrier_code: Text | None = Field(None, max_length=100)
    carrier_name: Text | None = Field(None, max_length=255)
    service_level_code: Text | None = Field(None, max_length=100)

    def is_empty(self) -> bool:
        return self.carrier_code is None and self.service_level_code is None and not self.model_extra


class ForwardingData(LPModel):
    inco_term: Text | None = None


class WarehouseOrder(LPModel):
    """A warehouse order as POSTed (and, whole again, PATCHed)."""

    warehouse_code: Text = Field(min_length=1, max_length=16)
    primary_reference: Text = Field(min_length=1, max_length=100)
    secondary_reference: Text | None = Field(None, max_length=100)
    ship_to_address: ShipToAddress
    required_ship_date: dt.datetime | dt.date | None = None
    order_lines: list[OrderLine] = Field(min_length=1, max_length=1000)
    additional_references: list[KeyValue] = Field(default_factory=list, max_length=50)
    note: Text | None = Field(None, max_length=4000)
    transport_detail: TransportDetail | None = None
    rate_group: Text | None = Field(None, max_length=100)
    forwarding_data: ForwardingData | None = None


def _vocabulary(model: type[BaseModel], into: dict[str, str]) -> dict[str, str]:
    for name, field in model.model_fields.items():
        alias = field.alias or name
        into[alias.lower()] = alias
        for arg in (*getattr(field.annotation, "__args__", ()), field.annotation):
            inner = getattr(arg, "__args__", (arg,))
            for candidate in inner:
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    _vocabulary(candidate, into)
    return into


VOCABULARY = _vocabulary(WarehouseOrder, {})


def normalize_keys(value: Any) -> Any:
    """Every known key in its documented spelling, whatever case the client used."""
    if isinstance(value, dict):
        return {VOCABULARY.get(str(k).lower(), k): normalize_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize_keys(item) for item in value]
    return value


def without_read_only(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if str(key).lower() not in READ_ONLY}
