"""The orders page's examples replayed: every request, its documented answer (ids and times
aside), and each order visible through the native API with the same data."""

from __future__ import annotations

import base64
import re
from typing import Any

import httpx

from tests.conftest import Tenant, order_body
from tests.dialects.ewarehousing import examples as ex

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def same_as_documented(answer: dict[str, Any], documented: dict[str, Any], tenant: Tenant) -> None:
    """Every documented field is there with the documented value, generated ones by shape."""
    for key, value in documented.items():
        assert key in answer, key
        if key == "customer":
            assert answer[key] == str(tenant.organization_id)
        elif key == "created_at":
            assert STAMP.match(answer[key]), answer[key]
        elif key == "reference":
            assert re.fullmatch(r"ORD\d{11}", answer[key])
        elif key == "shipping_method":
            assert answer[key] is None  # Wareflow assigns no default shipping method
        elif isinstance(value, dict) and value and key != "meta_data":  # extra keys answer null
            assert {k: answer[key].get(k) for k in value} == value, key
        elif key != "id":
            assert answer[key] == value, key


async def test_create_example(wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]) -> None:
    response = await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)
    assert response.status_code == 201, response.text
    same_as_documented(response.json(), ex.CREATE_RESPONSE, tenant)


async def test_get_example_with_every_expand_group(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.GET_ORDER_REQUEST)).json()
    pdf = base64.b64encode(ex.PDF).decode()
    added = await wms.post(
        f"/wms/orders/{order['id']}/documents/", json={"file": pdf, "title": "packing-slip.pdf"}
    )
    assert added.status_code == 201, added.text
    response = await wms.get(f"/wms/orders/{order['id']}/", headers={"expand": ex.EXPAND_ALL})
    assert response.status_code == 200
    answer = response.json()
    documented = {k: v for k, v in ex.GET_RESPONSE.items() if k not in ("order_lines", "documents")}
    same_as_documented(answer, documented, tenant)
    line = answer["order_lines"][0]
    assert line["variant"] == {"id": page_article["id"], "article_code": ex.ARTICLE, "name": ex.ARTICLE}
    assert (line["quantity"], line["description"], line["meta_data"]) == (
        7,
        "Blue T-shirt size M",
        {"gift_wrap": "true"},
    )
    assert line["serial_numbers"] == []  # none recorded until the warehouse picks (see test_translate)
    [document] = answer["documents"]
    documented_document = ex.GET_RESPONSE["documents"][0]
    assert {k: document[k] for k in documented_document if k != "id"} == {
        k: v for k, v in documented_document.items() if k != "id"
    }


async def test_list_example_is_a_bare_array(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    created = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    response = await wms.get(f"/wms/orders/{ex.LIST_QUERY}")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == created["id"]
    assert set(ex.LIST_ITEM_FIELDS) <= set(item)
    assert item["external_reference"] == "WEB-10001" and item["status"] == "created"


async def test_patch_example_replaces_lines_and_merges_meta_data(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    response = await wms.patch(f"/wms/orders/{order['id']}/", json=ex.PATCH_REQUEST)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["id"] == order["id"]
    for key in ("external_reference", "external_id", "po_number", "status", "note"):
        assert answer[key] == ex.PATCH_RESPONSE[key], key
    now = (await wms.get(f"/wms/orders/{order['id']}", headers={"Expand": "order_lines,meta_data"})).json()
    assert [(x["quantity"], x["price"]) for x in now["order_lines"]] == [(3, 2299)]
    assert now["meta_data"] == {"sales_channel": "webshop", "priority": "high"}


async def test_cancel_example_then_cancel_again(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    response = await wms.patch(f"/wms/orders/{order['id']}/cancel/")
    assert response.status_code == 204
    assert response.content == b""
    assert (await wms.get(f"/wms/orders/{order['id']}/")).json()["status"] == "cancelled"
    again = await wms.patch(f"/wms/orders/{order['id']}/cancel/")
    assert again.status_code == 400
    assert list(again.json()["errors"]) == ["status"]


async def test_document_examples(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    url = f"/wms/orders/{order['id']}/documents/"
    as_printed = await wms.post(url, json=ex.ADD_DOCUMENT_REQUEST)
    assert as_printed.status_code == 400  # Wareflow keeps no document price: refused, not dropped
    assert list(as_printed.json()["errors"]) == ["order_price"]
    placeholder = await wms.post(url, json={**ex.ADD_DOCUMENT_REQUEST, "order_price": 0})
    assert placeholder.json() == {"errors": {"file": ["file must be base64."]}}  # the page's placeholder
    body = {**ex.ADD_DOCUMENT_REQUEST, "file": base64.b64encode(ex.PDF).decode(), "order_price": 0}
    added = await wms.post(url, json={**body, "title": "customs_file.pdf"})
    assert added.status_code == 201, added.text
    document = added.json()
    assert {k: document[k] for k in ("title", "mime_type", "quantity")} == {
        k: ex.DOCUMENT_RESPONSE[k] for k in ("title", "mime_type", "quantity")
    }
    listed = (await wms.get(url)).json()
    assert [d["id"] for d in listed] == [document["id"]]
    assert set(ex.DOCUMENT_RESPONSE) <= set(listed[0])
    deprecated = await wms.get(f"{url}{document['id']}/")
    assert deprecated.status_code == 200 and deprecated.json() == document
    generic = (await wms.get(f"/wms/documents/{document['id']}")).json()
    assert base64.b64decode(generic.pop("file")) == ex.PDF
    assert generic == document


async def test_created_order_reads_the_same_through_the_native_api(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    order = (
        await wms.post("/wms/orders/", json={**ex.GET_ORDER_REQUEST, "inbound_vat_number": "GB123"})
    ).json()
    native = (await tenant.client.get(f"/v1/orders/{order['id']}")).json()
    assert native["number"] == order["reference"]
    assert (native["external_reference"], native["external_id"], native["po_number"]) == (
        "WEB-10001",
        "order-10001",
        "841612",
    )
    assert native["ship_to"] | {} == native["ship_to"]
    assert {
        k: native["ship_to"].get(k)
        for k in ("name", "street", "house_number", "postal_code", "city", "country")
    } == {
        "name": "eWarehousing Solutions",
        "street": "Nijverheidsweg",
        "house_number": "27",
        "postal_code": "3331MB",
        "city": "Zwijndrecht",
        "country": "NL",
    }
    assert (native["ship_to"]["contact_person"], native["ship_to"]["email"]) == (
        "Warehouse Team",
        "outbound@example.com",
    )
    assert (native["order_amount"], native["assured_amount"], native["currency"]) == ("45.99", "45.99", "EUR")
    assert (native["incoterm"], native["gb_vat_number"], native["language"]) == ("DAP", "GB123", "en")
    assert (native["internal_note"], native["customer_note"]) == (
        "Leave the parcel at the front desk.",
        "Gift order",
    )
    assert native["requested_delivery_date"] == "2022-02-14"
    assert native["metadata"] == {"sales_channel": "webshop", "priority": "normal"}
    [line] = native["lines"]
    assert (line["sku"], line["quantity"], line["description"]) == (ex.ARTICLE, 7, "Blue T-shirt size M")
    assert line["metadata"] == {"gift_wrap": "true"}
    assert native["status"] == "allocated" and native["warehouse_code"] == "LAW"


async def test_list_filters_sorts_and_pages(wms: httpx.AsyncClient, tenant: Tenant) -> None:
    made = []
    for n, (day, b2b) in enumerate([("2026-05-03", False), ("2026-05-01", True), ("2026-05-02", False)]):
        body = order_body(f"WEB-{n}", requested_delivery_date=day, is_b2b=b2b)
        made.append((await tenant.client.post("/v1/orders", json=body)).json())
    ids = [o["id"] for o in made]

    async def listed(query: str) -> list[str]:
        response = await wms.get(f"/wms/orders/{query}")
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()]

    assert await listed("") == ids[::-1]  # newest first
    assert await listed("?direction=asc&limit=2") == ids[:2]
    assert await listed("?direction=asc&limit=2&page=2") == ids[2:]
    assert await listed("?limit=2&page=3") == []
    assert await listed("?sort=requestedDeliveryDate&direction=asc") == [ids[1], ids[2], ids[0]]
    assert await listed(f"?reference={made[1]['number']}") == [ids[1]]
    assert await listed("?is_business_to_business=true") == [ids[1]]
    assert await listed("?is_business_to_business=false&direction=asc") == [ids[0], ids[2]]
    assert await listed("?requested_delivery_date_gte=2026-05-02&direction=asc") == [ids[0], ids[2]]
    assert await listed("?external_id=nope") == []
    assert await listed("?status=planned") == []
    assert await listed("?status=created&direction=asc") == ids
    today = made[0]["created_at"][:10]
    assert await listed(f"?from={today}&to={today}&direction=asc") == ids
    assert await listed("?to=2000-01-01") == []
    assert (await wms.get("/wms/orders/?limit=1", headers={"expand": "order_lines"})).json()[0]["order_lines"]
