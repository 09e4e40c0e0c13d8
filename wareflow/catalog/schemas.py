"""Product payloads of the native API."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from stdnum import ean as gtin

from wareflow.core import rules

Code = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^\S(.*\S)?$")]
Measure = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]


def _gtin(length: tuple[int, ...], label: str) -> Any:
    def check(value: str) -> str:
        if not value.isdigit() or len(value) not in length or not gtin.is_valid(value):
            raise ValueError(f"{value!r} is not a valid {label} (digits and check digit).")
        return value

    return AfterValidator(check)


Ean = Annotated[str, _gtin((8, 13, 14), "EAN")]
Upc = Annotated[str, _gtin((12,), "UPC-A")]


class ProductFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    article_code: Code | None = None
    ean: Ean | None = None
    upc: Upc | None = None
    name: Annotated[str, Field(min_length=1, max_length=255)] | None = None
    description: Annotated[str, Field(max_length=4000)] | None = None
    weight: Measure | None = None
    weight_unit: Literal["lb", "kg", "oz", "g"] | None = None
    length: Measure | None = None
    width: Measure | None = None
    height: Measure | None = None
    dim_unit: Literal["in", "cm"] | None = None
    hs_code: Annotated[str, Field(pattern=r"^[0-9.]{4,14}$")] | None = None
    country_of_origin: Annotated[str, AfterValidator(rules.country_code)] | None = None
    image_url: Annotated[str, Field(max_length=2000)] | None = None
    serial_tracked: bool | None = None
    lot_tracked: bool | None = None

    @field_validator("weight_unit", "dim_unit", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


class ProductIn(ProductFields):
    """A new product: ``sku`` and ``name`` are required."""

    sku: Code
    name: Annotated[str, Field(min_length=1, max_length=255)]
    serial_tracked: bool = False
    lot_tracked: bool = False


class ProductPatch(ProductFields):
    """Any subset of the fields; ``null`` clears an optional one."""

    sku: Code | None = None


class ProductOut(ProductIn):
    model_config = ConfigDict(extra="allow")
    id: str


class ProductImport(BaseModel):
    model_config = ConfigDict(extra="forbid")
    products: list[dict[str, Any]] = Field(min_length=1, max_length=5000)
