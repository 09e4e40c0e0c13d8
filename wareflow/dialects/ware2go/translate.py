"""Ware2Go JSON ↔ the canonical order. Pure functions: no I/O, no clock.

- :func:`to_draft`: a validated :class:`~.schemas.Ware2GoOrder` → an ``OrderDraft``-shaped dict;
- :func:`to_vendor`: a presented canonical order (``present_order``) → Ware2Go's order JSON
  (without ``meta``, which the router stamps per answer);
- :data:`STATUS`: canonical status → Ware2Go's, read from the order on every answer;
- :func:`vendor_pointer`: a canonical error pointer → the Ware2Go field the client sent.

Line fields without a canonical home (``upc``, ``proofOfDelivery``, ``insuranceRequired``) are
kept in the line's ``metadata`` under ``ware2go-…`` keys, only when they differ from Ware2Go's
defaults, so an order created elsewhere reads exactly like one created here.
"""

from __future__ import annotations

from typing import Any

import pycountry

from wareflow.dialects.ware2go.schemas import SkuQuantity, Ware2GoOrder

STATUS: dict[str, str] = {
    "received": "DRAFT",
    "allocated": "DRAFT",
    "invalid_address": "INVALID_ADDRESS",
    "on_hold": "ON_HOLD",
    "backordered": "BACKORDERED",
    "picking": "PROCESSING",
    "packed": "PROCESSING",
    "partially_shipped": "PARTIALLY_SHIPPED",
    "shipped": "SHIPPED",
    "canceled": "CANCELED",
}
SHIPMENT_STATUS: dict[str, str] = {
    "entered": "PENDING",
    "on_hold": "ON_HOLD",
    "picking": "PROCESSING",
    "packed": "PROCESSING",
    "shipped": "SHIPPED",
    "canceled": "CANCELED",
}

# Shipments are answered once the warehouse works on them (a new order reads as the page shows).
STARTED = frozenset({"picking", "packed", "shipped"})
UPC, PROOF, INSURANCE = "ware2go-upc", "ware2go-proof-of-delivery", "ware2go-insurance-required"

# canonical pointer prefix → Ware2Go field (JSON pointer of the vendor body)
_ORDER_FIELDS = {
    "external_reference": "referenceId",
    "po_number": "purchaseOrderNumber",
    "shipping_method": "shippingSpeed",
    "lines": "skuQuantities",
    "warehouse_code": "merchantId",
}
_SHIP_TO_FIELDS = {
    "name": "companyName",
    "company": "companyName",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "state": "state",
    "postal_code": "zipCode",
    "country": "country",
    "phone": "phoneNumber",
    "email": "buyerEmail",
}
_LINE_FIELDS = {"sku": "skuId", "quantity": "unitQuantity", "description": "skuName", "metadata": "upc"}


def _blank(value: str | None) -> str | None:
    return value or None


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def _line(item: SkuQuantity) -> dict[str, Any]:
    metadata = _compact(
        {
            UPC: _blank(item.upc),
            PROOF: "Yes" if item.proofOfDelivery == "Yes" else None,  # "No" is the default
            INSURANCE: item.insuranceRequired,
        }
    )
    return _compact(
        {
            "sku": item.skuId,
            "quantity": item.unitQuantity,
            "description": _blank(item.skuName),
            "metadata": metadata or None,
        }
    )


def to_draft(order: Ware2GoOrder, warehouse_code: str | None) -> dict[str, Any]:
    """The canonical draft; the warehouse is the merchant's default (Ware2Go's page names none)."""
    ship_to = _compact(
        {
            "name": order.companyName,
            "address1": order.address1,
            "address2": _blank(order.address2),
            "city": order.city,
            "state": _blank(order.state),
            "postal_code": _blank(order.zipCode),
            "country": order.country,
            "phone": _blank(order.phoneNumber),
            "email": _blank(order.buyerEmail),
        }
    )
    return _compact(
        {
            "external_reference": order.referenceId,
            "warehouse_code": warehouse_code,
            "po_number": _blank(order.purchaseOrderNumber),
            "shipping_method": _blank(order.shippingSpeed),
            "ship_to": ship_to,
            "lines": [_line(item) for item in order.skuQuantities],
        }
    )


def alpha3(country: str | None) -> str | None:
    """Ware2Go answers countries as ISO alpha-3 (``USA``), as on its own response example."""
    found = pycountry.countries.get(alpha_2=country) if country else None
    return str(found.alpha_3) if found is not None else country


def _street_line(ship_to: dict[str, Any]) -> str | None:
    """``address1``, or a street + house number written by another face (eWarehousing)."""
    if ship_to.get("address1"):
        return str(ship_to["address1"])
    parts = [ship_to.get(k) for k in ("street", "house_number", "house_number_addition")]
    return " ".join(str(p) for p in parts if p) or None


def _sku_quantity(line: dict[str, Any]) -> dict[str, Any]:
    metadata = line.get("metadata") or {}
    return {
        "skuId": line["sku"],
        "unitQuantity": line["quantity"],
        "skuName": line.get("description"),
        "upc": metadata.get(UPC),
        "proofOfDelivery": metadata.get(PROOF, "No"),
        "insuranceRequired": metadata.get(INSURANCE),
    }


def _shipment(shipment: dict[str, Any]) -> dict[str, Any]:
    tracking = shipment.get("tracking") or {}
    return {
        "shipmentId": shipment.get("number") or shipment.get("id"),
        "status": SHIPMENT_STATUS.get(shipment.get("status", ""), "PENDING"),
        "carrier": tracking.get("carrier_name") or tracking.get("carrier_code"),
        "carrierCode": tracking.get("carrier_code"),
        "serviceLevel": tracking.get("service_level_code"),
        "trackingNumber": tracking.get("tracking_number"),
        "shipDate": tracking.get("shipped_at"),
        "skuQuantities": [
            {"skuId": line.get("sku"), "unitQuantity": line.get("picked_quantity") or line.get("quantity")}
            for line in shipment.get("lines") or []
        ],
    }


def to_vendor(order: dict[str, Any]) -> dict[str, Any]:
    """The order as Ware2Go answers it: the created fields echoed, plus ``orderId`` and
    ``status``; ``shipments`` (with tracking) once picking has started."""
    ship_to = order.get("ship_to") or {}
    answer = {
        "orderId": order["id"],
        "referenceId": order["external_reference"],
        "companyName": ship_to.get("name") or ship_to.get("company"),
        "address1": _street_line(ship_to),
        "address2": ship_to.get("address2"),
        "city": ship_to.get("city"),
        "state": ship_to.get("state"),
        "zipCode": ship_to.get("postal_code"),
        "country": alpha3(ship_to.get("country")),
        "buyerEmail": ship_to.get("email"),
        "phoneNumber": ship_to.get("phone"),
        "purchaseOrderNumber": order.get("po_number"),
        "skuQuantities": [_sku_quantity(line) for line in order.get("lines") or []],
        "status": STATUS.get(order["status"], "DRAFT"),
    }
    if order.get("shipping_method"):  # left out when none, as on the page's response example
        answer["shippingSpeed"] = order["shipping_method"]
    started = [s for s in order.get("shipments") or [] if s.get("status") in STARTED]
    if started:
        answer["shipments"] = [_shipment(s) for s in started]
    return answer


def vendor_pointer(pointer: str) -> str:
    """``/ship_to/postal_code`` → ``/zipCode``; ``/lines/0/sku`` → ``/skuQuantities/0/skuId``."""
    parts = pointer.split("/")[1:]
    if not parts:
        return pointer
    head, rest = parts[0], parts[1:]
    if head == "ship_to":
        field = _SHIP_TO_FIELDS.get(rest[0], rest[0]) if rest else "address1"
        return "/" + "/".join([field, *rest[1:]])
    if head == "lines" and len(rest) >= 2:
        return "/" + "/".join(["skuQuantities", rest[0], _LINE_FIELDS.get(rest[1], rest[1]), *rest[2:]])
    return "/" + "/".join([_ORDER_FIELDS.get(head, head), *rest])
