"""The Ware2Go translators alone (pure functions): statuses, shipments read from the native
shipment shape, pointers, and Hypothesis round trips both ways."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dialects.ewarehousing.presented import presented, shipment
from wareflow.core.lifecycle import OrderStatus
from wareflow.core.order import OrderDraft
from wareflow.dialects.ware2go import translate as t
from wareflow.dialects.ware2go.schemas import Ware2GoOrder


def _order(**extra: Any) -> dict[str, Any]:
    return {
        "external_reference": "ZX-1",
        "warehouse_code": "LAW",
        "ship_to": {"name": "Jo", "address1": "1 Main St", "city": "Austin", "state": "TX", "country": "US"},
        "lines": [{"sku": "A-1", "quantity": 2}],
        **extra,
    }


def test_every_canonical_status_reads_in_ware2go_words() -> None:
    assert set(t.STATUS) == {s.value for s in OrderStatus}
    assert t.STATUS["received"] == t.STATUS["allocated"] == "DRAFT"
    assert (t.STATUS["picking"], t.STATUS["shipped"], t.STATUS["canceled"]) == (
        "PROCESSING",
        "SHIPPED",
        "CANCELED",
    )


def test_shipments_with_tracking_once_picking_started() -> None:
    entered = shipment(status="entered", lines=[(1, "A-1", 2, [])], tracking_number=None)
    assert "shipments" not in t.to_vendor(presented(_order(), shipments=[entered]))
    left = shipment(lines=[(1, "A-1", 2, ["SN-1", "SN-2"])])
    answer = t.to_vendor(presented(_order(), status="shipped", shipments=[left, entered]))
    assert answer["status"] == "SHIPPED"
    assert answer["shipments"] == [
        {
            "shipmentId": "ORD00000000001-1",
            "status": "SHIPPED",
            "carrier": "UPS",
            "carrierCode": "UPS",
            "serviceLevel": "GND",
            "trackingNumber": "1Z999AA10123456784",
            "shipDate": "2026-04-18T16:00:00+00:00",
            "skuQuantities": [{"skuId": "A-1", "unitQuantity": 2}],
        }
    ]


def test_street_and_number_written_by_another_face() -> None:
    nl = _order(
        ship_to={
            "name": "Jan",
            "street": "Dorpsstraat",
            "house_number": "7",
            "house_number_addition": "b",
            "city": "Utrecht",
            "country": "NL",
        }
    )
    answer = t.to_vendor(presented(nl))
    assert (answer["address1"], answer["country"]) == ("Dorpsstraat 7 b", "NLD")


def test_pointers_name_ware2go_fields() -> None:
    assert t.vendor_pointer("/ship_to/postal_code") == "/zipCode"
    assert t.vendor_pointer("/ship_to") == "/address1"
    assert t.vendor_pointer("/lines/1/sku") == "/skuQuantities/1/skuId"
    assert t.vendor_pointer("/external_reference") == "/referenceId"
    assert t.vendor_pointer("") == ""


# --- round trips ---------------------------------------------------------------------------------

words = (
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-'", min_size=1, max_size=40
    )
    .map(str.strip)
    .filter(bool)
)
references = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_()", min_size=1, max_size=30
)
places = st.sampled_from(
    [
        {"country": "US", "state": "CA", "zipCode": "95628"},
        {"country": "US", "state": "NY", "zipCode": "14057"},
        {"country": "CA", "state": "ON", "zipCode": "K1A 0B1", "phoneNumber": "+16135550199"},
        {"country": "GB", "zipCode": "SW1A 1AA", "phoneNumber": "+442071838750"},
        {"country": "HK", "phoneNumber": "+85221234567"},
    ]
)
sku_quantities = st.lists(
    st.fixed_dictionaries(
        {"skuId": st.sampled_from(["WARE2GOBC2", "WILSON1", "A-1"]), "unitQuantity": st.integers(1, 10_000)},
        optional={
            "skuName": words,
            "upc": st.sampled_from(["036000291452", "012345678905"]),
            "proofOfDelivery": st.sampled_from(["Yes", "No"]),
            "insuranceRequired": st.sampled_from(["Yes", "No"]),
        },
    ),
    min_size=1,
    max_size=4,
)
orders = st.builds(
    lambda base, place, extra: {**base, **place, **extra},
    st.fixed_dictionaries(
        {
            "referenceId": references,
            "companyName": words,
            "address1": words,
            "city": words,
            "skuQuantities": sku_quantities,
        }
    ),
    places,
    st.fixed_dictionaries(
        {},
        optional={
            "address2": words,
            "buyerEmail": st.sampled_from(["john@example.com", "ops@acme.io"]),
            "purchaseOrderNumber": words,
            "shippingSpeed": st.sampled_from(["ECONOMY", "GROUND", "2DAY"]),
        },
    ),
)


def resent(answer: dict[str, Any]) -> dict[str, Any]:
    """What a client re-sends after reading an order: the answer without server fields."""
    request = {k: v for k, v in answer.items() if k not in ("orderId", "status", "shipments")}
    request["skuQuantities"] = [
        {k: v for k, v in item.items() if v is not None} for item in answer["skuQuantities"]
    ]
    return {k: v for k, v in request.items() if v is not None}


def expected_echo(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    out["country"] = {"US": "USA", "CA": "CAN", "GB": "GBR", "HK": "HKG"}[body["country"]]
    out["skuQuantities"] = [{"proofOfDelivery": "No", **item} for item in body["skuQuantities"]]
    return out


@settings(max_examples=150, deadline=None)
@given(orders)
def test_vendor_to_canonical_to_vendor_echoes_the_order(body: dict[str, Any]) -> None:
    draft = t.to_draft(Ware2GoOrder.model_validate(body), "LAW")
    assert resent(t.to_vendor(presented(draft))) == expected_echo(body)


@settings(max_examples=150, deadline=None)
@given(orders)
def test_canonical_to_vendor_to_canonical_keeps_the_order(body: dict[str, Any]) -> None:
    canonical = OrderDraft.model_validate(t.to_draft(Ware2GoOrder.model_validate(body), "LAW"))
    answer = t.to_vendor(presented(canonical.model_dump(mode="json")))
    again = t.to_draft(Ware2GoOrder.model_validate(resent(answer)), "LAW")
    assert OrderDraft.model_validate(again) == canonical
