"""The Ware2Go page's examples replayed, its auth (Basic, Bearer, the token call), its answers
as the order moves, and each order visible through the native API with the same data."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, order_body
from tests.dialects.ware2go import examples as ex
from tests.dialects.ware2go.conftest import basic

TOKEN_PATH = "/auth/realms/ware2go/protocol/openid-connect/token"


def check_meta(meta: dict[str, Any]) -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", meta["dateTime"])
    assert meta["traceId"].isdigit()
    assert (meta["serviceName"], meta["version"]) == ("openapi", "1.0.0")


def same_as_documented(answer: dict[str, Any], documented: dict[str, Any]) -> None:
    """Every documented field with its documented value; ``orderId`` and ``meta`` by shape."""
    assert set(answer) == set(documented)
    check_meta(answer["meta"])
    assert {k: v for k, v in answer.items() if k not in ("orderId", "meta")} == {
        k: v for k, v in documented.items() if k not in ("orderId", "meta")
    }


async def test_request_example_creates_a_draft(
    w2g: httpx.AsyncClient, tenant: Tenant, page_skus: None
) -> None:
    response = await w2g.post(f"/v1/merchants/{tenant.slug}/orders", json=ex.REQUEST)
    assert response.status_code == 201, response.text
    answer = response.json()
    expected = {
        **ex.REQUEST,
        "orderId": answer["orderId"],
        "country": "USA",
        "buyerEmail": None,
        "phoneNumber": None,
        "purchaseOrderNumber": None,
        "skuQuantities": [
            {
                "skuId": "WARE2GOBC2",
                "unitQuantity": 1,
                "skuName": None,
                "upc": None,
                "proofOfDelivery": "No",
                "insuranceRequired": None,
            }
        ],
        "status": "DRAFT",
        "meta": answer["meta"],
    }
    assert answer == expected
    check_meta(answer["meta"])


async def test_response_example_is_what_its_order_answers(
    w2g: httpx.AsyncClient, tenant: Tenant, page_skus: None
) -> None:
    created = await w2g.post(f"/v1/merchants/{tenant.slug}/orders", json=ex.RESPONSE_REQUEST)
    assert created.status_code == 201, created.text
    same_as_documented(created.json(), ex.RESPONSE)
    order_id = created.json()["orderId"]
    got = await w2g.get(f"/v1/merchants/{tenant.slug}/orders/{order_id}")
    assert got.status_code == 200
    same_as_documented(got.json(), ex.RESPONSE)


async def test_the_pages_short_paths(w2g: httpx.AsyncClient, page_skus: None) -> None:
    created = await w2g.post("/orders", json=ex.REQUEST)
    assert created.status_code == 201
    got = await w2g.get(f"/orders/{created.json()['orderId']}")
    assert got.status_code == 200 and got.json()["referenceId"] == "ZX-1057"


async def test_created_order_reads_the_same_through_the_native_api(
    w2g: httpx.AsyncClient, tenant: Tenant, page_skus: None
) -> None:
    body = {
        **ex.REQUEST,
        "buyerEmail": "john@example.com",
        "phoneNumber": "916-555-0134",
        "purchaseOrderNumber": "PO-77",
        "skuQuantities": [
            {
                "skuId": "WARE2GOBC2",
                "unitQuantity": 2,
                "skuName": "Bottle",
                "upc": "036000291452",
                "proofOfDelivery": "Yes",
            }
        ],
    }
    answer = (await w2g.post("/orders", json=body)).json()
    native = (await tenant.client.get(f"/v1/orders/{answer['orderId']}")).json()
    assert (native["external_reference"], native["po_number"], native["shipping_method"]) == (
        "ZX-1057",
        "PO-77",
        "ECONOMY",
    )
    assert native["ship_to"] | {} == native["ship_to"]
    assert {
        k: native["ship_to"].get(k)
        for k in ("name", "address1", "city", "state", "postal_code", "country", "email")
    } == {
        "name": "John Doe",
        "address1": "6805 Kettering Circle",
        "city": "Fair Oaks",
        "state": "CA",
        "postal_code": "95628",
        "country": "US",
        "email": "john@example.com",
    }
    [line] = native["lines"]
    assert (line["sku"], line["quantity"], line["description"]) == ("WARE2GOBC2", 2, "Bottle")
    assert line["metadata"] == {"ware2go-upc": "036000291452", "ware2go-proof-of-delivery": "Yes"}
    assert native["warehouse_code"] == "LAW" and native["status"] == "allocated"
    assert answer["skuQuantities"][0]["proofOfDelivery"] == "Yes"
    assert answer["phoneNumber"] == native["ship_to"]["phone"]  # E.164 when the number is valid


async def test_a_native_order_reads_in_ware2go_words(w2g: httpx.AsyncClient, tenant: Tenant) -> None:
    native = (await tenant.client.post("/v1/orders", json=order_body("WEB-1"))).json()
    answer = (await w2g.get(f"/orders/{native['id']}")).json()
    assert (answer["referenceId"], answer["companyName"], answer["country"], answer["status"]) == (
        "WEB-1",
        "John Smith",
        "USA",
        "DRAFT",
    )
    assert answer["skuQuantities"][0] == {
        "skuId": "HP-SPX360",
        "unitQuantity": 1,
        "skuName": "Laptop",
        "upc": None,
        "proofOfDelivery": "No",
        "insuranceRequired": None,
    }


async def test_status_follows_the_order(w2g: httpx.AsyncClient, tenant: Tenant, page_skus: None) -> None:
    order_id = (await w2g.post("/orders", json=ex.REQUEST)).json()["orderId"]
    await tenant.client.post(f"/v1/orders/{order_id}/hold")
    assert (await w2g.get(f"/orders/{order_id}")).json()["status"] == "ON_HOLD"
    await tenant.client.post(f"/v1/orders/{order_id}/cancel")
    assert (await w2g.get(f"/orders/{order_id}")).json()["status"] == "CANCELED"
    short = {
        **ex.REQUEST,
        "referenceId": "ZX-1058",
        "skuQuantities": [{"skuId": "WILSON1", "unitQuantity": 11}],
    }
    assert (await w2g.post("/orders", json=short)).json()["status"] == "BACKORDERED"


# --- auth --------------------------------------------------------------------------------------


async def test_basic_with_any_user_or_bearer_key(raw: httpx.AsyncClient, tenant: Tenant) -> None:
    native = (await tenant.client.post("/v1/orders", json=order_body())).json()
    for authorization in (basic("anyone", tenant.key), basic("", tenant.key), f"Bearer {tenant.key}"):
        response = await raw.get(f"/orders/{native['id']}", headers={"authorization": authorization})
        assert response.status_code == 200, authorization


@pytest.mark.parametrize("authorization", [None, "Basic !!!", "Bearer nonsense", "Basic " + "dXNlcg=="])
async def test_missing_or_wrong_credentials_are_401(
    raw: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {"authorization": authorization} if authorization else {}
    response = await raw.post("/orders", json=ex.REQUEST, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    body = response.json()
    assert body["status"] == 401 and body["message"] and "meta" in body


async def test_token_call_gives_a_bearer_token(
    raw: httpx.AsyncClient, tenant: Tenant, page_skus: None
) -> None:
    form = {"grant_type": "client_credentials", "client_id": "my-integration", "client_secret": tenant.key}
    response = await raw.post(TOKEN_PATH, data=form)
    assert response.status_code == 200
    token = response.json()
    assert {k: token[k] for k in ("expires_in", "refresh_expires_in", "token_type")} == {
        "expires_in": 1800,
        "refresh_expires_in": 0,
        "token_type": "Bearer",
    }
    assert token["scope"] and token["access_token"] != tenant.key
    created = await raw.post(
        "/orders", json=ex.REQUEST, headers={"authorization": f"Bearer {token['access_token']}"}
    )
    assert created.status_code == 201
    as_basic = await raw.post(
        TOKEN_PATH,
        data={"grant_type": "client_credentials"},
        headers={"authorization": basic("my-integration", tenant.key)},
    )
    assert as_basic.status_code == 200


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_id": "x", "client_secret": "KEY"}, 400, "invalid_request"),
        ({"grant_type": "password", "client_id": "x", "client_secret": "KEY"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "client_secret": "KEY"}, 400, "invalid_request"),
        (
            {"grant_type": "client_credentials", "client_id": "x", "client_secret": "wf_m_nope"},
            401,
            "unauthorized_client",
        ),
        ({"grant_type": "client_credentials", "client_id": "x"}, 401, "unauthorized_client"),
    ],
)
async def test_token_call_refusals(
    raw: httpx.AsyncClient, tenant: Tenant, form: dict[str, str], status: int, error: str
) -> None:
    form = {k: (tenant.key if v == "KEY" else v) for k, v in form.items()}
    response = await raw.post(TOKEN_PATH, data=form)
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["error_description"]


async def test_another_merchant_or_its_order_is_404(
    w2g: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, page_skus: None
) -> None:
    response = await w2g.post(f"/v1/merchants/{other_tenant.slug}/orders", json=ex.REQUEST)
    assert response.status_code == 404
    assert response.json()["status"] == 404
    theirs = (await other_tenant.client.post("/v1/orders", json=order_body())).json()
    assert (await w2g.get(f"/orders/{theirs['id']}")).status_code == 404
    assert (await w2g.get(f"/v1/merchants/{tenant.slug}/orders/{theirs['id']}")).status_code == 404
    assert (await w2g.get("/orders/not-an-id")).status_code == 404
    assert (await w2g.get("/nothing/here")).json()["status"] == 404


async def test_idempotency_key_replays_the_answer(w2g: httpx.AsyncClient, page_skus: None) -> None:
    headers = {"idempotency-key": "w2g-1"}
    first = await w2g.post("/orders", json=ex.REQUEST, headers=headers)
    again = await w2g.post("/orders", json=ex.REQUEST, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
