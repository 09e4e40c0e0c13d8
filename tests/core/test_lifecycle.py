"""The order and shipment lifecycles: worked examples of the tables, then properties of them.

The properties replay random action sequences through ``order_transition`` and
``shipment_transition`` and check every step against the transition tables, and search the
tables as graphs (reachability from the first status, no way out of a final status).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wareflow.core.errors import Conflict, TransitionRefused
from wareflow.core.lifecycle import (
    ORDER_FINAL,
    ORDER_OPEN,
    ORDER_TRANSITIONS,
    SHIPMENT_TRANSITIONS,
    OrderAction,
    OrderStatus,
    ShipmentAction,
    ShipmentStatus,
    StatusChange,
    allowed_order_actions,
    order_transition,
    shipment_transition,
)

# No example database (nothing written outside tests/); no deadline on a busy shared machine.
QUICK = settings(database=None, deadline=None)

OS, OA = OrderStatus, OrderAction
SS, SA = ShipmentStatus, ShipmentAction


def reachable(table: Mapping[tuple[Hashable, Hashable], Hashable], start: Hashable) -> set:
    """Every status a breadth-first search over ``table`` reaches from ``start``."""
    seen, queue = {start}, deque([start])
    while queue:
        status = queue.popleft()
        for (old, _), new in table.items():
            if old == status and new not in seen:
                seen.add(new)
                queue.append(new)
    return seen


# --- orders: examples -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [OS.RECEIVED, OS.ALLOCATED, OS.ON_HOLD, OS.BACKORDERED, OS.INVALID_ADDRESS]
)
def test_cancel_is_allowed_before_picking(status: OrderStatus) -> None:
    assert order_transition(status, OA.CANCEL) == StatusChange(status.value, "canceled", "cancel")


@pytest.mark.parametrize("status", [OS.PICKING, OS.PACKED, OS.PARTIALLY_SHIPPED, OS.SHIPPED, OS.CANCELED])
def test_cancel_is_refused_once_picking_started(status: OrderStatus) -> None:
    with pytest.raises(TransitionRefused):
        order_transition(status, OA.CANCEL)


def test_release_returns_a_held_order_to_received() -> None:
    assert order_transition(OS.ON_HOLD, OA.RELEASE).new == "received"


def test_release_is_refused_for_an_order_not_on_hold() -> None:
    with pytest.raises(TransitionRefused):
        order_transition(OS.RECEIVED, OA.RELEASE)


@pytest.mark.parametrize("status", [OS.RECEIVED, OS.ALLOCATED, OS.BACKORDERED, OS.INVALID_ADDRESS])
def test_hold_is_allowed_from_every_other_open_status(status: OrderStatus) -> None:
    assert order_transition(status, OA.HOLD).new == "on_hold"


def test_hold_is_refused_for_an_order_already_on_hold() -> None:
    with pytest.raises(TransitionRefused):
        order_transition(OS.ON_HOLD, OA.HOLD)


def test_correcting_the_address_returns_the_order_to_received() -> None:
    assert order_transition(OS.INVALID_ADDRESS, OA.CORRECT_ADDRESS).new == "received"


def test_allocating_a_backordered_order_allocates_it() -> None:
    assert order_transition(OS.BACKORDERED, OA.ALLOCATE).new == "allocated"


def test_an_allocated_order_can_fall_back_to_backordered() -> None:
    assert order_transition(OS.ALLOCATED, OA.BACKORDER).new == "backordered"


def test_picking_starts_only_from_allocated() -> None:
    with pytest.raises(TransitionRefused):
        order_transition(OS.RECEIVED, OA.START_PICKING)


@pytest.mark.parametrize("status", [OS.PICKING, OS.PACKED, OS.PARTIALLY_SHIPPED])
def test_ship_is_allowed_from_the_floor_statuses(status: OrderStatus) -> None:
    assert order_transition(status, OA.SHIP).new == "shipped"


def test_partial_shipments_may_repeat() -> None:
    change = order_transition(OS.PARTIALLY_SHIPPED, OA.SHIP_PARTIALLY)
    assert change.old == change.new == "partially_shipped"


def test_status_change_carries_plain_string_values() -> None:
    change = order_transition(OS.RECEIVED, OA.ALLOCATE)
    assert (change.old, change.new, change.action) == ("received", "allocated", "allocate")


def test_refusal_is_a_409_conflict_naming_status_and_action() -> None:
    with pytest.raises(TransitionRefused) as caught:
        order_transition(OS.SHIPPED, OA.CANCEL)
    assert isinstance(caught.value, Conflict)
    assert caught.value.status == 409
    assert caught.value.code == "transition_refused"
    assert caught.value.extra == {"status": "shipped", "action": "cancel"}


def test_refusal_message_reads_as_a_sentence() -> None:
    with pytest.raises(TransitionRefused, match="An order that is picking cannot start picking"):
        order_transition(OS.PICKING, OA.START_PICKING)


@pytest.mark.parametrize("status", sorted(ORDER_FINAL))
def test_final_order_statuses_offer_no_actions(status: OrderStatus) -> None:
    assert allowed_order_actions(status) == []


def test_allowed_actions_of_a_received_order() -> None:
    assert set(allowed_order_actions(OS.RECEIVED)) == {
        OA.ALLOCATE,
        OA.BACKORDER,
        OA.FLAG_INVALID_ADDRESS,
        OA.HOLD,
        OA.CANCEL,
    }


def test_open_and_final_statuses_are_disjoint() -> None:
    assert not ORDER_OPEN & ORDER_FINAL


def test_every_open_status_can_be_canceled() -> None:
    assert {s for (s, a) in ORDER_TRANSITIONS if a is OA.CANCEL} == ORDER_OPEN


def test_every_order_status_outside_final_has_an_action() -> None:
    assert {s for (s, _) in ORDER_TRANSITIONS} == set(OS) - ORDER_FINAL


# --- orders: properties -----------------------------------------------------------------------


@QUICK
@given(st.lists(st.sampled_from(list(OrderAction)), max_size=40))
def test_random_order_actions_follow_the_table(actions: list[OrderAction]) -> None:
    status = OS.RECEIVED
    for action in actions:
        expected = ORDER_TRANSITIONS.get((status, action))
        if expected is None:
            with pytest.raises(TransitionRefused):
                order_transition(status, action)
            continue  # refused: the status stays as it was
        change = order_transition(status, action)
        assert (change.old, change.action) == (status.value, action.value)
        assert change.new == expected.value
        status = OrderStatus(change.new)
        assert status in OS


@QUICK
@given(st.sampled_from(list(OrderStatus)), st.sampled_from(list(OrderAction)))
def test_order_transition_succeeds_exactly_for_table_entries(
    status: OrderStatus, action: OrderAction
) -> None:
    if (status, action) in ORDER_TRANSITIONS:
        assert order_transition(status, action).new == ORDER_TRANSITIONS[status, action].value
    else:
        with pytest.raises(TransitionRefused):
            order_transition(status, action)


@QUICK
@given(st.sampled_from(list(OrderStatus)), st.sampled_from(list(OrderAction)))
def test_allowed_order_actions_agree_with_order_transition(status: OrderStatus, action: OrderAction) -> None:
    try:
        order_transition(status, action)
    except TransitionRefused:
        assert action not in allowed_order_actions(status)
    else:
        assert action in allowed_order_actions(status)


@QUICK
@given(st.sampled_from(sorted(ORDER_FINAL)), st.sampled_from(list(OrderAction)))
def test_no_order_action_leaves_a_final_status(status: OrderStatus, action: OrderAction) -> None:
    with pytest.raises(TransitionRefused):
        order_transition(status, action)


def test_every_order_status_is_reachable_from_received() -> None:
    assert reachable(ORDER_TRANSITIONS, OS.RECEIVED) == set(OrderStatus)


@pytest.mark.parametrize("status", sorted(set(OrderStatus) - ORDER_FINAL))
def test_a_final_order_status_is_reachable_from_every_other(status: OrderStatus) -> None:
    assert reachable(ORDER_TRANSITIONS, status) & ORDER_FINAL


# --- shipments: examples ----------------------------------------------------------------------


def test_a_shipment_walks_from_entered_to_shipped() -> None:
    steps = [SA.START_PICKING, SA.PACK, SA.SHIP]
    status = SS.ENTERED
    for action in steps:
        status = ShipmentStatus(shipment_transition(status, action).new)
    assert status is SS.SHIPPED


def test_a_held_shipment_is_released_to_entered() -> None:
    assert shipment_transition(SS.ON_HOLD, SA.RELEASE).new == "entered"


@pytest.mark.parametrize("status", [SS.ENTERED, SS.ON_HOLD])
def test_a_shipment_can_be_canceled_before_picking(status: ShipmentStatus) -> None:
    assert shipment_transition(status, SA.CANCEL).new == "canceled"


def test_a_shipment_being_picked_is_canceled_only_when_nothing_was_found() -> None:
    # The short-ship policy cancels a shipment whose pick found no unit at all.
    assert shipment_transition(SS.PICKING, SA.CANCEL).new == "canceled"


@pytest.mark.parametrize("status", [SS.PACKED, SS.SHIPPED, SS.CANCELED])
def test_a_shipment_cannot_be_canceled_once_packed(status: ShipmentStatus) -> None:
    with pytest.raises(TransitionRefused):
        shipment_transition(status, SA.CANCEL)


def test_a_shipment_cannot_ship_before_it_is_packed() -> None:
    with pytest.raises(TransitionRefused, match="A shipment that is picking cannot ship"):
        shipment_transition(SS.PICKING, SA.SHIP)


def test_shipment_refusal_names_status_and_action() -> None:
    with pytest.raises(TransitionRefused) as caught:
        shipment_transition(SS.SHIPPED, SA.HOLD)
    assert caught.value.extra == {"status": "shipped", "action": "hold"}


# --- shipments: properties --------------------------------------------------------------------

SHIPMENT_FINAL = {SS.SHIPPED, SS.CANCELED}


@QUICK
@given(st.lists(st.sampled_from(list(ShipmentAction)), max_size=30))
def test_random_shipment_actions_follow_the_table(actions: list[ShipmentAction]) -> None:
    status = SS.ENTERED
    for action in actions:
        expected = SHIPMENT_TRANSITIONS.get((status, action))
        if expected is None:
            with pytest.raises(TransitionRefused):
                shipment_transition(status, action)
            continue
        change = shipment_transition(status, action)
        assert (change.old, change.action) == (status.value, action.value)
        assert change.new == expected.value
        status = ShipmentStatus(change.new)
        assert status in SS


@QUICK
@given(st.sampled_from(list(ShipmentStatus)), st.sampled_from(list(ShipmentAction)))
def test_shipment_transition_succeeds_exactly_for_table_entries(
    status: ShipmentStatus, action: ShipmentAction
) -> None:
    if (status, action) in SHIPMENT_TRANSITIONS:
        new = shipment_transition(status, action).new
        assert new == SHIPMENT_TRANSITIONS[status, action].value
    else:
        with pytest.raises(TransitionRefused):
            shipment_transition(status, action)


@QUICK
@given(st.sampled_from(sorted(SHIPMENT_FINAL)), st.sampled_from(list(ShipmentAction)))
def test_no_shipment_action_leaves_a_final_status(status: ShipmentStatus, action: ShipmentAction) -> None:
    with pytest.raises(TransitionRefused):
        shipment_transition(status, action)


def test_every_shipment_status_is_reachable_from_entered() -> None:
    assert reachable(SHIPMENT_TRANSITIONS, SS.ENTERED) == set(ShipmentStatus)


def test_only_shipped_and_canceled_shipments_have_no_actions() -> None:
    assert set(ShipmentStatus) - {s for (s, _) in SHIPMENT_TRANSITIONS} == SHIPMENT_FINAL
