"""Words for what the services return: address blocks and one line per timeline event."""

from __future__ import annotations

from typing import Any

from wareflow.events.models import Event
from wareflow.ui.render import label


def address_lines(address: dict[str, Any] | None) -> list[str]:
    """An address as printed on a label, skipping what is empty."""
    if not address:
        return []
    street = " ".join(
        str(address[k]) for k in ("street", "house_number", "house_number_addition") if address.get(k)
    )
    city = " ".join(str(address[k]) for k in ("postal_code", "city", "state") if address.get(k))
    lines = [
        address.get("name"),
        address.get("company"),
        address.get("contact_person") if address.get("contact_person") != address.get("name") else None,
        street or None,
        address.get("address1"),
        address.get("address2"),
        address.get("address3"),
        city or None,
        address.get("country"),
        address.get("phone"),
        address.get("email"),
    ]
    return [str(line) for line in lines if line]


def _change(data: dict[str, Any]) -> str:
    reason = f" ({data['reason']})" if data.get("reason") else ""
    return f"{label(data.get('from'))} → {label(data.get('to'))}{reason}"


def describe(event: Event) -> str:
    """One readable line for an event of the order's timeline."""
    data = event.data or {}
    shipment = data.get("shipment") or {}
    number = shipment.get("number", "")
    if event.type == "order.created":
        return "Order received"
    if event.type == "order.status_changed":
        return f"Order {_change(data)}"
    if event.type == "order.updated":
        return "Order changed: " + ", ".join(data.get("changed") or [])
    if event.type == "shipment.created":
        return f"Shipment {number} created ({label(shipment.get('status'))})"
    if event.type == "shipment.shipped":
        tracking = shipment.get("tracking") or {}
        return (
            f"Shipment {number} shipped: {tracking.get('carrier_code', '')} "
            f"{tracking.get('tracking_number', '')}".rstrip()
        )
    if event.type == "shipment.status_changed":
        return f"Shipment {number} {_change(data)}"
    if event.type == "shipment.discarded":
        return f"Shipment {number} discarded (the order changed before picking)"
    if event.type == "stock.changed":
        reserved, on_hand = data.get("allocated_delta") or 0, data.get("on_hand_delta") or 0
        units = abs(on_hand) or abs(reserved)
        what = {
            "allocation": "reserved",
            "release": "released",
            "shipment": "left the warehouse",
            "shortage": "written off (short pick)",
            "adjustment": "received" if on_hand > 0 else "removed",
        }.get(str(data.get("kind")), str(data.get("kind")))
        return f"Stock of {data.get('sku')} in {data.get('warehouse_code')}: {units} {what}"
    if event.type == "document.attached":
        return f"Document attached: {(data.get('document') or {}).get('title', '')}"
    return event.type
