"""PATCH (JSON merge), ETag/If-Match, and the lifecycle actions."""

from __future__ import annotations

import asyncio

from tests.conftest import Tenant, order_body


async def _order(tenant: Tenant, **overrides: object) -> dict:  # type: ignore[type-arg]
    response = await tenant.client.post("/v1/orders", json=order_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_patch_merges_and_bumps_the_etag(tenant: Tenant) -> None:
    order = await _order(tenant)
    response = await tenant.client.patch(
        f"/v1/orders/{order['id']}",
        json={"customer_note": "Leave at the door", "ship_to": {"address2": "Suite 5"}},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["customer_note"] == "Leave at the door"
    assert updated["ship_to"]["address2"] == "Suite 5"
    assert updated["ship_to"]["address1"] == order["ship_to"]["address1"]
    assert response.headers["etag"] == f'"{order["version"] + 1}"'
    assert updated["updated_at"] > order["updated_at"]


async def test_patch_null_removes_a_field(tenant: Tenant) -> None:
    order = await _order(tenant, po_number="PO-1")
    updated = (await tenant.client.patch(f"/v1/orders/{order['id']}", json={"po_number": None})).json()
    assert updated["po_number"] is None


async def test_patch_lines_replaces_them(tenant: Tenant) -> None:
    order = await _order(tenant)
    new_lines = [{"sku": "A-1", "quantity": 2}, {"sku": "B-2", "quantity": 3}]
    updated = (await tenant.client.patch(f"/v1/orders/{order['id']}", json={"lines": new_lines})).json()
    assert [(li["line_number"], li["sku"], li["quantity"]) for li in updated["lines"]] == [
        (1, "A-1", 2),
        (2, "B-2", 3),
    ]
    fetched = (await tenant.client.get(f"/v1/orders/{order['id']}")).json()
    assert fetched["lines"] == updated["lines"]


async def test_reference_and_warehouse_never_change(tenant: Tenant) -> None:
    order = await _order(tenant)
    response = await tenant.client.patch(
        f"/v1/orders/{order['id']}", json={"external_reference": "OTHER", "warehouse_code": "NYC"}
    )
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} == {"immutable"}


async def test_patch_validates_like_create(tenant: Tenant) -> None:
    order = await _order(tenant)
    response = await tenant.client.patch(
        f"/v1/orders/{order['id']}", json={"ship_to": {"country": "Atlantis"}, "status": "shipped"}
    )
    assert response.status_code == 422
    pointers = {e["pointer"]: e["code"] for e in response.json()["errors"]}
    assert pointers["/status"] == "read_only"
    assert "/ship_to/country" in pointers


async def test_if_match_guards_against_lost_updates(tenant: Tenant) -> None:
    order = await _order(tenant)
    url = f"/v1/orders/{order['id']}"
    etag = (await tenant.client.get(url)).headers["etag"]
    first = await tenant.client.patch(url, json={"customer_note": "a"}, headers={"if-match": etag})
    second = await tenant.client.patch(url, json={"customer_note": "b"}, headers={"if-match": etag})
    assert first.status_code == 200
    assert second.status_code == 412
    assert (await tenant.client.get(url)).json()["customer_note"] == "a"


async def test_cancel_then_nothing_more(tenant: Tenant) -> None:
    order = await _order(tenant)
    url = f"/v1/orders/{order['id']}"
    canceled = await tenant.client.post(f"{url}/cancel")
    assert canceled.status_code == 200 and canceled.json()["status"] == "canceled"
    again = await tenant.client.post(f"{url}/cancel")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_refused"
    assert (await tenant.client.patch(url, json={"customer_note": "x"})).status_code == 409
    assert (await tenant.client.post(f"{url}/hold")).status_code == 409


async def test_hold_with_reason_and_release(tenant: Tenant) -> None:
    order = await _order(tenant)
    url = f"/v1/orders/{order['id']}"
    held = (await tenant.client.post(f"{url}/hold", json={"reason": "fraud check"})).json()
    assert (held["status"], held["hold_reason"]) == ("on_hold", "fraud check")
    assert (await tenant.client.post(f"{url}/hold")).status_code == 409
    released = (await tenant.client.post(f"{url}/release")).json()
    assert (released["status"], released["hold_reason"]) == ("allocated", None)
    assert (await tenant.client.post(f"{url}/release")).status_code == 409


async def test_timeline_lists_every_change(tenant: Tenant) -> None:
    order = await _order(tenant)
    url = f"/v1/orders/{order['id']}"
    await tenant.client.patch(url, json={"customer_note": "x"})
    await tenant.client.post(f"{url}/hold")
    await tenant.client.post(f"{url}/release")
    await tenant.client.post(f"{url}/cancel")
    timeline = (await tenant.client.get(f"{url}/events")).json()["items"]
    assert [(e["type"], e["data"].get("to")) for e in timeline] == [
        ("order.created", None),
        ("stock.changed", None),  # one unit reserved…
        ("order.status_changed", "allocated"),
        ("shipment.created", None),
        ("order.updated", None),
        ("order.status_changed", "on_hold"),  # a hold keeps the reservation…
        ("shipment.status_changed", "on_hold"),  # …and holds the shipment
        ("order.status_changed", "received"),
        ("order.status_changed", "allocated"),
        ("shipment.status_changed", "entered"),
        ("order.status_changed", "canceled"),
        ("shipment.status_changed", "canceled"),
        ("stock.changed", None),  # …and given back
    ]
    order_events = [e for e in timeline if e["type"].startswith("order.")]
    assert [e["data"]["sequence"] for e in order_events] == [1, 2, 3, 4, 5, 6, 7]


async def test_concurrent_patches_with_one_etag_one_wins(tenant: Tenant) -> None:
    order = await _order(tenant)
    url = f"/v1/orders/{order['id']}"
    etag = (await tenant.client.get(url)).headers["etag"]
    responses = await asyncio.gather(
        *(
            tenant.client.patch(url, json={"customer_note": f"n{i}"}, headers={"if-match": etag})
            for i in range(4)
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 412, 412, 412]
