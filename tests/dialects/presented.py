"""A canonical order presented as the store would, without a database (for translator tests)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from wareflow.core.order import OrderDraft
from wareflow.orders.models import Order, OrderLine
from wareflow.orders.presenter import present_order

CREATED = dt.datetime(2023, 4, 11, 2, 34, 6, tzinfo=dt.UTC)


def present(draft: dict[str, Any] | OrderDraft, *, status: str = "received", **extra: Any) -> dict[str, Any]:
    """``draft`` validated, stored and presented (``extra`` overrides presented keys, e.g. shipments)."""
    model = draft if isinstance(draft, OrderDraft) else OrderDraft.model_validate(draft)
    order_id = uuid.UUID(int=1)
    order = Order(
        id=order_id,
        number="ORD00000000001",
        status=status,
        hold_reason=None,
        warehouse_code=model.warehouse_code or "LAW",
        version=1,
        data=model.model_dump(mode="json", exclude={"lines"}),
        created_at=CREATED,
        updated_at=CREATED,
    )
    lines = [
        OrderLine(line_number=line.line_number, data=line.model_dump(mode="json"), variant=None)
        for line in model.numbered_lines()
    ]
    return {**present_order(order, lines, []), **extra}


def canonical(draft: dict[str, Any]) -> dict[str, Any]:
    """A draft as the store keeps it (validated, lines numbered, JSON), to compare translations."""
    model = OrderDraft.model_validate(draft)
    return model.model_copy(update={"lines": model.numbered_lines()}).model_dump(mode="json")
