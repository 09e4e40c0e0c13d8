"""One order, six faces: created through any of the five dialects, it reads the same through the
native API and through every dialect's GET, and follows the warehouse (picking, shipped, tracking)
in each vendor's vocabulary, as ``docs/dialects/<vendor>.md`` states it.

Each face is an adapter: ``create`` (dialects only) sends the order in the vendor's minimal valid
body and answers Wareflow's order id; ``get`` reads it the way the vendor's GET is keyed;
``seen`` picks out the shared data; ``status`` and ``tracking`` read its progress.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import WAREHOUSE, Tenant
from tests.dialects.ware2go.conftest import basic

W2G = "/compat/ware2go/v1/merchants"
EWH = "/compat/ewarehousing/wms"
LP = "/compat/logisticsplus/warehouse/v1/orders"
XPS = "/compat/webship/restapi/v1/customers"
OMS = "/compat/oms/api/v1/orders"
INTEGRATION = "across"

# The order every dialect sends: to John Smith in Los Angeles, two lines of the tenant's catalog.
# eWarehousing writes the street and the house number apart; a one-line face shows them as STREET.
STREET_NAME, HOUSE_NUMBER = "Main Street", "1234"
STREET = f"{STREET_NAME} {HOUSE_NUMBER}"
NAME, CITY, STATE, ZIP, COUNTRY = "John Smith", "Los Angeles", "CA", "90012", "US"
LINES = (("A-1", 2), ("B-2", 3))
ALPHA2 = {"USA": "US"}  # Ware2Go answers countries in alpha-3


@dataclass(frozen=True)
class Seen:
    """What every face must show alike."""

    reference: str
    name: str
    street: str
    city: str
    country: str
    lines: tuple[tuple[str, int], ...]


EXPECTED_LINES = tuple(sorted(LINES))


def seen(
    reference: str, name: str, street: str, city: str, country: str, lines: list[tuple[str, int]]
) -> Seen:
    return Seen(reference, name, street, city, ALPHA2.get(country, country), tuple(sorted(lines)))


@dataclass
class Ctx:
    http: httpx.AsyncClient  # no credentials: each face sends its own
    tenant: Tenant

    def headers(self, face: str) -> dict[str, str]:
        key, slug = self.tenant.key, self.tenant.slug
        return {
            "native": {"authorization": f"Bearer {key}"},
            "ware2go": {"authorization": basic("access-token", key)},
            "ewarehousing": {
                "authorization": f"Bearer {key}",
                "x-wms-code": WAREHOUSE,
                "x-customer-code": slug,
                "expand": "shipping_address,order_lines",
            },
            "logisticsplus": {"x-api-key": key, "organization-slug": slug},
            "webship": {"authorization": f"RSIS {key}"},
            "oms": {"authorization": f"Bearer {key}"},
        }[face]

    async def send(self, face: str, method: str, url: str, body: Any = None) -> Any:
        response = await self.http.request(method, url, json=body, headers=self.headers(face))
        assert response.status_code in (200, 201), f"{face} {method} {url}: {response.text}"
        return response.json()

    async def native_id(self, reference: str) -> str:
        page = await self.send("native", "GET", f"/v1/orders?external_reference={reference}")
        [order] = page["items"]
        return str(order["id"])


# --- create: the vendor's minimal valid body; answers Wareflow's order id ------------------------


async def create_ware2go(ctx: Ctx, ref: str) -> str:
    body = {
        "referenceId": ref,
        "companyName": NAME,
        "address1": STREET,
        "city": CITY,
        "state": STATE,
        "zipCode": ZIP,
        "country": COUNTRY,
        "skuQuantities": [{"skuId": sku, "unitQuantity": qty} for sku, qty in LINES],
    }
    return str((await ctx.send("ware2go", "POST", f"{W2G}/{ctx.tenant.slug}/orders", body))["orderId"])


async def create_ewarehousing(ctx: Ctx, ref: str) -> str:
    body = {
        "external_reference": ref,
        "requested_delivery_date": "2026-05-15",
        "shipping_contactperson": NAME,
        "shipping_address": {
            "addressed_to": NAME,
            "street": STREET_NAME,
            "street_number": HOUSE_NUMBER,
            "zipcode": ZIP,
            "city": CITY,
            "state": STATE,
            "country": COUNTRY,
        },
        "order_lines": [
            {"article_code": sku, "quantity": qty, "description": f"Product {sku}"} for sku, qty in LINES
        ],
    }
    return str((await ctx.send("ewarehousing", "POST", f"{EWH}/orders/", body))["id"])


async def create_logisticsplus(ctx: Ctx, ref: str) -> str:
    body = {
        "warehouseCode": WAREHOUSE,
        "primaryReference": ref,
        "shipToAddress": {
            "address": {
                "addressLine1": STREET,
                "city": CITY,
                "state": STATE,
                "postalCode": ZIP,
                "country": COUNTRY,
            },
            "contact": {"personName": NAME},
        },
        "orderLines": [{"productCode": sku, "quantity": qty} for sku, qty in LINES],
    }
    return str((await ctx.send("logisticsplus", "POST", LP, body))["data"]["id"])


def xps_url(ctx: Ctx, ref: str) -> str:
    return f"{XPS}/{ctx.tenant.slug}/integrations/{INTEGRATION}/orders/{ref}"


async def create_webship(ctx: Ctx, ref: str) -> str:
    party = {"address1": STREET, "city": CITY, "state": STATE, "zip": ZIP, "country": COUNTRY}
    body = {
        "orderId": ref,
        "orderDate": "2026-05-01",
        "orderNumber": None,
        "fulfillmentStatus": "pending",
        "shippingService": None,
        "shippingTotal": None,
        "weightUnit": None,
        "dimUnit": None,
        "dueByDate": None,
        "orderGroup": None,
        "sender": {**party, "name": "Jones Co."},
        "receiver": {**party, "name": NAME},
        "items": [{"sku": sku, "quantity": qty} for sku, qty in LINES],
        "packages": None,
    }
    assert await ctx.send("webship", "PUT", xps_url(ctx, ref), body) == {"ok": True}
    return await ctx.native_id(ref)  # the page answers no id: XPS Ship keys orders by orderId


async def create_oms(ctx: Ctx, ref: str) -> str:
    body = {
        "orderNumber": ref,
        "fromAddress": {"countryCode": COUNTRY},
        "toAddress": {
            "name": NAME,
            "addressLines": [STREET],
            "cityTown": CITY,
            "stateProvince": STATE,
            "postalCode": ZIP,
            "countryCode": COUNTRY,
        },
        "items": [{"sku": sku, "quantity": qty} for sku, qty in LINES],
    }
    created = await ctx.send("oms", "POST", OMS, body)
    assert (created["orderNumber"], created["status"]) == (ref, "Success")
    return str(created["orderId"])


# --- get: the vendor's GET, keyed as the vendor keys it -----------------------------------------


async def get_native(ctx: Ctx, order_id: str, ref: str) -> Any:
    return await ctx.send("native", "GET", f"/v1/orders/{order_id}")


async def get_ware2go(ctx: Ctx, order_id: str, ref: str) -> Any:
    return await ctx.send("ware2go", "GET", f"{W2G}/{ctx.tenant.slug}/orders/{order_id}")


async def get_ewarehousing(ctx: Ctx, order_id: str, ref: str) -> Any:
    return await ctx.send("ewarehousing", "GET", f"{EWH}/orders/{order_id}/")


async def get_logisticsplus(ctx: Ctx, order_id: str, ref: str) -> Any:
    return (await ctx.send("logisticsplus", "GET", f"{LP}/{order_id}"))["data"]


async def get_webship(ctx: Ctx, order_id: str, ref: str) -> Any:
    return await ctx.send("webship", "GET", xps_url(ctx, ref))


async def get_oms(ctx: Ctx, order_id: str, ref: str) -> Any:
    return await ctx.send("oms", "GET", f"{OMS}/{order_id}")


# --- tracking: the tracking numbers each vendor shows for the order -----------------------------


async def tracking_native(ctx: Ctx, got: Any, ref: str) -> set[str]:
    return {s["tracking"]["tracking_number"] for s in got["shipments"] if s.get("tracking")} - {None}


async def tracking_ware2go(ctx: Ctx, got: Any, ref: str) -> set[str]:
    return {s.get("trackingNumber") for s in got.get("shipments", [])} - {None}


async def tracking_ewarehousing(ctx: Ctx, got: Any, ref: str) -> set[str]:
    """eWarehousing's orders carry no tracking: its shipments resource does."""
    shipments = await ctx.send("ewarehousing", "GET", f"{EWH}/shipments/?order_external_reference={ref}")
    return {label["tracking_code"] for s in shipments for label in s["shipment_labels"]} - {None}


async def tracking_logisticsplus(ctx: Ctx, got: Any, ref: str) -> set[str]:
    return {(s.get("trackingDetail") or {}).get("trackingNumber") for s in got["shipments"]} - {None, ""}


async def tracking_webship(ctx: Ctx, got: Any, ref: str) -> set[str]:
    """As XPS Ship integrations learn it: ``searchShipments`` by order id, then by tracking number
    (which must find the same order back)."""
    url = f"{XPS}/{ctx.tenant.slug}/searchShipments"
    by_order = (await ctx.send("webship", "POST", url, {"keyword": ref}))["shipments"]
    numbers = {s["trackingNumber"] for s in by_order}
    for number in numbers:
        by_number = (await ctx.send("webship", "POST", url, {"keyword": number}))["shipments"]
        assert [s["orderIds"] for s in by_number] == [[ref]]
    return numbers


async def tracking_oms(ctx: Ctx, got: Any, ref: str) -> set[str]:
    return {s.get("trackingNumber") for s in got["shipments"]} - {None}


def native_street(ship_to: dict[str, Any]) -> str:
    """``address1``, else the street, house number and addition on one line."""
    parts = (ship_to["street"], ship_to["house_number"], ship_to["house_number_addition"])
    return str(ship_to["address1"] or " ".join(part for part in parts if part))


def street_of(address: dict[str, Any]) -> str:
    """eWarehousing's street, house number and addition on one line."""
    parts = (address["street"], address["street_number"], address["street_number_addition"])
    return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class Face:
    get: Callable[[Ctx, str, str], Awaitable[Any]]
    seen: Callable[[Any], Seen]
    status: Callable[[Any], str]
    tracking: Callable[[Ctx, Any, str], Awaitable[set[str]]]
    create: Callable[[Ctx, str], Awaitable[str]] | None = None


FACES: dict[str, Face] = {
    "native": Face(
        get_native,
        lambda o: seen(
            o["external_reference"],
            o["ship_to"]["name"],
            native_street(o["ship_to"]),
            o["ship_to"]["city"],
            o["ship_to"]["country"],
            [(line["sku"], line["quantity"]) for line in o["lines"]],
        ),
        lambda o: o["status"],
        tracking_native,
    ),
    "ware2go": Face(
        get_ware2go,
        lambda o: seen(
            o["referenceId"],
            o["companyName"],
            o["address1"],
            o["city"],
            o["country"],
            [(q["skuId"], q["unitQuantity"]) for q in o["skuQuantities"]],
        ),
        lambda o: o["status"],
        tracking_ware2go,
        create_ware2go,
    ),
    "ewarehousing": Face(
        get_ewarehousing,
        lambda o: seen(
            o["external_reference"],
            o["shipping_address"]["addressed_to"],
            street_of(o["shipping_address"]),
            o["shipping_address"]["city"],
            o["shipping_address"]["country"],
            [(line["variant"]["article_code"], line["quantity"]) for line in o["order_lines"]],
        ),
        lambda o: o["status"],
        tracking_ewarehousing,
        create_ewarehousing,
    ),
    "logisticsplus": Face(
        get_logisticsplus,
        lambda o: seen(
            o["primaryReference"],
            o["shipToAddress"]["contact"]["personName"],
            o["shipToAddress"]["address"]["addressLine1"],
            o["shipToAddress"]["address"]["city"],
            o["shipToAddress"]["address"]["country"],
            [(line["productCode"], line["quantity"]) for line in o["orderLines"]],
        ),
        # the order's status, then its shipments' (where Logistics Plus shows picking)
        lambda o: "/".join([o["status"], *(s["status"] for s in o["shipments"])]),
        tracking_logisticsplus,
        create_logisticsplus,
    ),
    "webship": Face(
        get_webship,
        lambda o: seen(
            o["orderId"],
            o["receiver"]["name"],
            o["receiver"]["address1"],
            o["receiver"]["city"],
            o["receiver"]["country"],
            [(item["sku"], item["quantity"]) for item in o["items"]],
        ),
        lambda o: o["fulfillmentStatus"],
        tracking_webship,
        create_webship,
    ),
    "oms": Face(
        get_oms,
        lambda o: seen(
            o["orderNumber"],
            o["toAddress"]["name"],
            o["toAddress"]["addressLines"][0],
            o["toAddress"]["cityTown"],
            o["toAddress"]["countryCode"],
            [(item["sku"], item["quantity"]) for item in o["items"]],
        ),
        lambda o: o["status"],
        tracking_oms,
        create_oms,
    ),
}
DIALECTS = [name for name, face in FACES.items() if face.create is not None]

# The order's progress in each face's vocabulary (the "Status mapping" of each dialect's page).
NEW = {
    "native": "allocated",
    "ware2go": "DRAFT",
    "ewarehousing": "created",
    "logisticsplus": "PRS/ENT",
    "webship": "pending",
    "oms": "unfulfilled",
}
PICKING = {
    "native": "picking",
    "ware2go": "PROCESSING",
    "ewarehousing": "processing",
    "logisticsplus": "PRS/PIC",
    "webship": "pending",  # XPS Ship's fulfillmentStatus has no picking state
    "oms": "inProgress",
}
SHIPPED = {
    "native": "shipped",
    "ware2go": "SHIPPED",
    "ewarehousing": "shipped",
    "logisticsplus": "FIN/FIN",
    "webship": "fulfilled",
    "oms": "fulfilled",
}


@dataclass
class Shown:
    """What each face shows of the order, by face name."""

    data: dict[str, Seen]
    status: dict[str, str]
    tracking: dict[str, set[str]]


async def every_face(ctx: Ctx, order_id: str, ref: str) -> Shown:
    shown = Shown({}, {}, {})
    for name, face in FACES.items():
        got = await face.get(ctx, order_id, ref)
        shown.data[name] = face.seen(got)
        shown.status[name] = face.status(got)
        shown.tracking[name] = await face.tracking(ctx, got, ref)
    return shown


def everywhere(value: Any) -> dict[str, Any]:
    return {name: value for name in FACES}


async def drive_the_warehouse(operator: httpx.AsyncClient, order_id: str, tracking_number: str) -> None:
    """Pick, pack and ship the order's one shipment through the native API."""

    async def post(url: str, body: dict[str, Any]) -> Any:
        response = await operator.post(url, json=body)
        assert response.status_code in (200, 201), f"{url}: {response.text}"
        return response.json()

    order = (await operator.get(f"/v1/orders/{order_id}")).json()
    [shipment] = order["shipments"]
    url = f"/v1/shipments/{shipment['id']}"
    lines = [{"line_number": line["line_number"], "quantity": line["quantity"]} for line in order["lines"]]
    await post(f"{url}/pick", {"lines": lines})
    package = {"weight": "1", "weight_unit": "kg", "length": 30, "width": 20, "height": 10, "dim_unit": "cm"}
    await post(f"{url}/pack", {"packages": [{**package, "lines": lines}]})
    await post(f"{url}/ship", {"carrier_code": "UPS", "tracking_number": tracking_number})


@pytest.mark.parametrize("creator", DIALECTS)
async def test_an_order_is_the_same_through_every_face(
    creator: str, tenant: Tenant, operator: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    ctx = Ctx(anonymous, tenant)
    ref = f"X-{uuid.uuid4().hex[:12]}"
    create = FACES[creator].create
    assert create is not None
    order_id = await create(ctx, ref)
    expected = Seen(ref, NAME, STREET, CITY, COUNTRY, EXPECTED_LINES)

    shown = await every_face(ctx, order_id, ref)
    assert shown.data == everywhere(expected)
    assert shown.status == NEW
    assert shown.tracking == everywhere(set())

    picking = await operator.post("/v1/pick-lists", json={"order_ids": [order_id]})
    assert picking.status_code == 201, picking.text
    shown = await every_face(ctx, order_id, ref)
    assert shown.status == PICKING
    assert shown.tracking == everywhere(set())

    tracking_number = f"1Z{uuid.uuid4().hex[:16].upper()}"
    await drive_the_warehouse(operator, order_id, tracking_number)
    shown = await every_face(ctx, order_id, ref)
    assert shown.status == SHIPPED
    assert shown.tracking == everywhere({tracking_number})
    assert shown.data == everywhere(expected)  # shipping changed nothing the merchant sent
