"""Hand-built presented orders (the native JSON a response translator reads), for unit tests.

``presented`` stores a draft the way the order service does (validated, lines numbered, each
line's data plus ``line_number`` and ``variant``); ``shipment`` builds the native shipment shape
the fulfillment engine answers (lines with serial sublines, packages, tracking, milestones).
"""

from __future__ import annotations

import uuid
from typing import Any

from wareflow.core.order import OrderDraft

CREATED_AT = "2026-04-17T14:36:42.123456+00:00"


def presented(
    draft: dict[str, Any], *, status: str = "allocated", shipments: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    model = OrderDraft.model_validate(draft)
    lines = []
    for line in model.numbered_lines():
        variant = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, line.sku)),
            "article_code": line.sku,
            "sku": line.sku,
        }
        lines.append(
            {
                **line.model_dump(mode="json"),
                "line_number": line.line_number,
                "variant": {**variant, "name": f"Product {line.sku}"},
            }
        )
    return {
        "id": str(uuid.uuid4()),
        "number": "ORD00000000001",
        "status": status,
        "hold_reason": None,
        **model.model_dump(mode="json", exclude={"lines"}),
        "warehouse_code": model.warehouse_code or "LAW",
        "lines": lines,
        "shipments": shipments or [],
        "version": 1,
        "created_at": CREATED_AT,
        "updated_at": CREATED_AT,
    }


def shipment(
    *,
    status: str = "shipped",
    lines: list[tuple[int, str, int, list[str]]] = (),  # type: ignore[assignment]
    tracking_number: str | None = "1Z999AA10123456784",
) -> dict[str, Any]:
    """A shipment as ``order["shipments"]`` carries it; ``lines`` are (line number, sku,
    quantity, serial numbers)."""
    tracking = None
    if tracking_number:
        tracking = {
            "carrier_code": "UPS",
            "carrier_name": "UPS",
            "service_level_code": "GND",
            "tracking_number": tracking_number,
            "shipped_at": "2026-04-18T16:00:00+00:00",
            "cost": "8.95",
            "currency": "USD",
        }
    return {
        "id": str(uuid.uuid4()),
        "number": "ORD00000000001-1",
        "status": status,
        "lines": [
            {
                "line_number": number,
                "sku": sku,
                "quantity": quantity,
                "picked_quantity": quantity,
                "sublines": [{"quantity": 1, "serial_number": s, "lot": None} for s in serials],
            }
            for number, sku, quantity, serials in lines
        ],
        "packages": [
            {
                "reference": "PKG-1",
                "weight": "1.2",
                "weight_unit": "kg",
                "length": "30",
                "width": "20",
                "height": "10",
                "dim_unit": "cm",
                "package_type": "box",
                "lines": [{"line_number": number, "quantity": quantity} for number, _, quantity, _ in lines],
            }
        ],
        "tracking": tracking,
        "milestones": [
            {"code": "WHE", "description": "Entered", "sequence": 1, "occurred_at": CREATED_AT},
        ],
    }
