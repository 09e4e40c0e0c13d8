"""SSRF: webhook URLs never reach the warehouse's own network, at registration or at delivery."""

from __future__ import annotations

import ipaddress
import uuid

import pytest

from tests.conftest import Tenant, order_body
from tests.webhooks.conftest import deliveries, drive, endpoint
from tests.webhooks.receiver import Receiver
from wareflow.config import Settings
from wareflow.db import utcnow
from wareflow.webhooks import ssrf
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.sender import Outgoing, send
from wareflow.webhooks.ssrf import UrlRefused, check_target, check_url, refusal


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://93.184.215.14/hooks", "https_required"),
        ("https://127.0.0.2/hooks", "forbidden_address"),  # 127.0.0.1 itself is listed in these tests
        ("https://localhost/hooks", "forbidden_address"),
        ("https://2130706433/hooks", "forbidden_address"),  # 127.0.0.1 as one number
        ("https://[::1]/hooks", "forbidden_address"),
        ("https://[::ffff:127.0.0.1]/hooks", "forbidden_address"),
        ("https://10.1.2.3/hooks", "forbidden_address"),
        ("https://172.16.0.1/hooks", "forbidden_address"),
        ("https://192.168.1.10/hooks", "forbidden_address"),
        ("https://169.254.169.254/latest/meta-data", "forbidden_address"),
        ("https://[fd00:ec2::254]/", "forbidden_address"),
        ("https://100.100.100.200/", "forbidden_address"),
        ("https://0.0.0.0/", "forbidden_address"),
        ("https://[fe80::1]/", "forbidden_address"),
        ("https://nowhere.invalid/hooks", "unresolvable_host"),
        ("https://user:pw@93.184.215.14/hooks", "credentials_in_url"),
        ("https://93.184.215.14:99999/", "invalid_url"),
    ],
)
async def test_registration_refuses(tenant: Tenant, url: str, code: str) -> None:
    response = await tenant.client.post("/v1/webhook-endpoints", json={"url": url})
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["pointer"], error["code"]) == ("/url", code)


async def test_listed_hosts_may_use_http_and_private_addresses() -> None:
    allowed = frozenset({"127.0.0.1", "localhost"})
    assert (await check_target("http://127.0.0.1:8080/x", allowed)).port == 8080
    assert (await check_target("http://localhost/x", allowed)).host == "localhost"
    with pytest.raises(UrlRefused):
        await check_target("http://localhost/x", frozenset({"127.0.0.1"}))


def test_public_addresses_pass() -> None:
    for address in ("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"):
        assert refusal(ipaddress.ip_address(address)) is None
    assert check_url("https://93.184.215.14/x", frozenset()).port == 443


async def test_delivery_checks_again_when_the_host_is_no_longer_allowed(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await tenant.client.post("/v1/orders", json=order_body())
    worker = make_worker(webhook_allowed_hosts="", webhook_retry_schedule="0")

    async def failed() -> bool:
        found = await deliveries(tenant)
        return bool(found) and found[0]["status"] == "failed"

    await drive(failed, worker, what="the refused delivery")
    (delivery,) = await deliveries(tenant)
    assert delivery["attempts"][0]["error"].startswith("refused")
    assert receiver.received == []


async def test_the_connection_itself_refuses_a_name_resolving_to_loopback(receiver: Receiver) -> None:
    """https://localhost passes the checks that need no DNS; the client's own resolution at
    connect time (which also defeats DNS rebinding) refuses it."""
    policy = DeliveryPolicy.of(Settings(webhook_allowed_hosts=""))
    outgoing = Outgoing(
        organization_id=uuid.uuid4(),
        delivery_id=uuid.uuid4(),
        endpoint_id=uuid.uuid4(),
        url=f"https://localhost:{receiver.port}/hooks",
        message_id="evt_1",
        body="{}",
        secrets=("whsec_" + "A" * 43 + "=",),
        attempt=1,
        schedule_step=1,
        schedule_started_at=utcnow(),
        lease_token=uuid.uuid4(),
    )
    client = ssrf.guarded_client(frozenset(), connections=1)
    try:
        answer = await send(client, outgoing, policy)
    finally:
        await client.aclose()
    assert answer.status_code is None
    assert answer.error is not None and answer.error.startswith("refused")
    assert "loopback" in answer.error
    assert receiver.received == []
