"""Logistics Plus translators on hand-built orders (shipments, serials, tracking) and a
Hypothesis round trip: LP → canonical → LP → canonical changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dialects.logisticsplus import examples as ex
from tests.dialects.presented import canonical, present
from wareflow.core.lifecycle import OrderStatus
from wareflow.dialects.logisticsplus import schemas
from wareflow.dialects.logisticsplus import translate as t


def draft_of(body: dict[str, Any]) -> dict[str, Any]:
    return t.to_draft(
        schemas.WarehouseOrder.model_validate(schemas.normalize_keys(schemas.without_read_only(body)))
    )


def finalized_shipment() -> dict[str, Any]:
    """The page's finalized example, as the warehouse records it natively."""
    return {
        "id": "6434c720-dd32-83f9-09d1-bd5500000000",
        "number": "ORD00000000001-1",
        "status": "shipped",
        "lines": [
            {
                "line_number": 1,
                "sku": ex.LAPTOP,
                "quantity": 1,
                "picked_quantity": 1,
                "sublines": [{"quantity": 1, "serial_number": "123456789", "lot": None}],
            }
        ],
        "packages": [
            {
                "reference": "123456789-001",
                "weight": "7.950",
                "weight_unit": "lb",
                "length": "14.000",
                "width": "5.000",
                "height": "0.800",
                "dim_unit": "m",
                "package_type": "BOX",
                "lines": [{"line_number": 1, "quantity": 1}],
            }
        ],
        "tracking": {
            "carrier_code": "FEDEXPELS",
            "carrier_name": None,
            "service_level_code": None,
            "tracking_number": "TRACK12345678",
            "shipped_at": "2023-04-11T02:55:16+00:00",
            "cost": "0",
            "currency": "USD",
        },
        "milestones": [
            {
                "code": "entered",
                "description": "Shipment entered",
                "sequence": 1,
                "occurred_at": "2023-04-11T02:34:08+00:00",
            },
            {
                "code": "picking",
                "description": "On a pick list",
                "sequence": 2,
                "occurred_at": "2023-04-11T02:47:54+00:00",
            },
            {
                "code": "shipped",
                "description": "Handed to the carrier",
                "sequence": 3,
                "occurred_at": "2023-04-11T02:55:16+00:00",
            },
        ],
        "created_at": "2023-04-11T02:34:08+00:00",
        "updated_at": "2023-04-11T02:55:29.123456+00:00",
    }


def test_finalized_order_reads_as_the_page_shows() -> None:
    order = present(draft_of(ex.B2C), status="shipped", shipments=[finalized_shipment()])
    data = t.to_vendor(order)
    assert data["status"] == "FIN"
    [shipment] = data["shipments"]
    assert (shipment["status"], shipment["wmsId"]) == ("FIN", "ORD00000000001-1")
    assert shipment["dateLastUpdated"] == "2023-04-11T02:55:29+00:00"
    assert shipment["actualShipDate"] == "2023-04-11T02:55:16+00:00"
    assert shipment["trackingDetail"] == {
        "carrierCode": "FEDEXPELS",
        "serviceLevelCode": "",
        "trackingNumber": "TRACK12345678",
    }
    assert (shipment["totalCost"], shipment["totalCostUnit"]) == ("0", "USD")
    assert shipment["packages"] == [
        {
            "packageReference": "123456789-001",
            "weight": 7.950,
            "weightUnit": "LB",
            "length": 14.000,
            "width": 5.000,
            "height": 0.800,
            "dimUnit": "M",
            "packageType": "BOX",
            "packedLines": [
                {
                    "quantity": 1.000,
                    "orderLineReference": "1",
                    "orderSubLineReference": "0",
                    "productCode": ex.LAPTOP,
                }
            ],
        }
    ]
    assert shipment["shipmentLines"] == [
        {
            "sublines": [
                {"quantity": 1.000, "partAttributes": [{"key": "Serial Number", "value": "123456789"}]}
            ],
            "lineNumber": "1",
            "externalLineReference": "001",
            "productCode": ex.LAPTOP,
            "quantity": 1.000,
            "quantityUnit": "UNT",
            "lineAttributes": [],
            "lineCustomAttributes": [],
            "partAttributes": [{"key": "SERIAL NUMBER", "value": "123456789"}],
        }
    ]
    assert shipment["milestones"] == [
        {"code": "WHE", "description": "Entered", "sequence": "1", "actualDate": "2023-04-11T02:34:08+00:00"},
        {
            "code": "WHI",
            "description": "Sent to Pick",
            "sequence": "2",
            "actualDate": "2023-04-11T02:47:54+00:00",
        },
        {
            "code": "FIN",
            "description": "Finalized",
            "sequence": "3",
            "actualDate": "2023-04-11T02:55:16+00:00",
        },
    ]
    assert shipment["additionalReferences"] == [{"key": "ORD", "value": "ACME1234"}]


def test_rate_shopped_carrier_appears_under_tracking_detail() -> None:
    shipment = finalized_shipment() | {
        "tracking": {
            "carrier_code": "FX",
            "carrier_name": "Fedex",
            "service_level_code": "GND",
            "tracking_number": "1234567890",
        }
    }
    data = t.to_vendor(
        present(draft_of(ex.B2C) | {"rate_group": "RG"}, status="shipped", shipments=[shipment])
    )
    assert data["shipments"][0]["trackingDetail"] == {
        "carrierCode": "FX",
        "carrierName": "Fedex",
        "serviceLevelCode": "GND",
        "trackingNumber": "1234567890",
    }
    assert data["rateGroup"] == "RG"


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_canonical_status_has_a_vendor_status(status: OrderStatus) -> None:
    data = t.to_vendor(present(draft_of(ex.B2C), status=status.value))
    assert data["status"] == {"shipped": "FIN", "canceled": "CAN"}.get(status.value, "PRS")
    pending = data["shipments"][0]["status"]
    assert pending == t.PENDING_SHIPMENT_STATUS[status.value]
    assert pending in {"ENT", "HEL", "PIC", "FIN", "CAN"}


@pytest.mark.parametrize(("native", "vendor"), list(t.SHIPMENT_STATUS.items()))
def test_shipment_statuses(native: str, vendor: str) -> None:
    shipment = finalized_shipment() | {"status": native}
    assert t.to_vendor(present(draft_of(ex.B2C), shipments=[shipment]))["shipments"][0]["status"] == vendor


def test_a_required_ship_time_is_kept() -> None:
    draft = draft_of({**ex.B2C, "requiredShipDate": "2023-05-14T12:00:00+00:00"})
    assert draft["required_ship_date"] == "2023-05-14"
    assert t.to_vendor(present(draft))["requiredShipDate"] == "2023-05-14T12:00:00+00:00"


# --- round trip ---------------------------------------------------------------------------------

WORD = st.text("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
PHRASE = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
EMPTY = st.sampled_from(["", None])
PLACES = st.sampled_from(
    [
        ("USA", "CA", "Los Angeles"),
        ("US", "NY", "New York"),
        ("CA", "ON", "Toronto"),
        ("GB", "", "London"),
        ("Netherlands", "", "Utrecht"),
    ]
)
PAIRS = st.lists(st.fixed_dictionaries({"key": WORD, "value": PHRASE}), max_size=2)


@st.composite
def lp_orders(draw: st.DrawFn) -> dict[str, Any]:
    country, state, city = draw(PLACES)
    lines = draw(
        st.lists(
            st.fixed_dictionaries(
                {"productCode": WORD, "quantity": st.integers(1, 500) | st.integers(1, 9).map(float)},
                optional={
                    "externalLineReference": WORD,
                    "quantityUnit": st.sampled_from(["UNT", "CS", "PLT"]),
                    "lineAttributes": PAIRS,
                    "partAttributes": PAIRS,
                    "linePrice": st.integers(0, 99),
                },
            ),
            min_size=1,
            max_size=3,
        )
    )
    body: dict[str, Any] = {
        "warehouseCode": "LAW",
        "primaryReference": draw(WORD),
        "shipToAddress": {
            "address": {
                "organization": draw(PHRASE),
                "addressLine1": draw(PHRASE),
                "addressLine2": draw(PHRASE | EMPTY),
                "country": country,
                "state": state,
                "city": city,
                "postalCode": draw(WORD),
                "isResidential": draw(st.booleans()),
            },
            "contact": {
                "personName": draw(PHRASE | EMPTY),
                "emailAddress": draw(st.sampled_from(["", "a@example.com"])),
            },
        },
        "orderLines": lines,
        "additionalReferences": draw(PAIRS),
    }
    optional = {
        "secondaryReference": WORD,
        "note": PHRASE,
        "requiredShipDate": st.datetimes(
            min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive)
            max_value=dt.datetime(2030, 1, 1),  # noqa: DTZ001
            timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))]),
        ).map(dt.datetime.isoformat),
        "forwardingData": st.sampled_from(["DDP", "DAP", "EXW", "FC1"]).map(lambda c: {"incoTerm": c}),
        "jobCosting": st.fixed_dictionaries({"branch": WORD}),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            body[key] = draw(strategy)
    if draw(st.booleans()):
        body["rateGroup"] = draw(WORD)
    elif draw(st.booleans()):
        body["transportDetail"] = {
            "carrierCode": draw(WORD),
            "serviceLevelCode": draw(WORD),
            "carrierName": draw(PHRASE),
        }
    if draw(st.booleans()):  # the page mixes spellings: any case must do
        body = {key[0].upper() + key[1:]: value for key, value in body.items()}
    return body


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lp_orders())
def test_round_trip(body: dict[str, Any]) -> None:
    first = canonical(draft_of(body))
    answered = t.to_vendor(present(first))
    assert answered["primaryReference"] == first["external_reference"]
    assert len(answered["orderLines"]) == len(body.get("orderLines") or body.get("OrderLines"))
    assert canonical(draft_of(answered)) == first
