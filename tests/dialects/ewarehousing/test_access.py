"""Login and refresh, Bearer keys and tokens, the X-Wms-Code / X-Customer-Code headers, paths
with and without their trailing slash, and the case-insensitive Expand header."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import pytest

from tests.conftest import WAREHOUSE, Tenant, order_body
from tests.dialects.ewarehousing import examples as ex
from tests.dialects.ewarehousing.conftest import headers_for
from wareflow.db import Database
from wareflow.tenants import service as tenants
from wareflow.users import service as users


async def login(raw: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await raw.post("/wms/auth/login/", json={"username": username, "password": password})


async def test_login_answers_a_token_that_works_as_bearer(raw: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await login(raw, tenant.slug, tenant.key)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "iat", "exp", "refresh_token"}
    assert body["exp"] - body["iat"] == 3600
    assert abs(body["iat"] - time.time()) < 60
    headers = {**headers_for(tenant), "authorization": f"Bearer {body['token']}"}
    assert (await raw.get("/wms/orders/", headers=headers)).status_code == 200


async def test_refresh_token_works_once(raw: httpx.AsyncClient, tenant: Tenant) -> None:
    first = (await login(raw, tenant.slug, tenant.key)).json()
    refreshed = await raw.post("/wms/auth/refresh/", json={"refresh_token": first["refresh_token"]})
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["token"] != first["token"] and second["refresh_token"] != first["refresh_token"]
    again = await raw.post("/wms/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert again.status_code == 401
    assert again.json() == {"code": 401, "message": "Invalid JWT Refresh Token"}
    headers = {**headers_for(tenant), "authorization": f"Bearer {second['token']}"}
    assert (await raw.get("/wms/orders", headers=headers)).status_code == 200
    as_bearer = {**headers_for(tenant), "authorization": f"Bearer {second['refresh_token']}"}
    assert (await raw.get("/wms/orders", headers=as_bearer)).status_code == 401  # not an access token


@pytest.mark.parametrize("case", ["wrong key", "another slug", "token as password"])
async def test_bad_credentials_are_401(
    raw: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, case: str
) -> None:
    password, username = tenant.key, tenant.slug
    if case == "wrong key":
        password = tenant.key[:-4] + "AAAA"
    elif case == "another slug":
        username = other_tenant.slug
    else:
        password = (await login(raw, tenant.slug, tenant.key)).json()["token"]
    response = await login(raw, username, password)
    assert response.status_code == 401
    assert response.json() == {"code": 401, "message": "Invalid credentials."}


async def test_login_body_is_checked(raw: httpx.AsyncClient) -> None:
    response = await raw.post("/wms/auth/login/", json={"username": "someone"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["password"]
    assert (await raw.post("/wms/auth/login/", content=b"{")).status_code == 400


async def test_operator_logs_in_for_an_organization(
    raw: httpx.AsyncClient, operator_key: str, tenant: Tenant
) -> None:
    token = (await login(raw, tenant.slug, operator_key)).json()["token"]
    headers = {"authorization": f"Bearer {token}", "x-wms-code": WAREHOUSE}
    missing = await raw.get("/wms/orders/", headers=headers)
    assert missing.status_code == 404  # an operator names the customer
    assert (
        await raw.get("/wms/orders/", headers={**headers, "x-customer-code": tenant.slug})
    ).status_code == 200


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, "JWT Token not found"),
        ("Bearer nonsense", "Invalid JWT Token"),
        ("Basic abc", "JWT Token not found"),
    ],
)
async def test_missing_or_bad_token_is_401(
    raw: httpx.AsyncClient, tenant: Tenant, authorization: str | None, message: str
) -> None:
    headers = {"x-wms-code": WAREHOUSE}
    if authorization:
        headers["authorization"] = authorization
    response = await raw.get("/wms/orders/", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"code": 401, "message": message}


async def test_wms_code_header(raw: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = headers_for(tenant)
    del headers["x-wms-code"]
    missing = await raw.get("/wms/orders/", headers=headers)
    assert (missing.status_code, missing.json()) == (
        400,
        {"code": 400, "message": "Missing 'X-Wms-Code' header"},
    )
    unknown = await raw.get("/wms/orders/", headers={**headers, "X-Wms-Code": "NOPE"})
    assert (unknown.status_code, unknown.json()) == (400, {"code": 400, "message": "Invalid WMS"})
    lower = await raw.get("/wms/orders/", headers={**headers, "x-wms-code": WAREHOUSE.lower()})
    assert lower.status_code == 200


async def test_another_customers_code_or_order_is_404(
    wms: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    response = await wms.get("/wms/orders/", headers={"x-customer-code": other_tenant.slug})
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message"}
    theirs = (await other_tenant.client.post("/v1/orders", json=order_body())).json()
    assert (await wms.get(f"/wms/orders/{theirs['id']}/")).status_code == 404
    assert (await wms.patch(f"/wms/orders/{theirs['id']}/cancel/")).status_code == 404
    assert (await wms.get("/wms/orders/not-an-id/")).status_code == 404


async def test_orders_of_another_warehouse_are_not_seen(
    wms: httpx.AsyncClient, tenant: Tenant, db: Database
) -> None:
    async with db.sessions() as session:
        if await tenants.get_warehouse(session, "AMS") is None:
            await tenants.create_warehouse(session, code="AMS", name="Amsterdam", country="NL")
            await session.commit()
    ours = (await tenant.client.post("/v1/orders", json=order_body())).json()
    assert [o["id"] for o in (await wms.get("/wms/orders/")).json()] == [ours["id"]]
    elsewhere = {"x-wms-code": "AMS"}
    assert (await wms.get("/wms/orders/", headers=elsewhere)).json() == []
    assert (await wms.get(f"/wms/orders/{ours['id']}/", headers=elsewhere)).status_code == 404


async def test_every_path_answers_with_and_without_its_slash(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders", json=ex.CREATE_REQUEST)).json()
    document = base64_pdf_document()
    doc = (await wms.post(f"/wms/orders/{order['id']}/documents", json=document)).json()
    for path in (
        "/wms/orders/",
        f"/wms/orders/{order['id']}/",
        f"/wms/orders/{order['id']}/documents/",
        f"/wms/orders/{order['id']}/documents/{doc['id']}/",
        f"/wms/documents/{doc['id']}/",
        "/wms/articles/",
        f"/wms/articles/{page_article['id']}/",
        "/wms/stock/",
    ):
        with_slash, without = await wms.get(path), await wms.get(path.rstrip("/"))
        assert with_slash.status_code == without.status_code == 200, path
        assert with_slash.json() == without.json(), path
    patched = await wms.patch(f"/wms/orders/{order['id']}", json={"note": "x"})
    assert patched.status_code == 200
    assert (await wms.patch(f"/wms/orders/{order['id']}/cancel")).status_code == 204


def base64_pdf_document() -> dict[str, Any]:
    return {"file": base64.b64encode(ex.PDF).decode(), "title": "label.pdf", "shipping_label": True}


@pytest.mark.parametrize("name", ["expand", "Expand", "EXPAND"])
async def test_expand_header_name_is_case_insensitive(
    wms: httpx.AsyncClient, page_article: dict[str, Any], name: str
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    assert "order_lines" not in order
    answer = (
        await wms.get(f"/wms/orders/{order['id']}/", headers={name: " Order_Lines , meta_data,nope"})
    ).json()
    assert [line["quantity"] for line in answer["order_lines"]] == [2]
    assert answer["meta_data"] == ex.CREATE_REQUEST["meta_data"]
    assert "shipping_address" not in answer and "documents" not in answer


async def test_unknown_paths_answer_in_the_vendor_shape(wms: httpx.AsyncClient) -> None:
    response = await wms.get("/wms/nothing-here/")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message"}


PASSWORD = "correct horse battery"


async def operator_user(db: Database, email: str) -> str:
    async with db.sessions() as session:
        await users.create_user(session, email=email, password=PASSWORD, organization_id=None)
        await session.commit()
    return email


async def test_users_log_in_with_email_and_password(
    raw: httpx.AsyncClient, tenant: Tenant, db: Database
) -> None:
    email = await operator_user(db, f"packer-{tenant.slug}@example.com")
    assert (await login(raw, email, "wrong password!")).status_code == 401
    first = (await login(raw, email.upper(), PASSWORD)).json()
    await tenant.client.post("/v1/orders", json=order_body("USR-1"))
    # an operator user names the customer with X-Customer-Code, like an operator key
    headers = {**headers_for(tenant), "authorization": f"Bearer {first['token']}"}
    listed = (await raw.get("/wms/orders/?external_reference=USR-1", headers=headers)).json()
    assert [o["external_reference"] for o in listed] == ["USR-1"]
    refreshed = (await raw.post("/wms/auth/refresh/", json={"refresh_token": first["refresh_token"]})).json()
    again = {**headers, "authorization": f"Bearer {refreshed['token']}"}
    assert (await raw.get("/wms/orders/", headers=again)).status_code == 200
    # Disabling the user ends their tokens; enabling them again does not bring those back.
    await operator_user(db, f"spare-{tenant.slug}@example.com")  # never the last operator
    async with db.sessions() as session:
        user = await users.find_user(session, email=email)
        await users.set_enabled(session, user, enabled=False)
        await session.commit()
    assert (await raw.get("/wms/orders/", headers=again)).status_code == 401
    assert (await login(raw, email, PASSWORD)).status_code == 401
    async with db.sessions() as session:
        await users.set_enabled(session, await users.find_user(session, email=email), enabled=True)
        await session.commit()
    assert (await raw.get("/wms/orders/", headers=again)).status_code == 401
    assert (await login(raw, email, PASSWORD)).status_code == 200


async def test_guessing_a_users_password_is_cut_off(
    raw: httpx.AsyncClient, tenant: Tenant, db: Database
) -> None:
    """The UI's sign-in throttle holds for the vendor login too: one limit per e-mail and address."""
    email = await operator_user(db, f"guessed-{tenant.slug}@example.com")
    for _ in range(10):
        assert (await login(raw, email, "a wrong guess")).status_code == 401
    refused = await login(raw, email, PASSWORD)
    assert refused.status_code == 429
    assert refused.json() == {
        "code": 429,
        "message": "Too many failed sign-ins with this e-mail. Try again in 15 minute(s).",
    }
