"""Logistics Plus ↔ canonical order (pure functions).

Request: a :class:`WarehouseOrder` becomes an ``OrderDraft``-shaped dict. Response: a presented
canonical order (``wareflow.orders.presenter``) becomes the ``data`` of Logistics Plus' envelope,
with its shipments, packages, serials, tracking and milestones. See docs/dialects/logisticsplus.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pycountry

from wareflow.dialects.logisticsplus.schemas import KeyValue, OrderLine, ShipToAddress, WarehouseOrder
from wareflow.dialects.translating import (
    collect_extras,
    decimal_text,
    from_json_value,
    json_value,
    pack_extras,
    prune,
    restore_extras,
    street_line,
    text,
    unpack_extras,
    utc_stamp,
)

PREFIX = "logisticsplus-"
META_COUNTRY = PREFIX + "country"  # the country as sent ("USA") when it is not the ISO-2 code
META_SHIP_DATE = PREFIX + "required-ship-date"  # the full time when it is not midnight UTC
META_CARRIER_NAME = PREFIX + "carrier-name"
META_EXTRA = PREFIX + "extra"
LINE_ATTRIBUTES = {  # alias → (attribute, line metadata key)
    "lineAttributes": ("line_attributes", PREFIX + "line-attributes"),
    "lineCustomAttributes": ("line_custom_attributes", PREFIX + "line-custom-attributes"),
    "partAttributes": ("part_attributes", PREFIX + "part-attributes"),
}

# The canonical fields a Logistics Plus order expresses (what a PATCH replaces).
FIELDS = (
    "external_reference",
    "warehouse_code",
    "secondary_reference",
    "ship_to",
    "required_ship_date",
    "lines",
    "references",
    "internal_note",
    "transport_detail",
    "rate_group",
    "incoterm",
    "metadata",
)

ORDER_STATUS = {  # canonical order status → Logistics Plus order status
    "received": "PRS",
    "invalid_address": "PRS",
    "on_hold": "PRS",
    "backordered": "PRS",
    "allocated": "PRS",
    "picking": "PRS",
    "packed": "PRS",
    "partially_shipped": "PRS",
    "shipped": "FIN",
    "canceled": "CAN",
}
SHIPMENT_STATUS = {  # canonical shipment status → Logistics Plus shipment status
    "entered": "ENT",
    "on_hold": "HEL",
    "picking": "PIC",
    "packed": "PIC",
    "shipped": "FIN",
    "canceled": "CAN",
}
# The one shipment shown before the warehouse has made any: its status follows the order's.
PENDING_SHIPMENT_STATUS = {
    "received": "ENT",
    "backordered": "ENT",
    "allocated": "ENT",
    "invalid_address": "HEL",
    "on_hold": "HEL",
    "picking": "PIC",
    "packed": "PIC",
    "partially_shipped": "PIC",
    "shipped": "FIN",
    "canceled": "CAN",
}
MILESTONES = {  # canonical milestone code → (Logistics Plus code, description); WHE/WHI/FIN are the page's
    "entered": ("WHE", "Entered"),
    "picking": ("WHI", "Sent to Pick"),
    "shipped": ("FIN", "Finalized"),
    "on_hold": ("HEL", None),
    "packed": ("PAK", None),
    "canceled": ("CAN", None),
}

# Canonical error pointers → the page's field names.
POINTERS = {
    "/external_reference": "/primaryReference",
    "/secondary_reference": "/secondaryReference",
    "/warehouse_code": "/warehouseCode",
    "/ship_to": "/shipToAddress",
    "/ship_to/name": "/shipToAddress/contact/personName",
    "/ship_to/company": "/shipToAddress/address/organization",
    "/ship_to/address1": "/shipToAddress/address/addressLine1",
    "/ship_to/address2": "/shipToAddress/address/addressLine2",
    "/ship_to/address3": "/shipToAddress/address/addressLine3",
    "/ship_to/country": "/shipToAddress/address/country",
    "/ship_to/state": "/shipToAddress/address/state",
    "/ship_to/city": "/shipToAddress/address/city",
    "/ship_to/postal_code": "/shipToAddress/address/postalCode",
    "/ship_to/residential": "/shipToAddress/address/isResidential",
    "/ship_to/phone": "/shipToAddress/contact/phoneNumber",
    "/ship_to/mobile": "/shipToAddress/contact/mobileNumber",
    "/ship_to/fax": "/shipToAddress/contact/faxNumber",
    "/ship_to/email": "/shipToAddress/contact/emailAddress",
    "/required_ship_date": "/requiredShipDate",
    "/lines": "/orderLines",
    "/lines/*": "/orderLines/*",
    "/lines/*/sku": "/orderLines/*/productCode",
    "/lines/*/quantity": "/orderLines/*/quantity",
    "/lines/*/unit": "/orderLines/*/quantityUnit",
    "/lines/*/line_number": "/orderLines/*/lineNumber",
    "/lines/*/external_line_reference": "/orderLines/*/externalLineReference",
    "/references": "/additionalReferences",
    "/internal_note": "/note",
    "/transport_detail": "/transportDetail",
    "/transport_detail/carrier_code": "/transportDetail/carrierCode",
    "/transport_detail/service_level_code": "/transportDetail/serviceLevelCode",
    "/rate_group": "/rateGroup",
    "/incoterm": "/forwardingData/incoTerm",
    "": "",
}


# --- request -----------------------------------------------------------------------------------


def _iso2(country: str) -> str | None:
    try:
        return str(pycountry.countries.lookup(country.strip()).alpha_2)
    except LookupError:
        return None


def _ship_to(ship: ShipToAddress) -> dict[str, Any]:
    address, contact = ship.address, ship.contact
    return {
        "name": contact.person_name if contact else None,
        "company": address.organization,
        "address1": address.address_line1,
        "address2": address.address_line2,
        "address3": address.address_line3,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
        "country": address.country,
        "phone": contact.phone_number if contact else None,
        "mobile": contact.mobile_number if contact else None,
        "fax": contact.fax_number if contact else None,
        "email": contact.email_address if contact else None,
        "residential": address.is_residential,
    }


def _pairs(items: list[KeyValue]) -> list[dict[str, Any]]:
    return [{"key": item.key, "value": item.value} for item in items]


def _line(line: OrderLine) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for attribute, key in LINE_ATTRIBUTES.values():
        items = getattr(line, attribute)
        if items:
            metadata[key] = json_value(_pairs(items))
    extras = collect_extras(line)
    if extras:
        metadata[META_EXTRA] = pack_extras(extras)
    unit = line.quantity_unit
    return prune(
        {
            "sku": line.product_code,
            "quantity": line.quantity,
            "line_number": line.line_number,
            "external_line_reference": line.external_line_reference,
            "unit": "each" if unit is None or unit.upper() == "UNT" else unit,
            "metadata": metadata or None,
        }
    )


def _ship_date(value: dt.datetime | dt.date | None) -> tuple[str | None, str | None]:
    """The canonical date, and the full time to keep when it is not midnight UTC."""
    if value is None:
        return None, None
    if not isinstance(value, dt.datetime):
        return value.isoformat(), None
    moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    day = moment.date().isoformat()
    if moment.utcoffset() == dt.timedelta(0) and moment.time() == dt.time(0):
        return day, None
    return day, moment.isoformat()


def to_draft(order: WarehouseOrder) -> dict[str, Any]:
    """The canonical draft of a Logistics Plus order (vendor-only fields in ``metadata``)."""
    metadata: dict[str, Any] = {}
    country = order.ship_to_address.address.country
    if _iso2(country) != country:
        metadata[META_COUNTRY] = country
    day, moment = _ship_date(order.required_ship_date)
    if moment:
        metadata[META_SHIP_DATE] = moment
    transport = order.transport_detail
    if transport is not None and transport.is_empty():
        transport = None
    if transport is not None and transport.carrier_name:
        metadata[META_CARRIER_NAME] = transport.carrier_name
    extras = collect_extras(order, skip=("orderLines",))
    if extras:
        metadata[META_EXTRA] = pack_extras(extras)
    draft = {
        "external_reference": order.primary_reference,
        "warehouse_code": order.warehouse_code,
        "secondary_reference": order.secondary_reference,
        "ship_to": _ship_to(order.ship_to_address),
        "required_ship_date": day,
        "lines": [_line(line) for line in order.order_lines],
        "references": _pairs(order.additional_references),
        "internal_note": order.note,
        "transport_detail": (
            {"carrier_code": transport.carrier_code, "service_level_code": transport.service_level_code}
            if transport is not None
            else None
        ),
        "rate_group": order.rate_group,
        "incoterm": order.forwarding_data.inco_term if order.forwarding_data else None,
        "metadata": metadata or None,
    }
    return draft


# --- response ----------------------------------------------------------------------------------


def _country(ship_to: dict[str, Any], metadata: dict[str, Any]) -> str:
    """The country as the client spelled it, while it still names the order's country."""
    sent = metadata.get(META_COUNTRY)
    if isinstance(sent, str) and _iso2(sent) == ship_to.get("country"):
        return sent
    return text(ship_to.get("country"))


def ship_to_address(order: dict[str, Any]) -> dict[str, Any]:
    ship_to, metadata = order.get("ship_to") or {}, order.get("metadata") or {}
    address = {
        "organization": text(ship_to.get("company")),
        "addressLine1": text(street_line(ship_to)),
        "addressLine2": text(ship_to.get("address2")),
        "country": _country(ship_to, metadata),
        "state": text(ship_to.get("state")),
        "city": text(ship_to.get("city")),
        "postalCode": text(ship_to.get("postal_code")),
        "isResidential": bool(ship_to.get("residential")),
    }
    if ship_to.get("address3"):
        address["addressLine3"] = ship_to["address3"]
    contact = {
        "personName": text(ship_to.get("name") or ship_to.get("contact_person")),
        "phoneNumber": text(ship_to.get("phone")),
        "mobileNumber": text(ship_to.get("mobile")),
        "faxNumber": text(ship_to.get("fax")),
        "emailAddress": text(ship_to.get("email")),
    }
    return {"address": address, "contact": contact}


def required_ship_date(order: dict[str, Any]) -> str | None:
    day = order.get("required_ship_date")
    if day is None:
        return None
    kept = (order.get("metadata") or {}).get(META_SHIP_DATE)
    if isinstance(kept, str) and kept.startswith(day):
        return kept
    return f"{day}T00:00:00+00:00"


def _unit(line: dict[str, Any]) -> str:
    unit = line.get("unit") or "each"
    return "UNT" if unit == "each" else str(unit)


def order_line(line: dict[str, Any]) -> dict[str, Any]:
    metadata = line.get("metadata") or {}
    out: dict[str, Any] = {
        "lineNumber": str(line["line_number"]),
        "externalLineReference": line.get("external_line_reference"),
        "productCode": line["sku"],
        "quantity": line["quantity"],
        "quantityUnit": _unit(line),
    }
    for alias, (_, key) in LINE_ATTRIBUTES.items():
        out[alias] = from_json_value(metadata.get(key), [])
    return restore_extras(out, unpack_extras(metadata.get(META_EXTRA)))


def _references(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": ref["key"], "value": ref["value"]} for ref in order.get("references") or []]


def to_vendor(order: dict[str, Any]) -> dict[str, Any]:
    """The ``data`` of a Logistics Plus answer for a presented canonical order."""
    from wareflow.dialects.logisticsplus.shipments import shipments_of

    metadata = order.get("metadata") or {}
    transport = order.get("transport_detail")
    data: dict[str, Any] = {
        "id": order["id"],
        "dateCreated": utc_stamp(order.get("created_at")),
        "dateLastUpdated": utc_stamp(order.get("updated_at")),
        "status": ORDER_STATUS.get(order["status"], "PRS"),
        "warehouseCode": order.get("warehouse_code"),
        "primaryReference": order["external_reference"],
        "secondaryReference": order.get("secondary_reference"),
        "shipToAddress": ship_to_address(order),
        "requiredShipDate": required_ship_date(order),
        "orderLines": [order_line(line) for line in order.get("lines") or []],
        "shipments": shipments_of(order),
        "additionalReferences": _references(order),
        "note": order.get("internal_note"),
        "transportDetail": (
            prune(
                {
                    "carrierCode": transport.get("carrier_code"),
                    "carrierName": metadata.get(META_CARRIER_NAME),
                    "serviceLevelCode": transport.get("service_level_code"),
                }
            )
            if transport
            else None
        ),
        "rateGroup": order.get("rate_group"),
        "forwardingData": {"incoTerm": order["incoterm"]} if order.get("incoterm") else None,
    }
    data = {k: v for k, v in data.items() if v is not None or k in ("dateCreated", "dateLastUpdated")}
    return restore_extras(data, unpack_extras(metadata.get(META_EXTRA)))


def shipment_id(order_id: str) -> str:
    """A stable id for the pending shipment shown before the warehouse creates real ones."""
    return str(uuid.uuid5(uuid.UUID(order_id), "logisticsplus-shipment"))


def total_cost(value: Any) -> str | None:
    return decimal_text(value)
