"""eWarehousing articles and stock ↔ Wareflow's catalog and stock levels. Pure functions.

A Wareflow product is an eWarehousing article with exactly one variant (same id for both).
Weights are grams and dimensions centimetres on the vendor side; products stored in other units
are converted when answered. ``ean`` holds an EAN (8, 13, 14 digits) or a 12-digit UPC.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wareflow.dialects.ewarehousing.schemas import ArticleIn, ArticlePatch, Variant
from wareflow.dialects.ewarehousing.translate import stamp

GRAMS = {"g": Decimal(1), "kg": Decimal(1000), "oz": Decimal("28.349523125"), "lb": Decimal("453.59237")}
CENTIMETRES = {"cm": Decimal(1), "in": Decimal("2.54")}

# vendor variant field → canonical product field
_FIELDS = {
    "article_code": "article_code",
    "name": "name",
    "description": "description",
    "sku": "sku",
    "hs_tariff_code": "hs_code",
    "country_of_origin": "country_of_origin",
    "expirable": "lot_tracked",
    "using_serial_numbers": "serial_tracked",
    "height": "height",
    "depth": "length",
    "width": "width",
    "weight": "weight",
}
_POINTERS = {canonical: vendor for vendor, canonical in _FIELDS.items()} | {
    "upc": "ean",
    "ean": "ean",
    "weight_unit": "weight",
    "dim_unit": "height",
}


def _number(value: Decimal | None) -> str | None:
    """Numbers as strings, as eWarehousing answers them (``"12"``, ``"0.5"``)."""
    return None if value is None else format(value.normalize(), "f")


def _converted(value: str | None, unit: str | None, table: dict[str, Decimal]) -> str | None:
    if value is None:
        return None
    return _number(Decimal(value) * table.get(unit or "", Decimal(1)))


def variant(product: dict[str, Any]) -> dict[str, Any]:
    """A presented product (``present_product``) as the article's variant."""
    return {
        "id": product["id"],
        "article_code": product.get("article_code") or product["sku"],
        "name": product["name"],
        "description": product.get("description"),
        "ean": product.get("ean") or product.get("upc"),
        "sku": product["sku"],
        "hs_tariff_code": product.get("hs_code"),
        "height": _converted(product.get("height"), product.get("dim_unit"), CENTIMETRES),
        "depth": _converted(product.get("length"), product.get("dim_unit"), CENTIMETRES),
        "width": _converted(product.get("width"), product.get("dim_unit"), CENTIMETRES),
        "weight": _converted(product.get("weight"), product.get("weight_unit"), GRAMS),
        "expirable": bool(product.get("lot_tracked")),
        "country_of_origin": product.get("country_of_origin"),
        "using_serial_numbers": bool(product.get("serial_tracked")),
        "value": 0,
    }


def article(product: dict[str, Any]) -> dict[str, Any]:
    return {"id": product["id"], "name": product["name"], "variants": [variant(product)]}


def _product_fields(v: Variant, sent: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in sent & set(_FIELDS):
        value = getattr(v, name)
        out[_FIELDS[name]] = format(value, "f") if isinstance(value, Decimal) else value
    if "ean" in sent:  # one vendor field for both: a 12-digit code is a UPC-A
        upc = bool(v.ean) and len(v.ean or "") == 12
        out["ean"], out["upc"] = (None, v.ean) if upc else (v.ean or None, None)
    if sent & {"weight"}:
        out["weight_unit"] = "g" if v.weight is not None else None
    if sent & {"height", "depth", "width"}:
        out["dim_unit"] = "cm"
    return out


def to_product(body: ArticleIn) -> dict[str, Any]:
    """A new product (``ProductIn``): the SKU defaults to the article code, the name to the
    article's."""
    v = body.variants[0]
    fields = {k: val for k, val in _product_fields(v, set(type(v).model_fields)).items() if val is not None}
    fields.setdefault("name", body.name)
    fields.setdefault("sku", v.article_code)
    if all(x is None for x in (v.height, v.depth, v.width)):
        fields.pop("dim_unit", None)
    return fields


def to_product_patch(body: ArticlePatch) -> dict[str, Any]:
    """A product patch (``ProductPatch``) with what the client sent."""
    patch: dict[str, Any] = {}
    if body.variants:
        v = body.variants[0]
        patch.update(_product_fields(v, v.model_fields_set))
    if "name" in body.model_fields_set and body.name and "name" not in patch:
        patch["name"] = body.name
    return patch


def vendor_pointer(pointer: str) -> str:
    """``/hs_code`` → ``/variants/0/hs_tariff_code``; ``/name`` → ``/name``."""
    parts = pointer.split("/")[1:]
    if not parts:
        return pointer
    if parts[0] == "name":
        return pointer
    return "/" + "/".join(["variants", "0", _POINTERS.get(parts[0], parts[0]), *parts[1:]])


def stock_row(level: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """A stock level (``present_level``) as eWarehousing's stock row. Wareflow has no quarantine;
    allocated units are still physically there and pickable, but no longer salable."""
    return {
        "id": product["id"],
        "article_code": product.get("article_code") or product["sku"],
        "ean": product.get("ean") or product.get("upc"),
        "sku": product["sku"],
        "stock_physical": level["on_hand"],
        "stock_salable": level["available"],
        "stock_available": level["available"],
        "stock_quarantine": 0,
        "stock_pickable": level["on_hand"],
        "modified_at": stamp(level["updated_at"]),
        "variant": variant(product),
    }
