"""The order and shipment lifecycles, each one transition table.

A transition is looked up, never decided by ``if`` chains: ``(status, action) -> new status``.
Anything not in a table is refused with :class:`TransitionRefused`. Dialects map these canonical
values to their vendor's vocabulary; nothing else defines a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from wareflow.core.errors import TransitionRefused


class OrderStatus(StrEnum):
    RECEIVED = "received"  # stored, waiting for stock to be reserved
    INVALID_ADDRESS = "invalid_address"  # the ship-to failed validation; merchant must correct it
    ON_HOLD = "on_hold"  # held by the merchant or the warehouse; nothing moves until released
    BACKORDERED = "backordered"  # not enough stock; waits for a receipt
    ALLOCATED = "allocated"  # stock reserved in the warehouse, ready to pick
    PICKING = "picking"  # a pick list was made; someone is walking the aisles
    PACKED = "packed"  # goods are in boxes at the pack station
    PARTIALLY_SHIPPED = "partially_shipped"  # some shipments have left the dock
    SHIPPED = "shipped"  # every shipment has left (or was canceled)
    CANCELED = "canceled"  # canceled before picking started; reservations released


class OrderAction(StrEnum):
    ALLOCATE = "allocate"
    BACKORDER = "backorder"
    FLAG_INVALID_ADDRESS = "flag_invalid_address"
    CORRECT_ADDRESS = "correct_address"
    HOLD = "hold"
    RELEASE = "release"
    START_PICKING = "start_picking"
    PACK = "pack"
    SHIP_PARTIALLY = "ship_partially"
    SHIP = "ship"
    CANCEL = "cancel"


_O, _A = OrderStatus, OrderAction

# Statuses in which the merchant may still change the order or cancel it (nothing is on the floor).
ORDER_OPEN = frozenset({_O.RECEIVED, _O.INVALID_ADDRESS, _O.ON_HOLD, _O.BACKORDERED, _O.ALLOCATED})
ORDER_FINAL = frozenset({_O.SHIPPED, _O.CANCELED})

ORDER_TRANSITIONS: dict[tuple[OrderStatus, OrderAction], OrderStatus] = {
    (_O.RECEIVED, _A.ALLOCATE): _O.ALLOCATED,
    (_O.BACKORDERED, _A.ALLOCATE): _O.ALLOCATED,
    (_O.RECEIVED, _A.BACKORDER): _O.BACKORDERED,
    (_O.ALLOCATED, _A.BACKORDER): _O.BACKORDERED,  # lines updated beyond stock
    (_O.RECEIVED, _A.FLAG_INVALID_ADDRESS): _O.INVALID_ADDRESS,
    (_O.INVALID_ADDRESS, _A.CORRECT_ADDRESS): _O.RECEIVED,
    **{(s, _A.HOLD): _O.ON_HOLD for s in ORDER_OPEN - {_O.ON_HOLD}},
    (_O.ON_HOLD, _A.RELEASE): _O.RECEIVED,  # back to the start: stock is re-evaluated
    (_O.ALLOCATED, _A.START_PICKING): _O.PICKING,
    (_O.PICKING, _A.PACK): _O.PACKED,
    (_O.PACKED, _A.START_PICKING): _O.PICKING,  # a second shipment of the order is being picked
    (_O.PICKING, _A.SHIP_PARTIALLY): _O.PARTIALLY_SHIPPED,
    (_O.PACKED, _A.SHIP_PARTIALLY): _O.PARTIALLY_SHIPPED,
    (_O.PARTIALLY_SHIPPED, _A.SHIP_PARTIALLY): _O.PARTIALLY_SHIPPED,
    (_O.PICKING, _A.SHIP): _O.SHIPPED,
    (_O.PACKED, _A.SHIP): _O.SHIPPED,
    (_O.PARTIALLY_SHIPPED, _A.SHIP): _O.SHIPPED,
    **{(s, _A.CANCEL): _O.CANCELED for s in ORDER_OPEN},
}


class ShipmentStatus(StrEnum):
    ENTERED = "entered"  # created with the order's lines, waiting to be picked
    ON_HOLD = "on_hold"  # held; will not be put on a pick list
    PICKING = "picking"  # on a pick list
    PACKED = "packed"  # picked goods are packed into packages
    SHIPPED = "shipped"  # handed to the carrier with tracking
    CANCELED = "canceled"  # will not ship


class ShipmentAction(StrEnum):
    HOLD = "hold"
    RELEASE = "release"
    START_PICKING = "start_picking"
    PACK = "pack"
    SHIP = "ship"
    CANCEL = "cancel"


_S, _SA = ShipmentStatus, ShipmentAction

SHIPMENT_TRANSITIONS: dict[tuple[ShipmentStatus, ShipmentAction], ShipmentStatus] = {
    (_S.ENTERED, _SA.HOLD): _S.ON_HOLD,
    (_S.ON_HOLD, _SA.RELEASE): _S.ENTERED,
    (_S.ENTERED, _SA.START_PICKING): _S.PICKING,
    (_S.PICKING, _SA.PACK): _S.PACKED,
    (_S.PACKED, _SA.SHIP): _S.SHIPPED,
    (_S.ENTERED, _SA.CANCEL): _S.CANCELED,
    (_S.ON_HOLD, _SA.CANCEL): _S.CANCELED,
    (_S.PICKING, _SA.CANCEL): _S.CANCELED,  # a short pick found nothing at all (short-ship policy)
}


@dataclass(frozen=True)
class StatusChange:
    """What a transition caused; the caller writes it to the event log."""

    old: str
    new: str
    action: str


def order_transition(status: OrderStatus, action: OrderAction) -> StatusChange:
    new = ORDER_TRANSITIONS.get((status, action))
    if new is None:
        raise TransitionRefused(
            f"An order that is {status.value} cannot {action.value.replace('_', ' ')}.",
            status=status.value,
            action=action.value,
        )
    return StatusChange(status.value, new.value, action.value)


def shipment_transition(status: ShipmentStatus, action: ShipmentAction) -> StatusChange:
    new = SHIPMENT_TRANSITIONS.get((status, action))
    if new is None:
        raise TransitionRefused(
            f"A shipment that is {status.value} cannot {action.value.replace('_', ' ')}.",
            status=status.value,
            action=action.value,
        )
    return StatusChange(status.value, new.value, action.value)


def action_towards(status: OrderStatus, target: OrderStatus) -> OrderAction:
    """The action that moves ``status`` to ``target`` (for statuses derived from shipments)."""
    for (s, action), new in ORDER_TRANSITIONS.items():
        if s == status and new == target:
            return action
    raise TransitionRefused(f"An order that is {status.value} cannot become {target.value}.")


def allowed_order_actions(status: OrderStatus) -> list[OrderAction]:
    """What the UI and API may offer for an order in ``status``."""
    return [a for (s, a) in ORDER_TRANSITIONS if s == status]
