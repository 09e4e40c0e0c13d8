"""The native JSON shape of an order (snake_case, the field names of DESIGN §4)."""

from __future__ import annotations

from typing import Any

from wareflow.fulfillment.models import Shipment
from wareflow.fulfillment.presenter import present_shipment
from wareflow.orders.models import Order, OrderLine


def present_line(line: OrderLine) -> dict[str, Any]:
    return {**line.data, "line_number": line.line_number, "variant": line.variant}


def present_order(order: Order, lines: list[OrderLine], shipments: list[Shipment]) -> dict[str, Any]:
    return {
        "id": str(order.id),
        "number": order.number,
        "status": order.status,
        "hold_reason": order.hold_reason,
        **order.data,
        "warehouse_code": order.warehouse_code,
        "lines": [present_line(line) for line in lines],
        "shipments": [present_shipment(s) for s in sorted(shipments, key=lambda s: s.number)],
        "version": order.version,
        "created_at": order.created_at.isoformat(),
        "updated_at": order.updated_at.isoformat(),
    }
