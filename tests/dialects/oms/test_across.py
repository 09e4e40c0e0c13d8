"""One order, three faces: created through one of Logistics Plus, XPS Ship and Pitney Bowes OMS,
it reads the same through the other two (and the native API)."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant
from tests.dialects.logisticsplus import examples as lp_ex
from tests.dialects.oms import examples as oms_ex
from tests.dialects.webship import examples as xps_ex

LP = "/compat/logisticsplus/warehouse/v1/orders"
OMS = "/compat/oms/api/v1/orders"


def xps_url(tenant: Tenant, order_id: str) -> str:
    return f"/compat/webship/restapi/v1/customers/{tenant.slug}/integrations/1/orders/{order_id}"


async def test_one_order_three_faces(tenant: Tenant, anonymous: httpx.AsyncClient) -> None:
    for sku in (lp_ex.LAPTOP, xps_ex.SKU, oms_ex.SKU, oms_ex.CUSTOM_PRODUCT):
        assert (await tenant.client.post("/v1/products", json={"sku": sku, "name": sku})).status_code == 201
    lp = {"x-api-key": tenant.key}
    xps = {"authorization": f"RSIS {tenant.key}"}
    oms = {"authorization": f"Bearer {tenant.key}"}

    via_lp = (await anonymous.post(LP, json=lp_ex.B2C, headers=lp)).json()["data"]
    as_oms = (await anonymous.get(f"{OMS}/{via_lp['id']}", headers=oms)).json()
    assert (as_oms["orderNumber"], as_oms["status"]) == ("123456789", "unfulfilled")
    assert as_oms["toAddress"]["cityTown"] == "Los Angeles" and as_oms["items"][0]["sku"] == lp_ex.LAPTOP
    as_xps = (await anonymous.get(xps_url(tenant, "123456789"), headers=xps)).json()
    assert as_xps["receiver"]["name"] == "John Smith" and as_xps["fulfillmentStatus"] == "pending"

    assert (
        await anonymous.put(xps_url(tenant, "123ABC"), json=xps_ex.PUT_ORDER, headers=xps)
    ).status_code == 201
    [via_xps] = (await anonymous.get(f"{LP}?PrimaryReference=123ABC", headers=lp)).json()["data"]["orders"]
    assert via_xps["shipToAddress"]["contact"]["personName"] == "Alice Janson"
    assert via_xps["orderLines"][0]["productCode"] == xps_ex.SKU and via_xps["status"] == "PRS"
    as_oms = (await anonymous.get(f"{OMS}/{via_xps['id']}", headers=oms)).json()
    assert (as_oms["orderNumber"], as_oms["toAddress"]["stateProvince"]) == ("123ABC", "UT")
    assert as_oms["fromAddress"]["company"] == "Jones Co." and as_oms["items"][0]["quantity"] == 2

    created = (await anonymous.post(OMS, json=oms_ex.CREATE_ORDER, headers=oms)).json()
    as_lp = (await anonymous.get(f"{LP}/{created['orderId']}", headers=lp)).json()["data"]
    assert (
        as_lp["primaryReference"] == "ORD12346" and as_lp["shipToAddress"]["address"]["city"] == "Vancouver"
    )
    assert {"key": "shipperReference", "value": "Shipper123"} in as_lp["additionalReferences"]
    as_xps = (await anonymous.get(xps_url(tenant, "ORD12346"), headers=xps)).json()
    assert as_xps["shipperReference"] == "Shipper123" and as_xps["receiver"]["country"] == "CA"
    native = (await tenant.client.get(f"/v1/orders/{created['orderId']}")).json()
    assert native["external_reference"] == "ORD12346"
