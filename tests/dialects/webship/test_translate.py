"""XPS Ship translators: fulfillmentStatus, searchShipments on hand-built shipments, and a
Hypothesis round trip (Put Order → canonical → Put Order → canonical changes nothing)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dialects.presented import canonical, present
from tests.dialects.webship import examples as ex
from wareflow.core.lifecycle import OrderStatus
from wareflow.dialects.webship import translate as t
from wareflow.dialects.webship.schemas import PutOrder


def draft_of(body: dict[str, Any], integration: str | None = None) -> dict[str, Any]:
    return t.to_draft(PutOrder.model_validate(body), integration_id=integration)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_fulfillment_status_follows_the_order(status: OrderStatus) -> None:
    answered = t.to_vendor(present(draft_of(ex.PUT_ORDER), status=status.value))
    expected = {"shipped": "fulfilled", "partially_shipped": "partial"}.get(status.value, "pending")
    assert answered["fulfillmentStatus"] == expected


def shipment(number: str, status: str, tracking: str | None) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-0000-0000-00000000000{number[-1]}",
        "number": number,
        "status": status,
        "lines": [],
        "packages": [],
        "tracking": (
            {
                "carrier_code": "USPS",
                "service_level_code": "PM",
                "tracking_number": tracking,
                "cost": "8.2400",
                "currency": "USD",
            }
            if tracking
            else None
        ),
        "milestones": [],
    }


def test_search_lists_labelled_shipments() -> None:
    shipments = [
        shipment("ORD00000000001-1", "shipped", "9400111899223033005282"),
        shipment("ORD00000000001-2", "entered", None),
        shipment("ORD00000000001-3", "canceled", "9400111899223033005299"),
    ]
    order = present(draft_of(ex.PUT_ORDER), status="shipped", shipments=shipments)
    assert t.shipments_for_search(order) == [
        {
            "bookNumber": "ORD00000000001-1",
            "trackingNumber": "9400111899223033005282",
            "trackingNumbers": ["9400111899223033005282"],
            "carrierCode": "USPS",
            "serviceCode": "PM",
            "voided": False,
            "orderIds": ["123ABC"],
            "shipperReference": "abc123",
            "totalShippingCost": "8.24",
        },
        {
            "bookNumber": "ORD00000000001-3",
            "trackingNumber": "9400111899223033005299",
            "trackingNumbers": ["9400111899223033005299"],
            "carrierCode": "USPS",
            "serviceCode": "PM",
            "voided": True,
            "orderIds": ["123ABC"],
            "shipperReference": "abc123",
            "totalShippingCost": "8.24",
        },
    ]
    with_reference = copy.deepcopy(ex.PUT_ORDER) | {"shipperReference": "REF-9"}
    order = present(draft_of(with_reference), status="shipped", shipments=shipments[:1])
    assert t.shipments_for_search(order)[0]["shipperReference"] == "REF-9"


def test_a_native_order_reads_as_a_put_order() -> None:
    native = {
        "external_reference": "WEB-1",
        "ship_to": {
            "name": "Jane",
            "street": "Damrak",
            "house_number": "1",
            "city": "Amsterdam",
            "country": "NL",
        },
        "lines": [{"sku": "A-1", "quantity": 2}],
    }
    answered = t.to_vendor(present(native))
    assert answered["orderId"] == "WEB-1" and answered["orderDate"] == "2023-04-11"
    assert answered["receiver"]["address1"] == "Damrak 1" and answered["receiver"]["country"] == "NL"
    assert answered["items"][0]["sku"] == "A-1" and answered["packages"] is None


# --- round trip ---------------------------------------------------------------------------------

WORD = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
PHRASE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
DECIMAL = st.decimals(min_value=0, max_value=9999, places=2).map(str)
DATE = st.dates().map(lambda d: d.isoformat())
PARTY_PLACES = st.sampled_from(
    [("US", "UT", "8015042351"), ("CA", "BC", "6045551234"), ("GB", "Kent", "+44 20 7946 0958")]
)


@st.composite
def parties(draw: st.DrawFn) -> dict[str, Any]:
    country, state, phone = draw(PARTY_PLACES)
    party = {
        "name": draw(PHRASE),
        "address1": draw(PHRASE),
        "city": draw(PHRASE),
        "state": state,
        "zip": draw(WORD),
        "country": country,
    }
    for key, strategy in {
        "company": PHRASE,
        "address2": PHRASE,
        "phone": st.just(phone),
        "email": st.just("a@example.com"),
    }.items():
        if draw(st.booleans()):
            party[key] = draw(strategy)
    return party


ITEMS = st.lists(
    st.fixed_dictionaries(
        {"sku": WORD, "quantity": st.integers(1, 100)},
        optional={
            "productId": WORD,
            "title": PHRASE,
            "price": DECIMAL,
            "weight": DECIMAL,
            "imgUrl": st.just("http://example.com/x.png"),
            "htsNumber": st.from_regex(r"[0-9]{6,10}", fullmatch=True),
            "countryOfOrigin": st.sampled_from(["US", "CN", "DE"]),
            "lineId": WORD,
            "pickLocation": WORD,
            "color": WORD,
        },
    ),
    min_size=1,
    max_size=3,
)
PACKAGES = st.none() | st.lists(
    st.fixed_dictionaries(
        {"weight": DECIMAL}, optional={"length": DECIMAL, "insuranceAmount": DECIMAL | st.none()}
    ),
    max_size=2,
)


@st.composite
def put_orders(draw: st.DrawFn) -> dict[str, Any]:
    body = {
        "orderId": draw(WORD),
        "orderDate": draw(DATE),
        "orderNumber": draw(WORD | st.none()),
        "fulfillmentStatus": "pending",
        "shippingService": draw(PHRASE | st.none()),
        "shippingTotal": draw(DECIMAL | st.none()),
        "weightUnit": draw(st.sampled_from(["lb", "kg", None])),
        "dimUnit": draw(st.sampled_from(["in", "cm", None])),
        "dueByDate": draw(DATE | st.none()),
        "orderGroup": draw(WORD | st.none()),
        "sender": draw(parties()),
        "receiver": draw(parties()),
        "items": draw(ITEMS),
        "packages": draw(PACKAGES),
    }
    for key, strategy in {
        "shipperReference": WORD,
        "shipperReference2": WORD,
        "contentDescription": PHRASE,
        "returnTo": parties(),
        "storeName": WORD,
    }.items():
        if draw(st.booleans()):
            body[key] = draw(strategy)
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(put_orders())
def test_round_trip(body: dict[str, Any]) -> None:
    first = canonical(draft_of(body, "3214"))
    answered = t.to_vendor(present(first))
    assert answered["orderId"] == body["orderId"] and answered["fulfillmentStatus"] == "pending"
    assert canonical(draft_of(answered, "3214")) == first
