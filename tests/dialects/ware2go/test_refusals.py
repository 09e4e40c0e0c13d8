"""Each rule Ware2Go documents, with a failing example: 400 with the field named as sent. And
no input, however malformed, gets a 500."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, make_tenant
from tests.dialects.ware2go import examples as ex
from wareflow.db import Database


def body(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(ex.REQUEST)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


REFUSED = [
    (body(referenceId=...), "referenceId"),
    (body(referenceId=""), "referenceId"),
    (body(referenceId="R" * 31), "referenceId"),
    (body(referenceId="ZX 1057"), "referenceId"),
    (body(referenceId="ZX#1057"), "referenceId"),
    (body(companyName=...), "companyName"),
    (body(companyName="C" * 251), "companyName"),
    (body(skuQuantities=...), "skuQuantities"),
    (body(skuQuantities=[]), "skuQuantities"),
    (body(skuQuantities=[{"unitQuantity": 1}]), "skuQuantities[0].skuId"),
    (body(skuQuantities=[{"skuId": "WARE2GOBC2"}]), "skuQuantities[0].unitQuantity"),
    (body(skuQuantities=[{"skuId": "WARE2GOBC2", "unitQuantity": 0}]), "skuQuantities[0].unitQuantity"),
    (body(skuQuantities=[{"skuId": "NOPE", "unitQuantity": 1}]), "skuQuantities[0].skuId"),
    (
        body(skuQuantities=[{"skuId": "WARE2GOBC2", "unitQuantity": 1, "proofOfDelivery": "Maybe"}]),
        "skuQuantities[0].proofOfDelivery",
    ),
    (body(phoneNumber="5" * 26), "phoneNumber"),
    (body(country="CA", state="ON", zipCode="K1A 0B1"), "phoneNumber"),  # international
    (body(state="PR", zipCode="00901"), "phoneNumber"),  # a US territory
    (body(buyerEmail="x" * 95 + "@a.com"), "buyerEmail"),
    (body(buyerEmail="not-an-email"), "buyerEmail"),
    (body(address1=...), "address1"),
    (body(city=...), "city"),
    (body(country=...), "country"),
    (body(country="Narnia"), "country"),
    (body(zipCode=...), "zipCode"),
    (body(state="Nowhere"), "state"),
    (body(orderId="OA3-X"), "orderId"),
    (body(status="SHIPPED"), "status"),
    (body(giftMessage="hi"), "giftMessage"),
]


@pytest.mark.parametrize(("payload", "field"), REFUSED)
async def test_refusals_name_the_field(
    w2g: httpx.AsyncClient, page_skus: None, payload: dict[str, Any], field: str
) -> None:
    response = await w2g.post("/orders", json=payload)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["status"] == 400 and "meta" in answer
    assert field in [e["field"] for e in answer["errors"]], answer["errors"]


async def test_unknown_skus_are_refused_whatever_the_policy(
    w2g: httpx.AsyncClient, tenant: Tenant, page_skus: None
) -> None:
    await tenant.client.patch("/v1/organization", json={"settings": {"unknown_sku_policy": "accept"}})
    payload = body(
        skuQuantities=[{"skuId": "WARE2GOBC2", "unitQuantity": 1}, {"skuId": "LATER", "unitQuantity": 1}]
    )
    response = await w2g.post("/orders", json=payload)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["skuQuantities[1].skuId"]


async def test_phone_given_abroad_and_no_zip_where_there_is_none(
    w2g: httpx.AsyncClient, page_skus: None
) -> None:
    abroad = body(country="CA", state="ON", zipCode="K1A 0B1", phoneNumber="613-555-0199")
    assert (await w2g.post("/orders", json=abroad)).status_code == 201
    hong_kong = body(referenceId="HK-1", country="HK", state=..., zipCode=..., phoneNumber="+852 2123 4567")
    created = await w2g.post("/orders", json=hong_kong)
    assert created.status_code == 201, created.text
    assert created.json()["country"] == "HKG"


async def test_duplicate_reference_is_409(w2g: httpx.AsyncClient, page_skus: None) -> None:
    assert (await w2g.post("/orders", json=ex.REQUEST)).status_code == 201
    again = await w2g.post("/orders", json=ex.REQUEST)
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "duplicate_reference"


async def test_a_merchant_without_default_warehouse(app: object, db: Database) -> None:
    lonely = await make_tenant(app, db, default_warehouse=False)
    try:
        response = await lonely.client.post(
            "/compat/ware2go/orders", json=body(skuQuantities=[{"skuId": "A-1", "unitQuantity": 1}])
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "merchantId"
    finally:
        await lonely.client.aclose()


MALFORMED = [b"", b"{", b"[]", b"null", b'"x"', b"[" * 3000 + b"]" * 3000, b'{"referenceId": "\xff"}']


@pytest.mark.parametrize("raw", MALFORMED)
async def test_malformed_bodies_get_a_400(w2g: httpx.AsyncClient, raw: bytes) -> None:
    response = await w2g.post("/orders", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["status"] == 400


async def test_streamed_body_over_the_limit_is_413(w2g: httpx.AsyncClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b" " * 1024

    response = await w2g.post("/orders", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["status"] == 413
