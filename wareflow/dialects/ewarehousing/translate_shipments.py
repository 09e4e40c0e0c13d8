"""A shipped canonical shipment → eWarehousing's shipment (pure).

eWarehousing knows a shipment once it has left: Wareflow's shipments in status ``shipped``.
One label per shipment carries its tracking number (Wareflow tracks a shipment, not each box);
``created_at`` is when it shipped.
"""

from __future__ import annotations

from typing import Any

from wareflow.dialects.ewarehousing.translate import shipping_address, stamp, variant_of


def _shipping_method(tracking: dict[str, Any]) -> dict[str, Any]:
    carrier = tracking.get("carrier_name") or tracking.get("carrier_code")
    service = tracking.get("service_level_code")
    return {
        "id": None,
        "shipper": carrier,
        "shipper_code": tracking.get("carrier_code"),
        "code": service,
        "description": " ".join(p for p in (carrier, service) if p) or None,
        "shipping_software": None,
    }


def _lines(order: dict[str, Any], shipment: dict[str, Any]) -> list[dict[str, Any]]:
    ordered = {line["line_number"]: line for line in order.get("lines") or []}
    out = []
    for line in shipment.get("lines") or []:
        order_line = ordered.get(line.get("line_number"), {"sku": line.get("sku")})
        variant = variant_of(order_line)
        picked = line.get("picked_quantity")
        out.append(
            {
                "shipped_quantity": line.get("quantity") if picked is None else picked,
                "shipped_ean": None,
                "shipped_article_code": variant["article_code"],
                "shipped_sku": (order_line.get("variant") or {}).get("sku") or line.get("sku"),
                "serial_numbers": [
                    s["serial_number"] for s in line.get("sublines") or [] if s.get("serial_number")
                ],
                "variant": variant,
            }
        )
    return out


def to_vendor_shipment(order: dict[str, Any], shipment: dict[str, Any], *, customer: str) -> dict[str, Any]:
    tracking = shipment.get("tracking") or {}
    number = tracking.get("tracking_number")
    labels = [{"label_code": shipment.get("number"), "tracking_code": number, "tracking_url": None}]
    return {
        "id": shipment["id"],
        "customer": customer,
        "created_at": stamp(tracking.get("shipped_at") or shipment.get("created_at")),
        "order_id": order["id"],
        "order_external_reference": order["external_reference"],
        "shipment_external_reference": None,
        "reference": shipment.get("number"),
        "shipping_method": _shipping_method(tracking),
        "shipment_labels": labels if number else [],
        "shipment_lines": _lines(order, shipment),
        "shipping_address": shipping_address(order.get("ship_to") or {}),
    }


def shipped(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in order.get("shipments") or [] if s.get("status") == "shipped"]
