"""The native JSON of a shipment (also embedded in every order's ``shipments``)."""

from __future__ import annotations

from typing import Any

from wareflow.fulfillment.models import Shipment


def present_shipment(s: Shipment) -> dict[str, Any]:
    return {
        "id": str(s.id),
        "number": s.number,
        "order_id": str(s.order_id),
        "status": s.status,
        "hold_reason": s.hold_reason,
        "warehouse_code": s.warehouse_code,
        "lines": s.lines,
        "packages": s.packages or [],
        "tracking": s.tracking,
        "milestones": s.milestones or [],
        "pick_list_id": str(s.pick_list_id) if s.pick_list_id else None,
        "created_at": s.created_at.isoformat(),
        "updated_at": s.updated_at.isoformat(),
    }
