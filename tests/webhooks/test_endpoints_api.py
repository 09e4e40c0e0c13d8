"""The endpoints API: register, read, change, remove; secrets shown once; tenant isolation."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Tenant
from tests.webhooks.conftest import endpoint

PUBLIC = "https://93.184.215.14/hooks"  # a public address: no DNS needed


async def test_create_answers_the_secret_once(tenant: Tenant) -> None:
    response = await tenant.client.post(
        "/v1/webhook-endpoints",
        json={"url": PUBLIC, "event_types": ["order.created"], "description": "ERP"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert response.headers["location"] == f"/v1/webhook-endpoints/{created['id']}"
    assert created["enabled"] is True
    assert created["event_types"] == ["order.created"]
    fetched = (await tenant.client.get(f"/v1/webhook-endpoints/{created['id']}")).json()
    assert "secret" not in fetched
    assert fetched == {k: v for k, v in created.items() if k != "secret"}
    listed = (await tenant.client.get("/v1/webhook-endpoints")).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]]
    assert all("secret" not in e for e in listed["items"])


async def test_event_types_left_out_means_every_event(tenant: Tenant) -> None:
    created = await endpoint(tenant, PUBLIC)
    assert created["event_types"] is None


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        ({}, "/url", "missing"),
        ({"url": PUBLIC, "event_types": []}, "/event_types", "too_short"),
        ({"url": PUBLIC, "event_types": ["Order Created"]}, "/event_types/0", "string_pattern_mismatch"),
        ({"url": PUBLIC, "enabled": "yes"}, "/enabled", "bool_type"),
        ({"url": PUBLIC, "secret": "whsec_mine"}, "/secret", "unknown_field"),
        ({"url": "not a url"}, "/url", "invalid_url"),
        ({"url": "ftp://93.184.215.14/x"}, "/url", "invalid_url"),
    ],
)
async def test_invalid_bodies_answer_field_errors(
    tenant: Tenant, body: dict, pointer: str, code: str
) -> None:  # type: ignore[type-arg]
    response = await tenant.client.post("/v1/webhook-endpoints", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (pointer, code) in {(e["pointer"], e["code"]) for e in response.json()["errors"]}


async def test_patch_changes_fields_and_disabling_is_recorded(tenant: Tenant) -> None:
    created = await endpoint(tenant, PUBLIC, event_types=["order.created"])
    url = f"/v1/webhook-endpoints/{created['id']}"
    patched = await tenant.client.patch(url, json={"event_types": None, "enabled": False, "description": "x"})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["event_types"] is None
    assert body["enabled"] is False
    assert body["disabled_reason"] == "disabled"
    assert body["disabled_at"] is not None
    enabled = (await tenant.client.patch(url, json={"enabled": True})).json()
    assert enabled["enabled"] is True
    assert enabled["disabled_reason"] is None
    assert enabled["description"] == "x"


async def test_patch_refuses_null_url_and_bad_urls(tenant: Tenant) -> None:
    created = await endpoint(tenant, PUBLIC)
    url = f"/v1/webhook-endpoints/{created['id']}"
    null = await tenant.client.patch(url, json={"url": None, "enabled": None})
    assert null.status_code == 422
    assert {e["pointer"] for e in null.json()["errors"]} == {"/url", "/enabled"}
    private = await tenant.client.patch(url, json={"url": "https://10.0.0.5/hooks"})
    assert private.status_code == 422
    assert private.json()["errors"][0]["pointer"] == "/url"


async def test_delete_removes_the_endpoint(tenant: Tenant) -> None:
    created = await endpoint(tenant, PUBLIC)
    url = f"/v1/webhook-endpoints/{created['id']}"
    assert (await tenant.client.delete(url)).status_code == 204
    assert (await tenant.client.get(url)).status_code == 404
    assert (await tenant.client.delete(url)).status_code == 404


async def test_rotation_answers_a_new_secret_and_the_grace_period(tenant: Tenant) -> None:
    created = await endpoint(tenant, PUBLIC)
    rotated = await tenant.client.post(f"/v1/webhook-endpoints/{created['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    body = rotated.json()
    assert body["secret"].startswith("whsec_")
    assert body["secret"] != created["secret"]
    assert body["previous_secret_expires_at"] > body["updated_at"]


async def test_create_is_idempotent_with_a_key(tenant: Tenant) -> None:
    headers = {"idempotency-key": f"hook-{uuid.uuid4()}"}
    first = await tenant.client.post("/v1/webhook-endpoints", json={"url": PUBLIC}, headers=headers)
    again = await tenant.client.post("/v1/webhook-endpoints", json={"url": PUBLIC}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert len((await tenant.client.get("/v1/webhook-endpoints")).json()["items"]) == 1


async def test_another_organizations_ids_answer_404(tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = await endpoint(other_tenant, PUBLIC)
    ping = await other_tenant.client.post(f"/v1/webhook-endpoints/{theirs['id']}/test")
    assert ping.status_code == 202, ping.text
    base = f"/v1/webhook-endpoints/{theirs['id']}"
    for method, url in [
        ("GET", base),
        ("PATCH", base),
        ("DELETE", base),
        ("POST", f"{base}/rotate-secret"),
        ("POST", f"{base}/test"),
        ("GET", f"/v1/webhook-deliveries/{ping.json()['id']}"),
        ("POST", f"/v1/webhook-deliveries/{ping.json()['id']}/retry"),
    ]:
        response = await tenant.client.request(method, url, json={} if method == "PATCH" else None)
        assert response.status_code == 404, (method, url, response.text)
    assert (await tenant.client.get("/v1/webhook-endpoints")).json()["items"] == []
    mine = (await tenant.client.get("/v1/webhook-deliveries")).json()
    assert mine["items"] == []
    filtered = await tenant.client.get("/v1/webhook-deliveries", params={"endpoint_id": theirs["id"]})
    assert filtered.json()["items"] == []


async def test_operators_act_for_a_named_organization(tenant: Tenant, anonymous, operator_key: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"authorization": f"Bearer {operator_key}", "organization-slug": tenant.slug}
    created = await anonymous.post("/v1/webhook-endpoints", json={"url": PUBLIC}, headers=headers)
    assert created.status_code == 201, created.text
    listed = (await tenant.client.get("/v1/webhook-endpoints")).json()["items"]
    assert [e["id"] for e in listed] == [created.json()["id"]]


async def test_anonymous_callers_are_refused(anonymous) -> None:  # type: ignore[no-untyped-def]
    assert (await anonymous.get("/v1/webhook-endpoints")).status_code == 401
    assert (await anonymous.get("/v1/webhook-deliveries")).status_code == 401


async def test_bad_query_parameters_answer_400_with_pointers(tenant: Tenant) -> None:
    for params, pointer in [
        ({"status": "lost"}, "/query/status"),
        ({"endpoint_id": "nope"}, "/query/endpoint_id"),
        ({"limit": "0"}, "/query/limit"),
    ]:
        response = await tenant.client.get("/v1/webhook-deliveries", params=params)
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["pointer"] == pointer
    bad_cursor = await tenant.client.get("/v1/webhook-deliveries", params={"cursor": "zzz"})
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["pointer"] == "/query/cursor"
    assert (await tenant.client.get("/v1/webhook-endpoints/not-a-uuid")).status_code == 400
    malformed = await tenant.client.post(
        "/v1/webhook-endpoints", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
