"""The eWarehousing translators alone (pure functions): status vocabulary, expand groups read
from the shipment shape, patches, pointers, and Hypothesis round trips both ways."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.dialects.ewarehousing.presented import presented, shipment
from wareflow.catalog.models import Product
from wareflow.catalog.schemas import ProductIn
from wareflow.catalog.service import present_product
from wareflow.core.lifecycle import OrderStatus
from wareflow.core.order import OrderDraft
from wareflow.dialects.ewarehousing import articles
from wareflow.dialects.ewarehousing import translate as t
from wareflow.dialects.ewarehousing.schemas import ArticleIn, OrderIn, OrderPatch

ALL = t.EXPAND_GROUPS
CUSTOMER = str(uuid.uuid4())


def test_every_canonical_status_has_a_vendor_status() -> None:
    assert set(t.STATUS) == {s.value for s in OrderStatus}
    assert {t.STATUS[s] for s in ("received", "allocated")} == {"created"}
    assert t.canonical_statuses("created") == ["received", "allocated"]
    assert t.canonical_statuses("processing") == ["picking", "packed"]
    assert t.canonical_statuses("planned") == []
    assert set(t.STATUS.values()) <= t.VENDOR_STATUSES


def _draft(**extra: Any) -> dict[str, Any]:
    return {
        "external_reference": "WEB-1",
        "warehouse_code": "LAW",
        "ship_to": {"name": "Jan", "street": "Dorpsstraat", "city": "Utrecht", "country": "NL"},
        "lines": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2", "quantity": 1}],
        **extra,
    }


def test_serial_numbers_and_status_come_from_the_shipments() -> None:
    shipped = shipment(lines=[(1, "A-1", 2, ["SN-0001", "SN-0002"]), (2, "B-2", 1, [])])
    canceled = shipment(status="canceled", lines=[(1, "A-1", 2, ["SN-9"])], tracking_number=None)
    order = presented(_draft(), status="shipped", shipments=[shipped, canceled])
    answer = t.to_vendor(order, customer=CUSTOMER, expand=ALL)
    assert answer["status"] == "shipped"
    assert [line["serial_numbers"] for line in answer["order_lines"]] == [["SN-0001", "SN-0002"], []]
    partly = t.to_vendor(presented(_draft(), status="partially_shipped"), customer=CUSTOMER)
    assert partly["status"] == "partially_shipped" and "order_lines" not in partly


def test_expand_groups_only_when_asked() -> None:
    order = presented(_draft(metadata={"a": "1"}))
    plain = t.to_vendor(order, customer=CUSTOMER)
    assert not set(plain) & ALL
    lines_only = t.to_vendor(order, customer=CUSTOMER, expand=frozenset({"order_lines"}))
    assert set(lines_only["order_lines"][0]) == {"variant", "quantity", "description", "price"}
    assert t.parse_expand(["Order_Lines, meta_data", " nonsense ,documents"]) == {
        "order_lines",
        "meta_data",
        "documents",
    }


def test_amounts_are_cents() -> None:
    assert t.cents_to_decimal(4599) == "45.99"
    assert t.decimal_to_cents("22.99") == 2299
    assert t.decimal_to_cents("22.995") == 2299.5
    assert t.amount_cents("45.999") == 4600  # order amounts are whole cents on the page


def test_patch_holds_only_what_was_sent() -> None:
    body = OrderPatch.model_validate(
        {
            "note": None,
            "external_id": "",
            "shipping_address": {"zipcode": "1234AB"},
            "shipping_email": "a@b.nl",
        }
    )
    assert t.to_patch(body) == {
        "internal_note": None,
        "external_id": None,
        "ship_to": {"postal_code": "1234AB", "email": "a@b.nl"},
    }
    assert t.to_patch(OrderPatch.model_validate({"meta_data": {}})) == {"metadata": {}}  # merges nothing
    lines = OrderPatch.model_validate({"order_lines": [{"article_code": "A-1", "quantity": 1, "price": 150}]})
    assert t.to_patch(lines) == {"lines": [{"sku": "A-1", "quantity": 1, "unit_price": "1.5"}]}


def test_pointers_name_the_vendor_fields() -> None:
    assert t.vendor_pointer("/ship_to/postal_code") == "/shipping_address/zipcode"
    assert t.vendor_pointer("/ship_to/email") == "/shipping_email"
    assert t.vendor_pointer("/ship_to/contact_person") == "/shipping_contactperson"
    assert t.vendor_pointer("/lines/3/sku") == "/order_lines/3/article_code"
    assert t.vendor_pointer("/lines/0/unit_price") == "/order_lines/0/price"
    assert t.vendor_pointer("/incoterm") == "/inco_terms"
    assert t.vendor_pointer("/gb_eori_number") == "/inbound_eori_number"
    assert t.vendor_pointer("") == ""


# --- round trips ---------------------------------------------------------------------------------

text = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-'", min_size=1, max_size=40
)
words = text.map(str.strip).filter(bool)
short = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=20)
maybe = st.none() | words
cents = st.integers(min_value=0, max_value=10**9)
meta_keys = st.from_regex(r"[a-z][a-z0-9]{0,8}([_-][a-z0-9]{1,5})?", fullmatch=True)
meta_data = st.none() | st.dictionaries(meta_keys, words, min_size=1, max_size=3)
addresses = st.fixed_dictionaries(
    {
        "addressed_to": words,
        "street": words,
        "city": words,
        "country": st.sampled_from(["NL", "DE", "BE", "GB", "FR"]),
        "zipcode": short,
    },
    optional={
        "street_number": short,
        "street_number_addition": short,
        "street2": words,
        "state": words,
        "phone_number": st.sampled_from(["+31102202863", "+442071838750", "+4930123456"]),
        "mobile_number": st.sampled_from(["+31612345678"]),
        "fax_number": st.sampled_from(["+31102202864"]),
        "invalid": st.booleans(),
    },
)
vendor_lines = st.lists(
    st.fixed_dictionaries(
        {
            "article_code": st.sampled_from(["A-1", "B-2", "HP-SPX360", "default_variant_b_id"]),
            "quantity": st.integers(min_value=1, max_value=1000),
            "description": words,
        },
        optional={"price": cents, "meta_data": meta_data.filter(bool)},
    ),
    min_size=1,
    max_size=3,
)
vendor_orders = st.fixed_dictionaries(
    {
        "external_reference": short,
        "order_lines": vendor_lines,
        "shipping_address": addresses,
        "shipping_contactperson": words,
        "requested_delivery_date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)).map(
            dt.date.isoformat
        ),
    },
    optional={
        "external_id": short,
        "po_number": short,
        "shipping_method": st.uuids().map(str),
        "shipping_email": st.sampled_from(["outbound@example.com", "ops@warehouse.nl"]),
        "ioss_number": short,
        "eori_number": short,
        "vat_number": short,
        "inbound_vat_number": short,
        "inbound_eori_number": short,
        "meta_data": meta_data.filter(bool),
        "language": st.sampled_from(["en", "nl", "de-DE"]),
        "note": words,
        "customer_note": words,
        "order_amount": cents,
        "assured_amount": cents,
        "inco_terms": st.sampled_from(["DAP", "DDP"]),
        "currency": st.sampled_from(["EUR", "USD", "GBP"]),
    },
)


def request_from_response(answer: dict[str, Any]) -> dict[str, Any]:
    """What a client re-sends after reading an order with every expand group."""
    address = dict(answer["shipping_address"])
    contact, email = address.pop("contact_person"), address.pop("email_address")
    request = {
        **{k: v for k, v in answer.items() if k not in t.EXPAND_GROUPS},
        "requested_delivery_date": answer["requested_delivery_date"][:10],
        "shipping_address": address,
        "shipping_contactperson": contact,
        "shipping_email": email,
        "meta_data": answer["meta_data"],
        "order_lines": [
            {
                "article_code": line["variant"]["article_code"],
                "quantity": line["quantity"],
                "description": line["description"],
                "price": line["price"],
                "meta_data": line["meta_data"],
            }
            for line in answer["order_lines"]
        ],
    }
    for server_field in ("id", "created_at", "customer", "reference", "status", "business_to_business"):
        request.pop(server_field)
    return _pruned(request)


def _pruned(value: Any) -> Any:
    """Without nulls and empty objects (what "not sent" looks like)."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None and v != {}}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


@settings(max_examples=150, deadline=None)
@given(vendor_orders)
def test_vendor_to_canonical_to_vendor_keeps_the_order(body: dict[str, Any]) -> None:
    draft = t.to_draft(OrderIn.model_validate(body), "LAW")
    answer = t.to_vendor(presented(draft), customer=CUSTOMER, expand=ALL)
    expected = _pruned(body)
    expected["shipping_address"].setdefault("invalid", False)
    assert request_from_response(answer) == expected


@settings(max_examples=150, deadline=None)
@given(vendor_orders)
def test_canonical_to_vendor_to_canonical_keeps_the_order(body: dict[str, Any]) -> None:
    canonical = OrderDraft.model_validate(t.to_draft(OrderIn.model_validate(body), "LAW"))
    answer = t.to_vendor(presented(canonical.model_dump(mode="json")), customer=CUSTOMER, expand=ALL)
    again = t.to_draft(OrderIn.model_validate(request_from_response(answer)), "LAW")
    assert OrderDraft.model_validate(again) == canonical


@given(st.integers(min_value=0, max_value=10**12))
def test_cents_round_trip(value: int) -> None:
    assert t.decimal_to_cents(t.cents_to_decimal(value)) == value
    assert Decimal(t.cents_to_decimal(value) or 0) * 100 == value


# --- articles ------------------------------------------------------------------------------------

variants = st.fixed_dictionaries(
    {"sku": short},
    optional={
        "name": words,
        "article_code": short,
        "description": words,
        "ean": st.sampled_from(["4006381333931", "036000291452", "96385074"]),
        "hs_tariff_code": st.sampled_from(["61091000", "8471.30"]),
        "height": st.integers(0, 500),
        "depth": st.integers(0, 500),
        "width": st.integers(0, 500),
        "weight": st.integers(0, 50_000),
        "expirable": st.booleans(),
        "country_of_origin": st.sampled_from(["PT", "CN", "NL"]),
        "using_serial_numbers": st.booleans(),
    },
)


def _stored_product(fields: dict[str, Any]) -> dict[str, Any]:
    """A product as the catalog stores and presents it."""
    data = ProductIn.model_validate(fields).model_dump()
    now = dt.datetime.now(dt.UTC)
    return present_product(Product(**data, id=uuid.uuid4(), created_at=now, updated_at=now))


@settings(max_examples=150, deadline=None)
@given(words, variants)
def test_article_to_product_to_article_keeps_it(name: str, variant: dict[str, Any]) -> None:
    body = ArticleIn.model_validate({"name": name, "variants": [variant]})
    answer = articles.article(_stored_product(articles.to_product(body)))
    [answered] = answer["variants"]
    expected = {
        "name": variant.get("name", name),
        "article_code": variant.get("article_code", variant["sku"]),
    }
    expected |= {k: v for k, v in variant.items() if k not in ("name", "article_code")}
    for key in ("height", "depth", "width", "weight"):
        if key in expected:
            expected[key] = str(expected[key])
    assert {k: answered[k] for k in expected} == expected
    assert answer["name"] == answered["name"]
    resent = {k: v for k, v in answered.items() if k != "id" and v is not None}
    again = ProductIn.model_validate(
        articles.to_product(ArticleIn.model_validate({"name": name, "variants": [resent]}))
    )
    original = ProductIn.model_validate(articles.to_product(body))
    # a product without an article code is answered with its SKU there, the same product
    assert again == original.model_copy(update={"article_code": original.article_code or original.sku})
