"""An order from received to shipped through the API: pick list, a serial-tracked item, a
short pick that splits, two packages, shipping, the receipt that fills the remainder, and the
order's derived status at every step."""

from __future__ import annotations

import base64
import io
from typing import Any

import httpx
from pypdf import PdfReader

from tests.conftest import Tenant, order_body


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def status_of(tenant: Tenant, order_id: str) -> str:
    return str((await tenant.client.get(f"/v1/orders/{order_id}")).json()["status"])


async def setup_catalog(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await tenant.client.post(
        "/v1/products", json={"sku": "PHONE-X", "name": "Phone X", "serial_tracked": True}
    )
    await tenant.client.post("/v1/products", json={"sku": "CASE-X", "name": "Case X", "ean": "4006381333931"})
    for sku, bin_, qty in (("PHONE-X", "A-02-01", 2), ("CASE-X", "A-01-07", 5)):
        await operator.post(
            "/v1/stock/adjustments",
            json={
                "warehouse_code": "LAW",
                "sku": sku,
                "quantity": qty,
                "reason": "receipt",
                "location": bin_,
            },
        )


async def test_received_to_shipped(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await setup_catalog(tenant, operator)
    created = await tenant.client.post(
        "/v1/orders",
        json=order_body(
            "FLOW-1",
            lines=[{"sku": "PHONE-X", "quantity": 2}, {"sku": "4006381333931", "quantity": 3}],
            transport_detail={"carrier_code": "UPS", "service_level_code": "GND"},
        ),
    )
    order = created.json()
    assert order["status"] == "allocated"
    [shipment] = order["shipments"]
    assert (shipment["status"], shipment["number"]) == ("entered", f"{order['number']}-1")
    assert [m["code"] for m in shipment["milestones"]] == ["entered"]

    # a merchant may read but not act
    assert (await tenant.client.post("/v1/pick-lists", json={"order_ids": [order["id"]]})).status_code == 403

    pick_list = (await operator.post("/v1/pick-lists", json={"order_ids": [order["id"]]})).json()
    assert [(r["location"], r["sku"], r["quantity"]) for r in pick_list["lines"]] == [
        ("A-01-07", "CASE-X", 3),
        ("A-02-01", "PHONE-X", 2),
    ]  # walking order: by bin
    assert await status_of(tenant, order["id"]) == "picking"
    pdf = await operator.get(pick_list["document_url"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert "CASE-X" in pdf_text(pdf.content)

    url = f"/v1/shipments/{shipment['id']}"
    no_serials = await operator.post(
        f"{url}/pick", json={"lines": [{"line_number": 1, "quantity": 2}, {"line_number": 2, "quantity": 3}]}
    )
    assert no_serials.status_code == 422
    assert no_serials.json()["errors"][0]["code"] == "serials_required"
    # the shelf had only 2 of the 3 cases: a short pick
    picked = await operator.post(
        f"{url}/pick",
        json={
            "lines": [
                {"line_number": 1, "quantity": 2, "serial_numbers": ["SN-001", "SN-002"]},
                {"line_number": 2, "quantity": 2},
            ]
        },
    )
    assert picked.status_code == 200, picked.text
    now = (await tenant.client.get(f"/v1/orders/{order['id']}")).json()
    assert now["status"] == "picking"
    first, rest = now["shipments"]
    assert [s["serial_number"] for s in first["lines"][0]["sublines"]] == ["SN-001", "SN-002"]
    assert (rest["status"], rest["hold_reason"], rest["lines"]) == (
        "on_hold",
        "backordered",
        [
            {
                "line_number": 2,
                "sku": "4006381333931",
                "product_id": rest["lines"][0]["product_id"],
                "quantity": 1,
                "picked_quantity": None,
                "sublines": [],
            }
        ],
    )
    case = (await tenant.client.get("/v1/stock?sku=CASE-X")).json()["items"][0]
    assert (case["on_hand"], case["allocated"]) == (4, 2)  # the missing case written off

    mismatch = await operator.post(
        f"{url}/pack",
        json={
            "packages": [
                {
                    "weight": "1",
                    "weight_unit": "kg",
                    "length": 30,
                    "width": 20,
                    "height": 10,
                    "dim_unit": "cm",
                    "lines": [{"line_number": 1, "quantity": 2}],
                }
            ]
        },
    )
    assert mismatch.status_code == 422
    packed = await operator.post(
        f"{url}/pack",
        json={
            "packages": [
                {
                    "weight": "0.9",
                    "weight_unit": "KG",
                    "length": 30,
                    "width": 20,
                    "height": 10,
                    "dim_unit": "CM",
                    "lines": [{"line_number": 1, "quantity": 2}],
                },
                {
                    "reference": "BOX-2",
                    "weight": "12",
                    "weight_unit": "oz",
                    "length": 8,
                    "width": 6,
                    "height": 2,
                    "dim_unit": "in",
                    "package_type": "envelope",
                    "lines": [{"line_number": 2, "quantity": 2}],
                },
            ]
        },
    )
    assert packed.status_code == 200, packed.text
    assert [p["reference"] for p in packed.json()["packages"]] == [f"{first['number']}-P1", "BOX-2"]
    assert packed.json()["tracking"]["carrier_code"] == "UPS"
    assert await status_of(tenant, order["id"]) == "packed"

    shipped = await operator.post(
        f"{url}/ship",
        json={
            "carrier_code": "UPS",
            "tracking_number": "1Z999AA10123456784",
            "cost": "12.40",
            "currency": "usd",
        },
    )
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["tracking"]["tracking_number"] == "1Z999AA10123456784"
    assert await status_of(tenant, order["id"]) == "partially_shipped"
    phone = (await tenant.client.get("/v1/stock?sku=PHONE-X")).json()["items"][0]
    assert (phone["on_hand"], phone["allocated"]) == (0, 0)

    # the case arrives: the remainder is released, picked, packed and shipped
    receipt = (
        await operator.post(
            "/v1/stock/adjustments",
            json={"warehouse_code": "LAW", "sku": "CASE-X", "quantity": 3, "reason": "receipt"},
        )
    ).json()
    assert receipt["orders_allocated"] == 1
    rest_url = f"/v1/shipments/{rest['id']}"
    assert (await tenant.client.get(rest_url)).json()["status"] == "entered"
    await operator.post("/v1/pick-lists", json={"order_ids": [order["id"]]})
    await operator.post(f"{rest_url}/pick", json={"lines": [{"line_number": 2, "quantity": 1}]})
    await operator.post(
        f"{rest_url}/pack",
        json={
            "packages": [
                {
                    "weight": "0.2",
                    "weight_unit": "kg",
                    "length": 10,
                    "width": 10,
                    "height": 5,
                    "dim_unit": "cm",
                    "lines": [{"line_number": 2, "quantity": 1}],
                }
            ]
        },
    )
    await operator.post(
        f"{rest_url}/ship", json={"carrier_code": "UPS", "tracking_number": "1Z999AA10123456785"}
    )
    final = (await tenant.client.get(f"/v1/orders/{order['id']}")).json()
    assert final["status"] == "shipped"
    assert [s["status"] for s in final["shipments"]] == ["shipped", "shipped"]
    assert [m["code"] for m in final["shipments"][0]["milestones"]] == [
        "entered",
        "picking",
        "packed",
        "shipped",
    ]

    statuses = [
        e["data"]["to"]
        for e in (await tenant.client.get(f"/v1/orders/{order['id']}/events")).json()["items"]
        if e["type"] == "order.status_changed"
    ]
    assert statuses == ["allocated", "picking", "packed", "partially_shipped", "shipped"]

    documents = (await tenant.client.get(f"/v1/orders/{order['id']}/documents")).json()["items"]
    assert [d["kind"] for d in documents] == ["packing_slip", "packing_slip"]
    slip = await tenant.client.get(documents[0]["url"])
    text = pdf_text(slip.content)
    assert order["number"] in text
    assert "SN-001" in text


async def test_rate_group_picks_the_cheapest_rate(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await tenant.client.post(
        "/v1/rates",
        json={
            "rates": [
                {
                    "rate_group": "eco",
                    "carrier_code": "USPS",
                    "service_level_code": "GA",
                    "countries": ["US"],
                    "weight_unit": "lb",
                    "max_weight": 5,
                    "price": "7.10",
                    "currency": "USD",
                },
                {
                    "rate_group": "eco",
                    "carrier_code": "UPS",
                    "service_level_code": "SP",
                    "countries": ["US"],
                    "weight_unit": "kg",
                    "max_weight": 10,
                    "price": "6.20",
                    "currency": "USD",
                },
                {
                    "rate_group": "eco",
                    "carrier_code": "DHL",
                    "countries": ["DE"],
                    "weight_unit": "kg",
                    "max_weight": 10,
                    "price": "1.00",
                    "currency": "EUR",
                },
            ]
        },
    )
    order = (await tenant.client.post("/v1/orders", json=order_body(rate_group="eco"))).json()
    await operator.post("/v1/pick-lists", json={"order_ids": [order["id"]]})
    sid = order["shipments"][0]["id"]
    await operator.post(f"/v1/shipments/{sid}/pick", json={"lines": [{"line_number": 1, "quantity": 1}]})
    packed = (
        await operator.post(
            f"/v1/shipments/{sid}/pack",
            json={
                "packages": [
                    {
                        "weight": "1",
                        "weight_unit": "kg",
                        "length": 1,
                        "width": 1,
                        "height": 1,
                        "dim_unit": "cm",
                        "lines": [{"line_number": 1, "quantity": 1}],
                    }
                ]
            },
        )
    ).json()
    assert {k: packed["tracking"][k] for k in ("carrier_code", "cost", "rate_group")} == {
        "carrier_code": "UPS",
        "cost": "6.2000",
        "rate_group": "eco",
    }


async def test_short_ship_policy_and_nothing_found(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await tenant.client.patch("/v1/organization", json={"settings": {"short_pick_policy": "short_ship"}})
    order = (
        await tenant.client.post("/v1/orders", json=order_body(lines=[{"sku": "A-1", "quantity": 2}]))
    ).json()
    await operator.post("/v1/pick-lists", json={"order_ids": [order["id"]]})
    sid = order["shipments"][0]["id"]
    await operator.post(f"/v1/shipments/{sid}/pick", json={"lines": [{"line_number": 1, "quantity": 0}]})
    final = (await tenant.client.get(f"/v1/orders/{order['id']}")).json()
    assert [s["status"] for s in final["shipments"]] == ["canceled"]  # nothing to ship, no remainder


async def test_documents_attach_and_refuse(tenant: Tenant, app: Any) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    url = f"/v1/orders/{order['id']}/documents"
    pdf = base64.b64encode(b"%PDF-1.4\n%label\n").decode()
    created = await tenant.client.post(
        url,
        json={"title": "Label", "kind": "label", "content": pdf, "quantity": 2, "is_shipping_label": True},
    )
    assert created.status_code == 201, created.text
    doc = created.json()
    assert (doc["content_type"], doc["quantity"], doc["is_shipping_label"]) == ("application/pdf", 2, True)
    assert (await tenant.client.get(doc["url"])).content.startswith(b"%PDF-1.4")
    assert (await tenant.client.get(f"/v1/documents/{doc['id']}")).json() == doc
    not_pdf = base64.b64encode(b"MZ\x90\x00 an executable").decode()
    assert (
        await tenant.client.post(url, json={"title": "x", "kind": "other", "content": not_pdf})
    ).status_code == 422
    assert (
        await tenant.client.post(url, json={"title": "x", "kind": "other", "content": "%%%"})
    ).status_code == 422
    big = base64.b64encode(b"%PDF-" + b"0" * (app.state.settings.max_document_bytes + 1)).decode()
    assert (
        await tenant.client.post(url, json={"title": "x", "kind": "other", "content": big})
    ).status_code == 413


async def test_carrier_choice_and_incoterms(tenant: Tenant) -> None:
    both = await tenant.client.post(
        "/v1/orders", json=order_body(transport_detail={"carrier_code": "UPS"}, rate_group="eco")
    )
    assert both.status_code == 400
    assert both.json()["errors"][0]["pointer"] == "/rate_group"
    # lenient (the default): a domestic order with an incoterm is accepted and flagged
    flagged = (await tenant.client.post("/v1/orders", json=order_body(incoterm="DDP"))).json()
    assert [w["code"] for w in flagged["warnings"]] == ["incoterm_on_domestic_order"]
    abroad = order_body(incoterm="DDP")
    abroad["ship_to"] = {"name": "Jan", "address1": "Damrak 1", "city": "Amsterdam", "country": "NL"}
    assert (await tenant.client.post("/v1/orders", json=abroad)).json()["warnings"] == []
    await tenant.client.patch("/v1/organization", json={"settings": {"incoterm_strictness": "strict"}})
    strict = await tenant.client.post("/v1/orders", json=order_body(incoterm="DDP"))
    assert strict.status_code == 400
    assert strict.json()["errors"][0]["code"] == "incoterm_domestic"
    # the warnings are the server's: a PATCH of the order keeps working
    patched = await tenant.client.patch(f"/v1/orders/{flagged['id']}", json={"incoterm": None})
    assert patched.status_code == 200
    assert patched.json()["warnings"] == []
