"""The UI without a browser (fast, on SQLite and PostgreSQL): sessions, CSRF, who may see what,
lifecycle actions, and that no input gives a 500."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import Tenant, order_body
from wareflow.config import Settings
from wareflow.db import Database
from wareflow.users import service as users
from wareflow.users.throttle import SignInThrottle
from wareflow.webhooks import service as webhooks
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.schemas import EndpointIn, EndpointPatch

PASSWORD = "a fine password"


async def make_user(db: Database, organization_id: uuid.UUID | None = None) -> str:
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    async with db.sessions() as session:
        await users.create_user(session, email=email, password=PASSWORD, organization_id=organization_id)
        await session.commit()
    return email


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next: str = "/ui/"
) -> httpx.Response:
    page = await client.get("/ui/sign-in")
    data = {"csrf_token": csrf_of(page.text), "email": email, "password": password, "next": next}
    return await client.post("/ui/sign-in", data=data)


@pytest.fixture
async def browser(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies, like a browser."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test") as client:
        yield client


@pytest.fixture
async def operator_ui(browser: httpx.AsyncClient, db: Database) -> httpx.AsyncClient:
    assert (await sign_in(browser, await make_user(db))).status_code == 303
    return browser


async def test_pages_ask_to_sign_in_first(browser: httpx.AsyncClient) -> None:
    answer = await browser.get("/ui/orders?status=allocated")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/sign-in?next=/ui/orders%3Fstatus%3Dallocated"
    htmx = await browser.get("/ui/orders", headers={"hx-request": "true"})
    assert htmx.headers["hx-redirect"].startswith("/ui/sign-in")


async def test_guessing_a_password_is_cut_off_after_ten_failures(
    app: object, browser: httpx.AsyncClient, db: Database
) -> None:
    email = await make_user(db)
    for _ in range(10):
        assert (await sign_in(browser, email, "a wrong guess")).status_code == 401
    # the eleventh try is refused even with the right password, and says for how long
    refused = await sign_in(browser, email.upper(), PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins with this e-mail. Try again in 15 minute(s)." in refused.text
    # another user is not affected, nor the same user signing in from another address
    assert (await sign_in(browser, await make_user(db))).status_code == 303
    elsewhere = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=elsewhere, base_url="http://wareflow.test") as other:
        assert (await sign_in(other, email)).status_code == 303


async def test_one_address_guessing_many_e_mails_is_cut_off() -> None:
    throttle = SignInThrottle("2/15 minutes", "memory://")
    for n in range(20):  # two failures for each of ten addresses: under the per-e-mail limit
        assert await throttle.wait(f"user-{n // 2}@example.com", "198.51.100.1") == (0, "")
        await throttle.failed(f"user-{n // 2}@example.com", "198.51.100.1")
    wait, why = await throttle.wait("someone-else@example.com", "198.51.100.1")
    assert wait > 0 and why == "from your address"
    assert await throttle.wait("someone-else@example.com", "198.51.100.2") == (0, "")


async def test_sign_in_cookie_csrf_and_headers(browser: httpx.AsyncClient, db: Database) -> None:
    email = await make_user(db)
    page = await browser.get("/ui/sign-in")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/ui" in cookie
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    forged = await browser.post(
        "/ui/sign-in", data={"csrf_token": "forged", "email": email, "password": PASSWORD}
    )
    assert forged.status_code == 403
    wrong = await sign_in(browser, email, "not it")
    unknown = await sign_in(browser, "nobody@example.com", "not it")
    assert wrong.status_code == unknown.status_code == 401
    message = "That e-mail and password do not match a user."
    assert message in wrong.text and message in unknown.text
    elsewhere = await sign_in(browser, email, next="//evil.example/ui/")  # never off the UI
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/ui/"
    assert (await browser.get("/ui/")).status_code == 200
    no_token = await browser.post("/ui/sign-out", data={})
    assert no_token.status_code == 403
    home = await browser.get("/ui/")
    out = await browser.post("/ui/sign-out", headers={"x-csrf-token": csrf_of(home.text)})
    assert out.status_code == 303
    assert (await browser.get("/ui/")).status_code == 303


async def test_a_changed_cookie_or_password_ends_the_session(
    browser: httpx.AsyncClient, db: Database
) -> None:
    email = await make_user(db)
    await sign_in(browser, email)
    value = browser.cookies.get("wareflow_session")
    assert value
    # Change one character of the signed payload (not its tail, whose last base64 digit may carry
    # only padding bits): the signature no longer matches.
    tampered = value[:5] + ("A" if value[5] != "A" else "B") + value[6:]
    browser.cookies.set("wareflow_session", tampered, domain="wareflow.test", path="/ui")
    assert (await browser.get("/ui/")).status_code == 303
    await sign_in(browser, email)
    assert (await browser.get("/ui/")).status_code == 200
    async with db.sessions() as session:
        await users.set_password(session, email=email, password="another password")
        await session.commit()
    assert (await browser.get("/ui/")).status_code == 303


async def test_actions_follow_the_lifecycle(operator_ui: httpx.AsyncClient, tenant: Tenant) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    url = f"/ui/orders/{tenant.slug}/{order['id']}"
    page = await operator_ui.get(url)
    assert page.status_code == 200
    buttons = re.findall(r"/actions/(\w+)", page.text)
    assert buttons == ["hold", "cancel"]  # allocated: no release, no allocate
    token = csrf_of(page.text)
    refused = await operator_ui.post(f"{url}/actions/release", data={"csrf_token": token})
    assert refused.status_code == 303
    assert "cannot release" in (await operator_ui.get(url)).text
    stale = await operator_ui.post(f"{url}/actions/cancel", data={"csrf_token": token, "version": "99"})
    assert "changed since you read it" in (await operator_ui.get(stale.headers["location"])).text
    held = await operator_ui.post(f"{url}/actions/hold", data={"csrf_token": token, "reason": "x" * 300})
    assert "255" in (await operator_ui.get(held.headers["location"])).text  # the API's own limit
    await operator_ui.post(
        f"{url}/actions/cancel", data={"csrf_token": token, "version": str(order["version"])}
    )
    assert (await tenant.client.get(f"/v1/orders/{order['id']}")).json()["status"] == "canceled"


async def test_allocate_tries_again_for_a_backorder(operator_ui: httpx.AsyncClient, tenant: Tenant) -> None:
    body = order_body(lines=[{"sku": "A-1", "quantity": 5000}])
    order = (await tenant.client.post("/v1/orders", json=body)).json()
    assert order["status"] == "backordered"
    url = f"/ui/orders/{tenant.slug}/{order['id']}"
    page = await operator_ui.get(url)
    assert re.findall(r"/actions/(\w+)", page.text) == ["allocate", "hold", "cancel"]
    tried = await operator_ui.post(f"{url}/actions/allocate", data={"csrf_token": csrf_of(page.text)})
    assert "Still not enough stock" in (await operator_ui.get(tried.headers["location"])).text


async def test_a_merchant_user_sees_only_their_organization(
    browser: httpx.AsyncClient, db: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = (await other_tenant.client.post("/v1/orders", json=order_body())).json()
    mine = (await tenant.client.post("/v1/orders", json=order_body())).json()
    await sign_in(browser, await make_user(db, tenant.organization_id))
    assert (await browser.get(f"/ui/orders/{tenant.slug}/{mine['id']}")).status_code == 200
    assert (await browser.get(f"/ui/orders/{other_tenant.slug}/{theirs['id']}")).status_code == 404
    assert (await browser.get(f"/ui/orders/{tenant.slug}/{theirs['id']}")).status_code == 404
    assert (await browser.get(f"/ui/orders?q={theirs['external_reference']}")).status_code == 200
    assert theirs["number"] not in (await browser.get(f"/ui/orders?q={theirs['external_reference']}")).text
    assert (await browser.get("/ui/pick")).status_code == 403
    page = await browser.get("/ui/stock")
    assert page.status_code == 200 and 'id="adjust-form"' not in page.text
    adjust = {
        "csrf_token": csrf_of(page.text),
        "warehouse_code": "LAW",
        "sku": "A-1",
        "quantity": "5",
        "reason": "x",
    }
    assert (await browser.post("/ui/stock/adjust", data=adjust)).status_code == 403


async def test_no_input_gives_a_500(operator_ui: httpx.AsyncClient, tenant: Tenant) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    slug, nobody = tenant.slug, uuid.uuid4()
    gets = [
        f"/ui/?org={'x' * 500}",
        "/ui/orders?cursor=%25%25%25&status=bogus&created_from=2026-13-45&warehouse=%00",
        f"/ui/orders?org={slug}&cursor=not-a-cursor",
        f"/ui/orders?q={'Z' * 5000}",
        "/ui/orders?org=nope",
        f"/ui/orders/{slug}/{nobody}",
        "/ui/orders/nope/x",
        f"/ui/stock?org={slug}&cursor=zzz&sku=NOPE&warehouse=%F0%9F%98%80",
        f"/ui/webhooks?org={slug}&cursor=bad&status=bogus",
        f"/ui/shipments/{slug}/{nobody}?packages=abc",
        f"/ui/shipments/{slug}/{nobody}/package?index=-4",
        f"/ui/pick-lists/{slug}/{nobody}",
        f"/ui/pick-lists/{slug}/{nobody}/document",
        f"/ui/documents/{slug}/{nobody}",
        "/ui/no/such/page",
        f"/ui/orders?org={slug}&warehouse=%00",
        "/ui/orders?q=%00",
        "/ui/orders/%00/x",
        f"/ui/stock?org={slug}&sku=%00",
    ]
    for path in gets:
        answer = await operator_ui.get(path)
        assert answer.status_code < 500, path
    token = csrf_of((await operator_ui.get("/ui/")).text)
    posts = [
        ("/ui/pick-lists", {"org": slug, "order_id": "not-a-uuid"}),
        ("/ui/pick-lists", {"org": slug}),
        ("/ui/pick-lists", {"org": slug, "order_id": str(nobody)}),
        (
            "/ui/stock/adjust",
            {"org": slug, "warehouse_code": "LAW", "sku": "A-1", "quantity": "1e9", "reason": "x"},
        ),
        (
            "/ui/stock/adjust",
            {"org": slug, "warehouse_code": "LAW", "sku": "A-1", "quantity": "0", "reason": "x"},
        ),
        (
            "/ui/stock/adjust",
            {"org": slug, "warehouse_code": "NOPE", "sku": "NOPE", "quantity": "-99999999", "reason": ""},
        ),
        (
            "/ui/stock/adjust",
            {"org": slug, "warehouse_code": "LAW", "sku": "A-1", "quantity": "-5000", "reason": "x"},
        ),
        (f"/ui/orders/{slug}/{order['id']}/actions/explode", {}),
        (f"/ui/orders/{slug}/{nobody}/actions/hold", {}),
        (f"/ui/shipments/{slug}/{nobody}/pack", {"packages": "abc"}),
        (
            f"/ui/shipments/{slug}/{order['shipments'][0]['id']}/pack",
            {"packages": "3", "packages.0.weight": "-1"},
        ),
        (f"/ui/shipments/{slug}/{order['shipments'][0]['id']}/ship", {"carrier_code": "x" * 500}),
        (f"/ui/pick-lists/{slug}/{nobody}/shipments/{nobody}/pick", {"qty-1": "many"}),
        (f"/ui/webhooks/{slug}/deliveries/{nobody}/retry", {}),
        (f"/ui/webhooks/{slug}/deliveries/nope/retry", {}),
        (
            "/ui/stock/adjust",
            {"org": slug, "warehouse_code": "LAW", "sku": "A\x00", "quantity": "1", "reason": "x"},
        ),
        ("/ui/sign-in", {"email": "a\x00@example.com", "password": "x"}),
    ]
    for path, data in posts:
        answer = await operator_ui.post(path, data={"csrf_token": token, **data})
        assert answer.status_code < 500, (path, data, answer.status_code)
    garbage = await operator_ui.post(
        "/ui/stock/adjust",
        content=b"--x\r\n\r\n",
        headers={"content-type": "multipart/form-data", "x-csrf-token": token},
    )
    assert garbage.status_code < 500


async def test_webhook_failures_and_sending_again(
    operator_ui: httpx.AsyncClient, db: Database, tenant: Tenant, settings: Settings
) -> None:
    # An endpoint on a closed loopback port (never another host), disabled again at the end.
    policy = DeliveryPolicy.of(settings.model_copy(update={"webhook_allowed_hosts": "127.0.0.1"}))
    async with db.sessions() as session:
        endpoint, _ = await webhooks.create_endpoint(
            session,
            organization_id=tenant.organization_id,
            data=EndpointIn(url="http://127.0.0.1:9/ui"),
            policy=policy,
        )
        delivery = await webhooks.send_test(
            session, organization_id=tenant.organization_id, endpoint_id=endpoint.id
        )
        delivery.status, delivery.next_attempt_at = "failed", None
        await session.commit()
    try:
        board = await operator_ui.get(f"/ui/?org={tenant.slug}")
        assert "webhook.test" in board.text  # a recent failure
        page = await operator_ui.get(f"/ui/webhooks?org={tenant.slug}&status=failed")
        assert "http://127.0.0.1:9/ui" in page.text and "Send again" in page.text
        again = await operator_ui.post(
            f"/ui/webhooks/{tenant.slug}/deliveries/{delivery.id}/retry",
            data={"csrf_token": csrf_of(page.text)},
        )
        assert "queued to be sent again" in (await operator_ui.get(again.headers["location"])).text
    finally:
        async with db.sessions() as session:
            await webhooks.update_endpoint(
                session,
                organization_id=tenant.organization_id,
                endpoint_id=endpoint.id,
                patch=EndpointPatch(enabled=False),
                policy=policy,
            )
            await session.commit()


async def test_operators_add_disable_and_enable_users(
    app: object, browser: httpx.AsyncClient, db: Database, tenant: Tenant
) -> None:
    operator = await make_user(db)
    await sign_in(browser, operator)
    page = await browser.get("/ui/users")
    assert page.status_code == 200 and operator in page.text
    merchant = f"shop-{uuid.uuid4().hex[:8]}@example.com"
    form = {"csrf_token": csrf_of(page.text), "email": merchant, "organization": tenant.slug}
    refused = await browser.post("/ui/users", data={**form, "password": "short", "name": "x" * 300})
    assert refused.status_code == 422
    assert "8 to 1024 characters" in refused.text and "at most 255 characters" in refused.text
    added = await browser.post("/ui/users", data={**form, "password": PASSWORD, "name": "Shop floor"})
    assert added.status_code == 303
    assert (
        f"{merchant} can sign in now (merchant user of {tenant.slug})"
        in (await browser.get("/ui/users")).text
    )

    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test") as shop:
        assert (await sign_in(shop, merchant)).status_code == 303
        assert (await shop.get("/ui/users")).status_code == 403  # the warehouse's screen
        async with db.sessions() as session:
            merchant_id = (await users.find_user(session, email=merchant)).id
            operator_id = (await users.find_user(session, email=operator)).id
        token = csrf_of((await browser.get("/ui/users")).text)
        await browser.post(f"/ui/users/{merchant_id}/disable", data={"csrf_token": token})
        assert "is disabled: their sessions have ended" in (await browser.get("/ui/users")).text
        assert (await shop.get("/ui/")).status_code == 303  # signed out at once
        assert (await sign_in(shop, merchant)).status_code == 401
        await browser.post(f"/ui/users/{merchant_id}/enable", data={"csrf_token": token})
        assert (await shop.get("/ui/")).status_code == 303  # the old session stays ended
        assert (await sign_in(shop, merchant)).status_code == 303

    itself = await browser.post(f"/ui/users/{operator_id}/disable", data={"csrf_token": token})
    assert itself.status_code == 303
    assert "You cannot disable yourself" in (await browser.get("/ui/users")).text
    assert (await browser.get("/ui/")).status_code == 200


async def test_users_change_their_own_password(app: object, browser: httpx.AsyncClient, db: Database) -> None:
    email = await make_user(db)
    await sign_in(browser, email)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test") as elsewhere:
        await sign_in(elsewhere, email)  # the same user in another browser
        page = await browser.get("/ui/account")
        assert page.status_code == 200 and email in page.text
        form = {
            "csrf_token": csrf_of(page.text),
            "password": "a brand new one",
            "repeat_password": "a brand new one",
        }
        wrong = await browser.post("/ui/account/password", data={**form, "current_password": "a guess"})
        assert wrong.status_code == 422 and "This is not your password." in wrong.text
        differ = {**form, "current_password": PASSWORD, "repeat_password": "something else"}
        mismatch = await browser.post("/ui/account/password", data=differ)
        assert mismatch.status_code == 422 and "The two new passwords differ." in mismatch.text
        changed = await browser.post("/ui/account/password", data={**form, "current_password": PASSWORD})
        assert changed.status_code == 303
        assert "Your password is changed" in (await browser.get("/ui/account")).text  # still signed in
        assert (await elsewhere.get("/ui/")).status_code == 303  # the other session has ended
        assert (await sign_in(elsewhere, email, PASSWORD)).status_code == 401
        assert (await sign_in(elsewhere, email, "a brand new one")).status_code == 303


async def test_a_merchant_user_makes_and_revokes_api_keys(
    app: object, browser: httpx.AsyncClient, db: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    await sign_in(browser, await make_user(db, tenant.organization_id))
    page = await browser.get("/ui/keys")
    assert page.status_code == 200 and "Active" in page.text  # the tenant's own key
    token = csrf_of(page.text)
    too_long = await browser.post(f"/ui/keys/{tenant.slug}", data={"csrf_token": token, "name": "x" * 256})
    assert too_long.status_code == 422 and "at most 255 characters" in too_long.text
    made = await browser.post(f"/ui/keys/{tenant.slug}", data={"csrf_token": token, "name": "Webshop"})
    assert made.status_code == 200 and "shown this once" in made.text
    key = re.search(r'<code id="made-key">([^<]+)</code>', made.text)
    assert key is not None
    assert key.group(1) not in made.headers.get("set-cookie", "")  # in the page, never in a cookie
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    headers = {"x-api-key": key.group(1)}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://wareflow.test", headers=headers
    ) as api:
        assert (await api.get("/v1/orders")).status_code == 200
        listed = (await api.get("/v1/api-keys")).json()["items"]
        made_id = next(k["id"] for k in listed if k["name"] == "Webshop")
        revoked = await browser.post(f"/ui/keys/{tenant.slug}/{made_id}/revoke", data={"csrf_token": token})
        assert "is revoked" in (await browser.get(revoked.headers["location"])).text
        assert (await api.get("/v1/orders")).status_code == 401
    assert (await browser.get(f"/ui/keys?org={other_tenant.slug}")).status_code == 404
    elsewhere = await browser.post(f"/ui/keys/{other_tenant.slug}", data={"csrf_token": token})
    assert elsewhere.status_code == 404


async def test_webhook_endpoints_are_added_and_switched_in_the_ui(
    browser: httpx.AsyncClient, db: Database, tenant: Tenant
) -> None:
    await sign_in(browser, await make_user(db, tenant.organization_id))
    page = await browser.get("/ui/webhooks")
    token = csrf_of(page.text)
    action = f"/ui/webhooks/{tenant.slug}/endpoints"
    refused = await browser.post(action, data={"csrf_token": token, "url": "http://127.0.0.1:9/hook"})
    assert refused.status_code == 422 and "http://127.0.0.1:9/hook" in refused.text  # kept in the form
    form = {
        "csrf_token": token,
        "url": "https://93.184.215.14/hooks",
        "event_types": "order.status_changed, stock.*",
    }
    added = await browser.post(action, data=form)
    assert added.status_code == 200 and "shown this once" in added.text
    secret = re.search(r'<code id="made-secret">(whsec_[^<]+)</code>', added.text)
    assert secret is not None and secret.group(1) not in added.headers.get("set-cookie", "")
    async with db.sessions() as session:
        [endpoint] = await webhooks.list_endpoints(session, organization_id=tenant.organization_id)
    assert endpoint.event_types == ["order.status_changed", "stock.*"]
    off = await browser.post(f"{action}/{endpoint.id}/disable", data={"csrf_token": token})
    assert "https://93.184.215.14/hooks is disabled." in (await browser.get(off.headers["location"])).text
    on = await browser.post(f"{action}/{endpoint.id}/enable", data={"csrf_token": token})
    assert "is enabled." in (await browser.get(on.headers["location"])).text
    await browser.post(f"{action}/{endpoint.id}/disable", data={"csrf_token": token})  # nothing to send


def test_a_session_fingerprint_does_not_depend_on_the_databases_time_zone() -> None:
    """PostgreSQL answers times in its session's zone: the same moment must sign the same way, or a
    password change in the UI would sign its own user out."""
    from wareflow.users.models import User

    noon = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    same_moment = noon.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    first, second = User(password_hash="h", updated_at=noon), User(password_hash="h", updated_at=same_moment)
    assert users.fingerprint(first) == users.fingerprint(second)


async def test_an_operator_sets_a_forgotten_password(
    app: object, browser: httpx.AsyncClient, db: Database, tenant: Tenant
) -> None:
    operator, forgetful = await make_user(db), await make_user(db, tenant.organization_id)
    await sign_in(browser, operator)
    async with db.sessions() as session:
        forgetful_id = (await users.find_user(session, email=forgetful)).id
        operator_id = (await users.find_user(session, email=operator)).id
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test") as shop:
        await sign_in(shop, forgetful)
        token = csrf_of((await browser.get("/ui/users")).text)
        short = await browser.post(
            f"/ui/users/{forgetful_id}/password", data={"csrf_token": token, "password": "x"}
        )
        assert "8 to 1024 characters" in (await browser.get(short.headers["location"])).text
        assert (await shop.get("/ui/")).status_code == 200  # nothing changed
        done = await browser.post(
            f"/ui/users/{forgetful_id}/password", data={"csrf_token": token, "password": "handed over"}
        )
        assert "has a new password" in (await browser.get(done.headers["location"])).text
        assert (await shop.get("/ui/")).status_code == 303  # their session has ended
        assert (await sign_in(shop, forgetful, "handed over")).status_code == 303
    own = await browser.post(
        f"/ui/users/{operator_id}/password", data={"csrf_token": token, "password": "new one!"}
    )
    assert "on your account page" in (await browser.get(own.headers["location"])).text
