"""The warehouse's progress in eWarehousing's words (and Ware2Go's, for the same order): picking,
packing, shipping with tracking and serial numbers, and the shipments endpoints."""

from __future__ import annotations

import copy

import httpx

from tests.conftest import WAREHOUSE, Tenant, order_body
from tests.dialects.ewarehousing import examples as ex
from tests.dialects.ware2go.conftest import basic

PHONE = "PHONE-X"


async def test_progress_tracking_and_serials(
    wms: httpx.AsyncClient, tenant: Tenant, operator: httpx.AsyncClient, app: object
) -> None:
    await tenant.client.post("/v1/products", json={"sku": PHONE, "name": "Phone X", "serial_tracked": True})
    await operator.post(
        "/v1/stock/adjustments",
        json={"warehouse_code": WAREHOUSE, "sku": PHONE, "quantity": 5, "reason": "receipt"},
    )
    body = copy.deepcopy(ex.CREATE_REQUEST)
    body["order_lines"] = [{"article_code": PHONE, "quantity": 2, "description": "Phone"}]
    order = (await wms.post("/wms/orders/", json=body)).json()
    url = f"/wms/orders/{order['id']}/"
    await operator.post("/v1/pick-lists", json={"order_ids": [order["id"]]})
    assert (await wms.get(url)).json()["status"] == "processing"
    cancel = await wms.patch(f"{url}cancel/")
    assert cancel.status_code == 400  # on the floor: too late to cancel

    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://wareflow.test/compat/ware2go",
        headers={"authorization": basic("x", tenant.key)},
    ) as w2g:
        assert (await w2g.get(f"/orders/{order['id']}")).json()["status"] == "PROCESSING"
        await _pick_pack_ship(operator, order["id"], ["IMEI-1", "IMEI-2"])
        seen_by_w2g = (await w2g.get(f"/orders/{order['id']}")).json()

    answer = (await wms.get(url, headers={"expand": "order_lines,serial_numbers"})).json()
    assert answer["status"] == "shipped"
    assert answer["order_lines"][0]["serial_numbers"] == ["IMEI-1", "IMEI-2"]
    assert seen_by_w2g["status"] == "SHIPPED"
    [w2g_shipment] = seen_by_w2g["shipments"]
    assert (w2g_shipment["trackingNumber"], w2g_shipment["carrier"], w2g_shipment["status"]) == (
        "JVGL0123456789",
        "DHL Parcel",
        "SHIPPED",
    )

    [listed] = (await wms.get("/wms/shipments/")).json()
    assert listed["order_id"] == order["id"] and listed["order_external_reference"] == "WEB-10001"
    assert listed["shipment_labels"] == [
        {"label_code": listed["reference"], "tracking_code": "JVGL0123456789", "tracking_url": None}
    ]
    assert (
        listed["shipping_method"]["shipper_code"] == "DHL" and listed["shipping_method"]["code"] == "EUROPLUS"
    )
    [line] = listed["shipment_lines"]
    assert (line["shipped_quantity"], line["shipped_sku"], line["serial_numbers"]) == (
        2,
        PHONE,
        ["IMEI-1", "IMEI-2"],
    )
    assert line["variant"]["article_code"] == PHONE
    assert listed["shipping_address"]["street"] == "Nijverheidsweg"
    one = await wms.get(f"/wms/shipments/{listed['id']}/")
    assert one.status_code == 200 and one.json() == listed
    assert (await wms.get(f"/wms/shipments/{listed['id']}")).json() == listed
    assert (await wms.get("/wms/shipments/?order_external_reference=OTHER")).json() == []
    assert (
        len(
            (
                await wms.get(
                    "/wms/shipments/?order_external_reference[]=WEB-10001&order_external_reference[]=X"
                )
            ).json()
        )
        == 1
    )
    assert (await wms.get("/wms/shipments/?from=2999-01-01")).json() == []
    assert (await wms.get("/wms/shipments/not-an-id/")).status_code == 404


async def _pick_pack_ship(operator: httpx.AsyncClient, order_id: str, serials: list[str]) -> None:
    shipment_id = (await operator.get(f"/v1/orders/{order_id}")).json()["shipments"][0]["id"]
    url = f"/v1/shipments/{shipment_id}"
    picked = await operator.post(
        f"{url}/pick", json={"lines": [{"line_number": 1, "quantity": 2, "serial_numbers": serials}]}
    )
    assert picked.status_code == 200, picked.text
    package = {"weight": "0.4", "weight_unit": "kg", "length": 20, "width": 10, "height": 5, "dim_unit": "cm"}
    packed = await operator.post(
        f"{url}/pack", json={"packages": [{**package, "lines": [{"line_number": 1, "quantity": 2}]}]}
    )
    assert packed.status_code == 200, packed.text
    tracking = {
        "carrier_code": "DHL",
        "carrier_name": "DHL Parcel",
        "service_level_code": "EUROPLUS",
        "tracking_number": "JVGL0123456789",
    }
    shipped = await operator.post(f"{url}/ship", json=tracking)
    assert shipped.status_code == 200, shipped.text


async def test_unshipped_shipments_are_not_listed(wms: httpx.AsyncClient, tenant: Tenant) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    assert (await wms.get("/wms/shipments/")).json() == []
    assert (await wms.get(f"/wms/shipments/{order['shipments'][0]['id']}/")).status_code == 404
