"""Each documented rule with a failing example, and auth, in Logistics Plus' error shape."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.logisticsplus import examples as ex
from tests.dialects.logisticsplus.test_contract import BASE, lp  # noqa: F401 (fixture)


def errors_of(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["data"] == {} and body["resource"] == [] and body["id"]
    for error in body["errors"]:
        assert set(error) == {"id", "status", "code", "title", "detail", "source"}
        assert error["status"] == str(status)
    return body["errors"]  # type: ignore[no-any-return]


def pointers(response: httpx.Response, status: int = 400) -> list[str]:
    return [e["source"]["pointer"] for e in errors_of(response, status)]


def with_(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(ex.B2C)
    node: Any = body
    for part in path[:-1]:
        node = node[part]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "pointer"),
    [
        (("primaryReference",), KeyError, "/primaryReference"),
        (("warehouseCode",), KeyError, "/warehouseCode"),
        (("warehouseCode",), "XXX", "/warehouseCode"),
        (("shipToAddress",), KeyError, "/shipToAddress"),
        (("shipToAddress", "address", "country"), "Atlantis", "/shipToAddress/address/country"),
        (("shipToAddress", "address", "state"), "ZZ", "/shipToAddress/address/state"),
        (("shipToAddress", "contact", "emailAddress"), "not-an-email", "/shipToAddress/contact/emailAddress"),
        (("orderLines",), [], "/orderLines"),
        (("orderLines", 0, "quantity"), 1.5, "/orderLines/0/quantity"),
        (("orderLines", 0, "quantity"), 0, "/orderLines/0/quantity"),
        (("orderLines", 0, "productCode"), "NO-SUCH-SKU", "/orderLines/0/productCode"),
        (("requiredShipDate",), "someday", "/requiredShipDate"),
        (("additionalReferences",), [{"value": "x"}], "/additionalReferences/0/key"),
    ],
)
async def test_broken_fields_are_400_with_a_pointer(
    lp: httpx.AsyncClient,  # noqa: F811
    path: tuple[Any, ...],
    value: Any,
    pointer: str,
) -> None:
    response = await lp.post(f"{BASE}/orders", json=with_(path, value))
    assert pointer in pointers(response), response.text


async def test_a_primary_reference_is_used_once(lp: httpx.AsyncClient) -> None:  # noqa: F811
    assert (await lp.post(f"{BASE}/orders", json=ex.B2C)).status_code == 200
    [error] = errors_of(await lp.post(f"{BASE}/orders", json=ex.B2C), 400)
    assert error["code"] == "duplicate_reference"


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b'{"orderLines": {}}', b"\xff"])
async def test_malformed_bodies_answer_in_the_error_shape(lp: httpx.AsyncClient, raw: bytes) -> None:  # noqa: F811
    response = await lp.post(f"{BASE}/orders", content=raw, headers={"content-type": "application/json"})
    errors_of(response, 400)


async def test_unknown_order_is_404(lp: httpx.AsyncClient) -> None:  # noqa: F811
    errors_of(await lp.get(f"{BASE}/orders/not-an-id"), 404)
    errors_of(await lp.get(f"{BASE}/order/00000000-0000-0000-0000-000000000000"), 404)
    errors_of(await lp.patch(f"{BASE}/orders/00000000-0000-0000-0000-000000000000", json=ex.B2C), 404)


async def test_body_over_the_limit_is_413(lp: httpx.AsyncClient) -> None:  # noqa: F811
    declared = await lp.post(f"{BASE}/orders", json={**ex.B2C, "note": "x" * 100_000})
    assert declared.status_code == 413  # refused by the server before any route reads it

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b" " * 1024

    streamed = await lp.post(f"{BASE}/orders", content=chunks(), headers={"content-type": "application/json"})
    errors_of(streamed, 413)


async def test_auth(
    anonymous: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, operator_key: str
) -> None:
    url = f"{BASE}/orders"
    errors_of(await anonymous.get(url), 401)
    errors_of(await anonymous.get(url, headers={"x-api-key": "wrong"}), 401)
    own = {"x-api-key": tenant.key}
    assert (await anonymous.get(url, headers=own)).status_code == 200
    assert (await anonymous.get(url, headers=own | {"organization-slug": tenant.slug})).status_code == 200
    errors_of(await anonymous.get(url, headers=own | {"organization-slug": other_tenant.slug}), 401)
    errors_of(await anonymous.get(url, headers=own | {"organization-slug": "no-such-org"}), 401)
    ops = {"x-api-key": operator_key}
    errors_of(await anonymous.get(url, headers=ops), 401)
    assert (await anonymous.get(url, headers=ops | {"organization-slug": tenant.slug})).status_code == 200
    errors_of(await anonymous.get(url, headers=ops | {"organization-slug": "no-such-org"}), 401)


async def test_orders_of_another_organization_are_not_found(
    lp: httpx.AsyncClient,  # noqa: F811
    other_tenant: Tenant,
    anonymous: httpx.AsyncClient,
) -> None:
    created = (await lp.post(f"{BASE}/orders", json=ex.B2C)).json()["data"]
    response = await other_tenant.client.get(
        f"{BASE}/orders/{created['id']}", headers={"x-api-key": other_tenant.key}
    )
    errors_of(response, 404)
