"""API keys, roles and tenant isolation."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant, order_body


async def test_missing_or_wrong_key_is_401(anonymous: httpx.AsyncClient, tenant: Tenant) -> None:
    assert (await anonymous.get("/v1/orders")).status_code == 401
    wrong = tenant.key[:-4] + "AAAA"
    assert (await anonymous.get("/v1/orders", headers={"x-api-key": wrong})).status_code == 401
    response = await anonymous.get("/v1/orders", headers={"authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_key_accepted_as_x_api_key(anonymous: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await anonymous.get("/v1/orders", headers={"x-api-key": tenant.key})
    assert response.status_code == 200


async def test_other_organizations_order_is_404_like_a_missing_one(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    missing = await other_tenant.client.get("/v1/orders/00000000-0000-7000-8000-000000000000")
    for method, path in [
        ("GET", f"/v1/orders/{order['id']}"),
        ("PATCH", f"/v1/orders/{order['id']}"),
        ("POST", f"/v1/orders/{order['id']}/cancel"),
        ("POST", f"/v1/orders/{order['id']}/hold"),
        ("POST", f"/v1/orders/{order['id']}/release"),
        ("GET", f"/v1/orders/{order['id']}/events"),
    ]:
        kwargs = {"json": {"customer_note": "x"}} if method == "PATCH" else {}
        response = await other_tenant.client.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 404, (method, path)
        assert response.json()["detail"] == missing.json()["detail"]
    assert (await other_tenant.client.get("/v1/orders")).json()["items"] == []
    feed = (await other_tenant.client.get("/v1/events?limit=1000")).json()["items"]
    assert feed  # its own stock events are there…
    assert all(e["order_id"] != order["id"] for e in feed)  # …but nothing of the other's order
    assert (await tenant.client.get(f"/v1/orders/{order['id']}")).json()["status"] == "allocated"


async def test_operator_acts_for_the_named_organization(
    anonymous: httpx.AsyncClient, operator_key: str, tenant: Tenant, other_tenant: Tenant
) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    headers = {"x-api-key": operator_key}
    assert (await anonymous.get("/v1/orders", headers=headers)).status_code == 422
    as_tenant = {**headers, "organization-slug": tenant.slug}
    listed = (await anonymous.get("/v1/orders", headers=as_tenant)).json()
    assert [o["id"] for o in listed["items"]] == [order["id"]]
    as_other = {**headers, "organization-slug": other_tenant.slug}
    assert (await anonymous.get(f"/v1/orders/{order['id']}", headers=as_other)).status_code == 404
    unknown = {**headers, "organization-slug": "no-such-org"}
    assert (await anonymous.get("/v1/orders", headers=unknown)).status_code == 404


async def test_merchant_key_ignores_organization_slug(tenant: Tenant, other_tenant: Tenant) -> None:
    await other_tenant.client.post("/v1/orders", json=order_body())
    response = await tenant.client.get("/v1/orders", headers={"organization-slug": other_tenant.slug})
    assert response.json()["items"] == []
