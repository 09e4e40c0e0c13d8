"""XPS Ship ↔ canonical order (pure functions). See docs/dialects/webship.md for the table."""

from __future__ import annotations

import re
from typing import Any

from wareflow.dialects.translating import (
    blank,
    collect_extras,
    decimal_text,
    from_json_value,
    json_value,
    pack_extras,
    prune,
    restore_extras,
    street_line,
    text,
    unpack_extras,
)
from wareflow.dialects.webship.schemas import Item, Party, PutOrder, ReturnTo

PREFIX = "webship-"
META = {
    "order_date": PREFIX + "order-date",
    "fulfillment_status": PREFIX + "fulfillment-status",  # as the shop sent it
    "weight_unit": PREFIX + "weight-unit",
    "dim_unit": PREFIX + "dim-unit",
    "order_group": PREFIX + "order-group",
    "packages": PREFIX + "packages",  # precalculated packages, as sent
    "integration": PREFIX + "integration-id",  # the integration that last put the order
    "extra": PREFIX + "extra",
}
LINE_SKU_IS_PRODUCT_ID = PREFIX + "sku-from-product-id"
LINE_EXTRA = PREFIX + "extra"
REFERENCE_KEYS = ("shipperReference", "shipperReference2")  # kept as the order's references

FIELDS = (  # the canonical fields a Put Order expresses (what a second PUT replaces)
    "external_reference",
    "invoice_number",
    "shipping_method",
    "references",
    "content_description",
    "shipping_total",
    "due_by_date",
    "ship_from",
    "return_to",
    "ship_to",
    "lines",
    "metadata",
)

FULFILLMENT_STATUS = {  # canonical order status → XPS fulfillmentStatus (all others: pending)
    "partially_shipped": "partial",
    "shipped": "fulfilled",
}

POINTERS = {
    "/external_reference": "/orderId",
    "/invoice_number": "/orderNumber",
    "/shipping_method": "/shippingService",
    "/content_description": "/contentDescription",
    "/shipping_total": "/shippingTotal",
    "/due_by_date": "/dueByDate",
    "/ship_from": "/sender",
    "/ship_to": "/receiver",
    "/return_to": "/returnTo",
    **{
        f"/{party}/{ours}": f"/{theirs}/{vendor}"
        for party, theirs in (("ship_from", "sender"), ("ship_to", "receiver"), ("return_to", "returnTo"))
        for ours, vendor in (
            ("name", "name"),
            ("company", "company"),
            ("address1", "address1"),
            ("address2", "address2"),
            ("city", "city"),
            ("state", "state"),
            ("postal_code", "zip"),
            ("country", "country"),
            ("phone", "phone"),
            ("email", "email"),
        )
    },
    "/lines": "/items",
    "/lines/*": "/items/*",
    "/lines/*/sku": "/items/*/sku",
    "/lines/*/quantity": "/items/*/quantity",
    "/lines/*/unit_price": "/items/*/price",
    "/lines/*/weight": "/items/*/weight",
    "/lines/*/hs_code": "/items/*/htsNumber",
    "/lines/*/image_url": "/items/*/imgUrl",
    "/lines/*/description": "/items/*/title",
    "/lines/*/external_line_reference": "/items/*/lineId",
    "/lines/*/pick_location": "/items/*/pickLocation",
    "/lines/*/product_id": "/items/*/productId",
    "/lines/*/country_of_origin": "/items/*/countryOfOrigin",
}


# --- request -----------------------------------------------------------------------------------


def _party(party: Party | ReturnTo | None) -> dict[str, Any] | None:
    if party is None:
        return None
    fields = {
        "name": blank(party.name),
        "company": blank(party.company),
        "address1": blank(party.address1),
        "address2": blank(party.address2),
        "city": blank(party.city),
        "state": blank(party.state),
        "postal_code": blank(party.zip),
        "country": party.country,
        "phone": blank(party.phone),
        "email": blank(party.email),
    }
    return fields if any(v is not None for v in fields.values()) else None


def _line(item: Item, weight_unit: str | None) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    sku = blank(item.sku)
    if sku is None and blank(item.product_id) is not None:
        sku, metadata[LINE_SKU_IS_PRODUCT_ID] = item.product_id, True
    extras = collect_extras(item)
    if extras:
        metadata[LINE_EXTRA] = pack_extras(extras)
    return prune(
        {
            "sku": sku,
            "quantity": item.quantity if item.quantity is not None else 1,
            "product_id": blank(item.product_id),
            "description": blank(item.title),
            "unit_price": item.price,
            "weight": item.weight,
            "weight_unit": weight_unit if item.weight is not None else None,
            "image_url": blank(item.img_url),
            "hs_code": blank(item.hts_number),
            "country_of_origin": item.country_of_origin,
            "external_line_reference": blank(item.line_id),
            "pick_location": blank(item.pick_location),
            "metadata": metadata or None,
        }
    )


def to_draft(order: PutOrder, *, integration_id: str | None = None) -> dict[str, Any]:
    """The canonical draft of a Put Order body (vendor-only fields in ``metadata``)."""
    metadata = prune(
        {
            META["order_date"]: order.order_date.isoformat(),
            META["fulfillment_status"]: order.fulfillment_status,
            META["weight_unit"]: order.weight_unit,
            META["dim_unit"]: order.dim_unit,
            META["order_group"]: blank(order.order_group),
            META["packages"]: json_value(
                [p.model_dump(mode="json", by_alias=True) for p in order.packages]
                if order.packages is not None
                else None
            ),
            META["integration"]: integration_id,
            META["extra"]: pack_extras(collect_extras(order, skip=("items",))),
        }
    )
    sender = _party(order.sender)
    return_to = _party(order.return_to)
    if return_to is not None and return_to.get("country") is None:
        return_to["country"] = order.sender.country  # the page makes it optional; ours needs one
    references = [
        {"key": key, "value": value}
        for key, value in zip(
            REFERENCE_KEYS, (order.shipper_reference, order.shipper_reference2), strict=True
        )
        if blank(value) is not None
    ]
    return {
        "external_reference": order.order_id,
        "invoice_number": blank(order.order_number),
        "shipping_method": blank(order.shipping_service),
        "references": references,
        "content_description": blank(order.content_description),
        "shipping_total": order.shipping_total,
        "due_by_date": order.due_by_date.isoformat() if order.due_by_date else None,
        "ship_from": sender,
        "return_to": return_to,
        "ship_to": _party(order.receiver),
        "lines": [_line(item, order.weight_unit) for item in order.items or []],
        "metadata": metadata,
    }


def merged_references(current: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The order's references with the shipper references replaced (other keys kept)."""
    return [ref for ref in current if ref.get("key") not in REFERENCE_KEYS] + new


# --- response ----------------------------------------------------------------------------------


def _phone_out(phone: Any, country: Any) -> str:
    """The page's 10-digit form for US and Canadian numbers (Wareflow stores E.164)."""
    if isinstance(phone, str) and country in ("US", "CA") and re.fullmatch(r"\+1\d{10}", phone):
        return phone[2:]
    return text(phone)


def _party_out(party: dict[str, Any] | None) -> dict[str, Any]:
    party = party or {}
    return {
        "name": text(party.get("name") or party.get("contact_person") or party.get("company")),
        "company": text(party.get("company")),
        "address1": text(street_line(party)),
        "address2": text(party.get("address2")),
        "city": text(party.get("city")),
        "state": text(party.get("state")),
        "zip": text(party.get("postal_code")),
        "country": text(party.get("country")),
        "phone": _phone_out(party.get("phone"), party.get("country")),
        "email": text(party.get("email")),
    }


def _item(line: dict[str, Any]) -> dict[str, Any]:
    metadata = line.get("metadata") or {}
    from_product_id = metadata.get(LINE_SKU_IS_PRODUCT_ID) is True
    item = {
        "productId": line.get("product_id"),
        "sku": None if from_product_id else line.get("sku"),
        "title": line.get("description"),
        "price": line.get("unit_price"),  # decimals as strings, as sent
        "quantity": line.get("quantity"),
        "weight": line.get("weight"),
        "imgUrl": line.get("image_url"),
        "htsNumber": line.get("hs_code"),
        "countryOfOrigin": line.get("country_of_origin"),
        "lineId": line.get("external_line_reference"),
        "pickLocation": line.get("pick_location"),
    }
    return restore_extras(item, unpack_extras(metadata.get(LINE_EXTRA)))


def fulfillment_status(order: dict[str, Any]) -> str:
    return FULFILLMENT_STATUS.get(order.get("status", ""), "pending")


def to_vendor(order: dict[str, Any]) -> dict[str, Any]:
    """A presented canonical order in the Put Order shape (what Wareflow's GET answers)."""
    metadata = order.get("metadata") or {}
    references = {ref["key"]: ref["value"] for ref in order.get("references") or []}
    body: dict[str, Any] = {
        "orderId": order["external_reference"],
        "orderDate": metadata.get(META["order_date"]) or str(order.get("created_at", ""))[:10] or None,
        "orderNumber": order.get("invoice_number"),
        "fulfillmentStatus": fulfillment_status(order),
        "shippingService": order.get("shipping_method"),
        "shippingTotal": order.get("shipping_total"),
        "weightUnit": metadata.get(META["weight_unit"]),
        "dimUnit": metadata.get(META["dim_unit"]),
        "dueByDate": order.get("due_by_date"),
        "orderGroup": metadata.get(META["order_group"]),
        "sender": _party_out(order.get("ship_from")),
        "receiver": _party_out(order.get("ship_to")),
        "items": [_item(line) for line in order.get("lines") or []],
        "packages": from_json_value(metadata.get(META["packages"]), None),
    }
    optional = {
        "shipperReference": references.get("shipperReference"),
        "shipperReference2": references.get("shipperReference2"),
        "contentDescription": order.get("content_description"),
        "returnTo": _party_out(order["return_to"]) if order.get("return_to") else None,
    }
    body.update(prune(optional))
    return restore_extras(body, unpack_extras(metadata.get(META["extra"])))


def shipments_for_search(order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's shipments that have a label (tracking), as ``searchShipments`` lists them."""
    references = {ref["key"]: ref["value"] for ref in order.get("references") or []}
    shipper_reference = (
        references.get("shipperReference") or order.get("invoice_number") or order["external_reference"]
    )
    found = []
    for shipment in order.get("shipments") or []:
        tracking = shipment.get("tracking") or {}
        number = tracking.get("tracking_number")
        if not number:
            continue
        found.append(
            {
                "bookNumber": shipment.get("number") or str(shipment.get("id")),
                "trackingNumber": number,
                "trackingNumbers": [number],
                "carrierCode": tracking.get("carrier_code"),
                "serviceCode": tracking.get("service_level_code"),
                "voided": shipment.get("status") == "canceled",
                "orderIds": [order["external_reference"]],
                "shipperReference": shipper_reference,
                "totalShippingCost": decimal_text(tracking.get("cost")),
            }
        )
    return found
