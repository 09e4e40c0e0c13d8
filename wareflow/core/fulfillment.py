"""Fulfillment rules without I/O: what an order's status is given its shipments, and whether a
pick or a pack is consistent. The shipment transitions themselves are in ``lifecycle``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wareflow.core.errors import FieldError
from wareflow.core.lifecycle import OrderStatus, ShipmentStatus

BACKORDER_HOLD = "backordered"  # hold reason of a shipment waiting for stock after a short pick

MILESTONES: Mapping[ShipmentStatus, tuple[str, str]] = {
    ShipmentStatus.ENTERED: ("entered", "Shipment entered; waiting to be picked"),
    ShipmentStatus.ON_HOLD: ("on_hold", "Shipment on hold"),
    ShipmentStatus.PICKING: ("picking", "On a pick list; being picked"),
    ShipmentStatus.PACKED: ("packed", "Picked and packed"),
    ShipmentStatus.SHIPPED: ("shipped", "Handed to the carrier"),
    ShipmentStatus.CANCELED: ("canceled", "Shipment canceled"),
}


@dataclass(frozen=True)
class ShipmentState:
    status: ShipmentStatus
    hold_reason: str | None = None


def derive_order_status(current: OrderStatus, shipments: Sequence[ShipmentState]) -> OrderStatus:
    """The order's status as its shipments say it is: the one place this is decided.

    Before anything is on the floor the order keeps its own status (allocated, on hold, …).
    Then: all shipments shipped or canceled → shipped; some shipped → partially_shipped;
    any being picked → picking; the rest packed → packed.
    """
    live = [s for s in shipments if s.status != ShipmentStatus.CANCELED]
    floor = {ShipmentStatus.PICKING, ShipmentStatus.PACKED, ShipmentStatus.SHIPPED}
    if not live or not any(s.status in floor for s in live):
        return current
    statuses = {s.status for s in live}
    if statuses == {ShipmentStatus.SHIPPED}:
        return OrderStatus.SHIPPED
    if ShipmentStatus.SHIPPED in statuses:
        return OrderStatus.PARTIALLY_SHIPPED
    if ShipmentStatus.PICKING in statuses:
        return OrderStatus.PICKING
    return OrderStatus.PACKED if ShipmentStatus.PACKED in statuses else current


@dataclass(frozen=True)
class PickedLine:
    line_number: int
    quantity: int
    serial_numbers: tuple[str, ...] = ()
    lot: str | None = None


def check_pick(
    expected: Mapping[int, int],
    serial_tracked: Mapping[int, bool],
    lot_tracked: Mapping[int, bool],
    picks: Sequence[PickedLine],
) -> list[FieldError]:
    """A pick names shipment lines once each, never more than asked, one serial per unit for
    serial-tracked products (no serial twice), a lot for lot-tracked ones."""
    errors: list[FieldError] = []
    seen: set[int] = set()
    all_serials = Counter(s for p in picks for s in p.serial_numbers)
    for i, pick in enumerate(picks):
        at = f"/lines/{i}"
        if pick.line_number not in expected:
            errors.append(FieldError(f"{at}/line_number", "unknown_line", "Not a line of this shipment."))
            continue
        if pick.line_number in seen:
            errors.append(FieldError(f"{at}/line_number", "duplicate_line", "Each line once per pick."))
        seen.add(pick.line_number)
        if pick.quantity > expected[pick.line_number]:
            errors.append(
                FieldError(
                    f"{at}/quantity",
                    "over_pick",
                    f"Only {expected[pick.line_number]} units are asked on this line.",
                )
            )
        if serial_tracked.get(pick.line_number) and len(pick.serial_numbers) != pick.quantity:
            errors.append(
                FieldError(
                    f"{at}/serial_numbers",
                    "serials_required",
                    f"The product is serial-tracked: give {pick.quantity} serial numbers.",
                )
            )
        if any(all_serials[s] > 1 for s in pick.serial_numbers):
            errors.append(
                FieldError(f"{at}/serial_numbers", "duplicate_serial", "A serial number is unique.")
            )
        if lot_tracked.get(pick.line_number) and pick.quantity and not pick.lot:
            errors.append(
                FieldError(f"{at}/lot", "lot_required", "The product is lot-tracked: give the lot.")
            )
    return errors


def check_pack(picked: Mapping[int, int], packages: Sequence[Iterable[tuple[int, int]]]) -> list[FieldError]:
    """Packed quantities per line must add up to exactly what was picked."""
    errors: list[FieldError] = []
    packed: Counter[int] = Counter()
    for p, lines in enumerate(packages):
        for i, (line_number, quantity) in enumerate(lines):
            if line_number not in picked:
                errors.append(
                    FieldError(
                        f"/packages/{p}/lines/{i}/line_number",
                        "unknown_line",
                        "Not a picked line of this shipment.",
                    )
                )
            packed[line_number] += quantity
    for line_number, quantity in sorted(picked.items()):
        if quantity and packed[line_number] != quantity:
            errors.append(
                FieldError(
                    "/packages",
                    "pack_mismatch",
                    f"Line {line_number}: {packed[line_number]} packed, {quantity} picked.",
                )
            )
    return errors
