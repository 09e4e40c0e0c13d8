"""API keys through the API: a merchant rotates its own key (make a new one, revoke the old one
with it) without the warehouse's help; nothing of a key is shown again after its creation."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant


def _client(base: httpx.AsyncClient, key: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=base._transport, base_url=base.base_url, headers={"x-api-key": key})


async def test_a_merchant_rotates_its_key(tenant: Tenant) -> None:
    listed = (await tenant.client.get("/v1/api-keys")).json()["items"]
    [old] = listed
    assert tenant.key.startswith(old["prefix"] + "_") and old["role"] == "merchant"
    assert set(old) == {"id", "name", "prefix", "role", "created_at", "revoked_at"}  # no key, no hash

    made = await tenant.client.post("/v1/api-keys", json={"name": "  ERP connector "})
    assert made.status_code == 201, made.text
    new = made.json()
    assert made.headers["location"] == f"/v1/api-keys/{new['id']}"
    assert new["name"] == "ERP connector" and new["key"].startswith(new["prefix"] + "_")
    async with _client(tenant.client, new["key"]) as rotated:
        assert (await rotated.get("/v1/orders")).status_code == 200
        itself = await rotated.delete(f"/v1/api-keys/{new['id']}")
        assert itself.status_code == 409 and "cannot revoke itself" in itself.json()["detail"]
        assert (await rotated.delete(f"/v1/api-keys/{old['id']}")).status_code == 204
        assert (await rotated.delete(f"/v1/api-keys/{old['id']}")).status_code == 204  # twice: the same
        assert (await tenant.client.get("/v1/orders")).status_code == 401  # the old key, at once
        keys = {k["id"]: k for k in (await rotated.get("/v1/api-keys")).json()["items"]}
    assert list(keys) == [new["id"], old["id"]]  # newest first
    assert keys[old["id"]]["revoked_at"] is not None and "key" not in keys[new["id"]]


async def test_refusals(tenant: Tenant) -> None:
    long_name = await tenant.client.post("/v1/api-keys", json={"name": "x" * 256})
    assert long_name.status_code == 422
    assert [e["pointer"] for e in long_name.json()["errors"]] == ["/name"]
    unknown = await tenant.client.delete("/v1/api-keys/01900000-0000-7000-8000-000000000000")
    assert unknown.status_code == 404
    malformed = await tenant.client.delete("/v1/api-keys/not-an-id")
    assert malformed.status_code == 400 and malformed.json()["errors"][0]["pointer"] == "/path/key_id"


async def test_an_operator_manages_an_organizations_keys(
    operator: httpx.AsyncClient, tenant: Tenant, operator_key: str
) -> None:
    made = (await operator.post("/v1/api-keys", json={})).json()
    assert made["role"] == "merchant" and made["key"].startswith("wf_m_")
    listed = [k["id"] for k in (await operator.get("/v1/api-keys")).json()["items"]]
    assert made["id"] in listed and len(listed) == 2  # the organization's: operator keys are not among them
    assert (await operator.delete(f"/v1/api-keys/{made['id']}")).status_code == 204
    async with _client(tenant.client, made["key"]) as revoked:
        assert (await revoked.get("/v1/orders")).status_code == 401
