"""Pitney Bowes OMS translators: statuses, shipments, native orders, and a Hypothesis round trip
(Create Order → canonical → GET shape → canonical changes nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dialects.oms import examples as ex
from tests.dialects.presented import canonical, present
from wareflow.core.lifecycle import OrderStatus
from wareflow.dialects.oms import translate as t
from wareflow.dialects.oms.schemas import CreateOrder

READ_ONLY = {"orderId", "status", "transactionCreateDate", "lastModifiedDate", "shipments"}


def draft_of(body: dict[str, Any]) -> dict[str, Any]:
    return t.to_draft(CreateOrder.model_validate({k: v for k, v in body.items() if k not in READ_ONLY}))


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_canonical_status_has_an_oms_status(status: OrderStatus) -> None:
    answered = t.to_vendor(present(draft_of(ex.CREATE_ORDER), status=status.value))
    assert answered["status"] == t.STATUS[status.value]
    if status in (OrderStatus.RECEIVED, OrderStatus.ALLOCATED):
        assert answered["status"] == "unfulfilled"


def test_created_answer() -> None:
    order = present(draft_of(ex.CREATE_ORDER))
    assert t.created(order) == {
        "orderId": "00000000-0000-0000-0000-000000000001",
        "orderNumber": "ORD12346",
        "status": "Success",
        "transactionCreateDate": "2023-04-11T02:34:06.000Z",
    }


def test_shipped_order_lists_its_tracking() -> None:
    shipment = {
        "id": "s-1",
        "status": "shipped",
        "tracking": {
            "carrier_code": "USPS",
            "service_level_code": "PM",
            "tracking_number": "9400",
            "shipped_at": "2026-01-30T10:53:24.554000+00:00",
        },
    }
    answered = t.to_vendor(present(draft_of(ex.CREATE_ORDER), status="shipped", shipments=[shipment]))
    assert answered["status"] == "fulfilled"
    assert answered["shipments"] == [
        {
            "shipmentId": "s-1",
            "status": "shipped",
            "carrier": "USPS",
            "service": "PM",
            "trackingNumber": "9400",
            "shipDate": "2026-01-30T10:53:24.554Z",
        }
    ]


def test_a_native_order_reads_in_oms_words() -> None:
    native = {
        "external_reference": "WEB-1",
        "ship_to": {
            "name": "Jane",
            "street": "Damrak",
            "house_number": "1",
            "city": "Amsterdam",
            "country": "NL",
        },
        "buyer": {"name": "Mary Ann Smith"},
        "lines": [{"sku": "A-1", "quantity": 2}],
        "customer_note": "Leave at the door",
    }
    answered = t.to_vendor(present(native))
    assert answered["toAddress"]["addressLines"] == ["Damrak 1"]
    assert answered["customerInfo"] == {"firstName": "Mary", "lastName": "Ann Smith"}
    assert answered["orderMessage"] == {"message": "Leave at the door"}
    assert answered["items"] == [{"sku": "A-1", "quantity": 2}]


# --- round trip ---------------------------------------------------------------------------------

WORD = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
PHRASE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
AMOUNT = st.integers(0, 10_000) | st.decimals(min_value=0, max_value=999, places=2).map(float)
PLACES = st.sampled_from([("US", "UT", "Salt Lake City"), ("CA", "BC", "Vancouver"), ("NL", "", "Utrecht")])


@st.composite
def addresses(draw: st.DrawFn, *, deliverable: bool) -> dict[str, Any]:
    country, state, city = draw(PLACES)
    address: dict[str, Any] = {"countryCode": country}
    if deliverable or draw(st.booleans()):
        address |= {"name": draw(PHRASE), "cityTown": city, "postalCode": draw(WORD)}
        if draw(st.booleans()):
            address["addressLines"] = draw(st.lists(PHRASE, min_size=1, max_size=3))
        else:
            address |= {"addressLine1": draw(PHRASE), "addressLine2": draw(PHRASE)}
        if state:
            address["stateProvince"] = state
    for key, strategy in {
        "company": PHRASE,
        "email": st.just("a@example.com"),
        "residential": st.booleans(),
        "dock": WORD,
    }.items():
        if draw(st.booleans()):
            address[key] = draw(strategy)
    return address


ITEM = st.one_of(
    st.fixed_dictionaries({"customProductId": WORD}, optional={"quantity": st.integers(1, 9)}),
    st.fixed_dictionaries(
        {"sku": WORD, "quantity": st.integers(1, 99)},
        optional={
            "name": PHRASE,
            "unitPrice": AMOUNT,
            "weight": AMOUNT,
            "weightUnit": st.sampled_from(["lb", "kg", "oz"]),
            "hsTariffCode": st.from_regex(r"[0-9]{6,10}", fullmatch=True),
            "originCountryCode": st.sampled_from(["US", "CN"]),
            "color": WORD,
        },
    ),
)
NAMES = WORD.filter(lambda n: n not in t.REFERENCE_KEYS)


@st.composite
def create_orders(draw: st.DrawFn) -> dict[str, Any]:
    body: dict[str, Any] = {
        "orderNumber": draw(WORD),
        "fromAddress": draw(addresses(deliverable=False)),
        "toAddress": draw(addresses(deliverable=True)),
        "items": draw(st.lists(ITEM, min_size=1, max_size=3)),
    }
    optional = {
        "orderMessage": st.fixed_dictionaries({"type": st.sampled_from(["GIFT", "NOTE"]), "message": PHRASE}),
        "metadata": st.lists(st.fixed_dictionaries({"name": NAMES, "value": PHRASE}), max_size=3),
        "charges": st.fixed_dictionaries(
            {},
            optional={
                "currency": st.sampled_from(["USD", "CAD"]),
                "billingStatus": WORD,
                "gmv": AMOUNT,
                "subTotal": AMOUNT,
                "totalPaid": AMOUNT,
                "paymentType": PHRASE,
            },
        ),
        "shippingReference": st.fixed_dictionaries(
            {},
            optional={
                "reference1": WORD,
                "shipperReference": WORD,
                "transportationReference": WORD,
                "shippingNotes": PHRASE,
            },
        ),
        "customerInfo": st.fixed_dictionaries(
            {},
            optional={
                "firstName": WORD,
                "lastName": WORD,
                "email": st.just("b@example.com"),
                "customerId": WORD,
            },
        ),
        "additionalAddresses": st.lists(
            addresses(deliverable=False).map(lambda a: {"type": "billing", **a}), max_size=2
        ),
        "shippingPreferences": st.fixed_dictionaries(
            {"carrier": WORD}, optional={"service": WORD, "signature": st.booleans()}
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            body[key] = draw(strategy)
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(create_orders())
def test_round_trip(body: dict[str, Any]) -> None:
    first = canonical(draft_of(body))
    answered = t.to_vendor(present(first))
    assert answered["orderNumber"] == body["orderNumber"] and answered["status"] == "unfulfilled"
    assert canonical(draft_of(answered)) == first
