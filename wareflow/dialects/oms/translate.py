"""Pitney Bowes OMS ↔ canonical order (pure functions). See docs/dialects/oms.md."""

from __future__ import annotations

from typing import Any

from wareflow.dialects.oms.schemas import Address, CreateOrder, Item
from wareflow.dialects.translating import (
    blank,
    collect_extras,
    decimal_text,
    pack_extras,
    prune,
    restore_extras,
    unpack_extras,
    utc_stamp,
)

PREFIX = "oms-"
META = {
    "message_type": PREFIX + "order-message-type",
    "billing_status": PREFIX + "billing-status",
    "payment_type": PREFIX + "payment-type",
    "first_name": PREFIX + "customer-first-name",
    "last_name": PREFIX + "customer-last-name",
    "extra": PREFIX + "extra",
}
LINE_CUSTOM_PRODUCT = PREFIX + "custom-product"  # the line named a customProductId
LINE_EXTRA = PREFIX + "extra"
# shippingReference fields kept as the order's references (the others: ``metadata`` entries)
REFERENCE_KEYS = (
    "reference1",
    "reference2",
    "reference3",
    "reference4",
    "shipperReference",
    "transportationReference",
)
CHARGE_TYPES = ("subTotal", "totalPaid")  # kept as canonical charges of that type

STATUS = {  # canonical order status → OMS status on GET (the create answer says "Success")
    "received": "unfulfilled",
    "allocated": "unfulfilled",
    "backordered": "unfulfilled",
    "invalid_address": "onHold",
    "on_hold": "onHold",
    "picking": "inProgress",
    "packed": "inProgress",
    "partially_shipped": "partiallyFulfilled",
    "shipped": "fulfilled",
    "canceled": "cancelled",
}

_ADDRESS = {
    "name": "name",
    "company": "company",
    "address1": "addressLines",
    "city": "cityTown",
    "state": "stateProvince",
    "postal_code": "postalCode",
    "country": "countryCode",
    "phone": "phone",
    "email": "email",
    "residential": "residential",
}
POINTERS = {
    "/external_reference": "/orderNumber",
    "/ship_from": "/fromAddress",
    "/ship_to": "/toAddress",
    **{f"/ship_from/{ours}": f"/fromAddress/{theirs}" for ours, theirs in _ADDRESS.items()},
    **{f"/ship_to/{ours}": f"/toAddress/{theirs}" for ours, theirs in _ADDRESS.items()},
    "/additional_addresses": "/additionalAddresses",
    "/additional_addresses/*/address": "/additionalAddresses/*",
    "/buyer/email": "/customerInfo/email",
    "/buyer": "/customerInfo",
    "/currency": "/charges/currency",
    "/order_amount": "/charges/gmv",
    "/charges": "/charges",
    "/references": "/metadata",
    "/gift_message": "/orderMessage/message",
    "/customer_note": "/orderMessage/message",
    "/internal_note": "/shippingReference/shippingNotes",
    "/transport_detail": "/shippingPreferences",
    "/lines": "/items",
    "/lines/*": "/items/*",
    "/lines/*/sku": "/items/*/sku",
    "/lines/*/quantity": "/items/*/quantity",
    "/lines/*/unit_price": "/items/*/unitPrice",
    "/lines/*/hs_code": "/items/*/hsTariffCode",
    "/lines/*/country_of_origin": "/items/*/originCountryCode",
    "/lines/*/weight_unit": "/items/*/weightUnit",
}


# --- request -----------------------------------------------------------------------------------


def _address(address: Address) -> dict[str, Any]:
    line1, line2, line3 = address.lines()
    return {
        "name": blank(address.name),
        "company": blank(address.company),
        "address1": line1,
        "address2": line2,
        "address3": line3,
        "city": blank(address.city_town),
        "state": blank(address.state_province),
        "postal_code": blank(address.postal_code),
        "country": address.country_code,
        "phone": blank(address.phone),
        "email": blank(address.email),
        "residential": address.residential,
    }


def _line(item: Item) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    custom = blank(item.custom_product_id)
    if custom is not None:
        metadata[LINE_CUSTOM_PRODUCT] = True
    extras = collect_extras(item)
    if extras:
        metadata[LINE_EXTRA] = pack_extras(extras)
    return prune(
        {
            "sku": blank(item.sku) or custom,
            "product_id": custom,
            "quantity": item.quantity if item.quantity is not None else 1,
            "description": blank(item.name),
            "unit_price": item.unit_price,
            "weight": item.weight,
            "weight_unit": item.weight_unit.lower() if item.weight_unit else None,
            "hs_code": blank(item.hs_tariff_code),
            "country_of_origin": item.origin_country_code,
            "image_url": blank(item.image_url),
            "metadata": metadata or None,
        }
    )


def _message(order: CreateOrder, metadata: dict[str, Any]) -> dict[str, Any]:
    message = order.order_message
    if message is None or blank(message.message) is None:
        return {}
    metadata[META["message_type"]] = message.type
    gift = (message.type or "").upper() == "GIFT"
    return {"gift_message" if gift else "customer_note": message.message}


def _charges(order: CreateOrder, metadata: dict[str, Any]) -> dict[str, Any]:
    charges = order.charges
    if charges is None:
        return {}
    metadata[META["billing_status"]] = blank(charges.billing_status)
    metadata[META["payment_type"]] = blank(charges.payment_type)
    amounts = zip(CHARGE_TYPES, (charges.sub_total, charges.total_paid), strict=True)
    return {
        "currency": charges.currency,
        "order_amount": charges.gmv,
        "charges": [{"type": kind, "amount": amount} for kind, amount in amounts if amount is not None],
    }


def _references(order: CreateOrder) -> tuple[list[dict[str, Any]], str | None]:
    refs: list[dict[str, Any]] = [{"key": entry.name, "value": entry.value} for entry in order.metadata]
    shipping = order.shipping_reference
    if shipping is None:
        return refs, None
    values = (
        shipping.reference1,
        shipping.reference2,
        shipping.reference3,
        shipping.reference4,
        shipping.shipper_reference,
        shipping.transportation_reference,
    )
    refs += [
        {"key": key, "value": value}
        for key, value in zip(REFERENCE_KEYS, values, strict=True)
        if blank(value) is not None
    ]
    return refs, blank(shipping.shipping_notes)


def _buyer(order: CreateOrder, metadata: dict[str, Any]) -> dict[str, Any] | None:
    info = order.customer_info
    if info is None:
        return None
    first, last = blank(info.first_name), blank(info.last_name)
    metadata[META["first_name"]], metadata[META["last_name"]] = first, last
    name = " ".join(part for part in (first, last) if part) or None
    return (
        prune(
            {
                "name": name,
                "email": blank(info.email),
                "phone": blank(info.phone),
                "customer_id": blank(info.customer_id),
            }
        )
        or None
    )


def to_draft(order: CreateOrder) -> dict[str, Any]:
    """The canonical draft of a Create Order body (vendor-only fields in ``metadata``)."""
    metadata: dict[str, Any] = {}
    references, shipping_notes = _references(order)
    preferences = order.shipping_preferences
    carrier = blank(preferences.carrier) if preferences else None
    metadata[META["extra"]] = pack_extras(collect_extras(order, skip=("items",)))
    draft = {
        "external_reference": order.order_number,
        **_message(order, metadata),
        **_charges(order, metadata),
        "references": references,
        "internal_note": shipping_notes,
        "buyer": _buyer(order, metadata),
        "ship_from": _address(order.from_address),
        "ship_to": _address(order.to_address),
        "lines": [_line(item) for item in order.items],
        "additional_addresses": [
            {"type": blank(extra.type) or "additional", "address": _address(extra)}
            for extra in order.additional_addresses
        ],
        "transport_detail": (
            {"carrier_code": carrier, "service_level_code": blank(preferences.service)}
            if carrier and preferences
            else None
        ),
        "metadata": prune(metadata) or None,
    }
    return draft


# --- response ----------------------------------------------------------------------------------


def _number(value: Any) -> int | float | None:
    text = decimal_text(value)
    if text is None:
        return None
    return int(text) if "." not in text else float(text)


def _address_out(address: dict[str, Any] | None) -> dict[str, Any] | None:
    if not address:
        return None
    lines = [address.get(key) for key in ("address1", "address2", "address3")]
    if not lines[0] and address.get("street"):
        number = " ".join(p for p in (address.get("house_number"), address.get("house_number_addition")) if p)
        lines[0] = f"{address['street']} {number}".strip()
    out = {
        "name": address.get("name") or address.get("contact_person"),
        "company": address.get("company"),
        "addressLines": [line for line in lines if line],
        "addressLine1": lines[0],
        "addressLine2": lines[1],
        "addressLine3": lines[2],
        "cityTown": address.get("city"),
        "stateProvince": address.get("state"),
        "postalCode": address.get("postal_code"),
        "countryCode": address.get("country"),
        "phone": address.get("phone"),
        "email": address.get("email"),
        "residential": address.get("residential"),
    }
    return prune(out)


def _item(line: dict[str, Any]) -> dict[str, Any]:
    metadata = line.get("metadata") or {}
    item = prune(
        {
            "customProductId": line.get("product_id") if metadata.get(LINE_CUSTOM_PRODUCT) else None,
            "sku": line.get("sku"),
            "name": line.get("description"),
            "quantity": line.get("quantity"),
            "unitPrice": _number(line.get("unit_price")),
            "weight": _number(line.get("weight")),
            "weightUnit": line.get("weight_unit"),
            "hsTariffCode": line.get("hs_code"),
            "originCountryCode": line.get("country_of_origin"),
            "imageUrl": line.get("image_url"),
        }
    )
    return restore_extras(item, unpack_extras(metadata.get(LINE_EXTRA)))


def _message_out(order: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any] | None:
    kept = metadata.get(META["message_type"])
    if order.get("gift_message"):
        return prune(
            {"type": kept if (kept or "").upper() == "GIFT" else "GIFT", "message": order["gift_message"]}
        )
    if order.get("customer_note"):
        return prune(
            {"type": kept if (kept or "").upper() != "GIFT" else None, "message": order["customer_note"]}
        )
    return None


def _charges_out(order: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any] | None:
    amounts = {
        c["type"]: _number(c["amount"]) for c in order.get("charges") or [] if c.get("type") in CHARGE_TYPES
    }
    charges = prune(
        {
            "currency": order.get("currency"),
            "billingStatus": metadata.get(META["billing_status"]),
            "gmv": _number(order.get("order_amount")),
            "subTotal": amounts.get("subTotal"),
            "totalPaid": amounts.get("totalPaid"),
            "paymentType": metadata.get(META["payment_type"]),
        }
    )
    return charges or None


def _customer_out(order: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any] | None:
    buyer = order.get("buyer")
    if not buyer:
        return None
    first, last = metadata.get(META["first_name"]), metadata.get(META["last_name"])
    name = buyer.get("name")
    if " ".join(p for p in (first, last) if p) != (name or ""):
        first, _, last = (name or "").partition(" ")
    return (
        prune(
            {
                "firstName": first or None,
                "lastName": last or None,
                "email": buyer.get("email"),
                "phone": buyer.get("phone"),
                "customerId": buyer.get("customer_id"),
            }
        )
        or None
    )


def _shipping_reference(order: dict[str, Any]) -> dict[str, Any] | None:
    refs = {ref["key"]: ref["value"] for ref in order.get("references") or [] if ref["key"] in REFERENCE_KEYS}
    out = {key: refs.get(key) for key in REFERENCE_KEYS} | {"shippingNotes": order.get("internal_note")}
    return prune(out) or None


def _shipments(order: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for shipment in order.get("shipments") or []:
        tracking = shipment.get("tracking") or {}
        out.append(
            prune(
                {
                    "shipmentId": str(shipment.get("id")),
                    "status": shipment.get("status"),
                    "carrier": tracking.get("carrier_code"),
                    "service": tracking.get("service_level_code"),
                    "trackingNumber": tracking.get("tracking_number"),
                    "shipDate": utc_stamp(tracking.get("shipped_at"), millis=True),
                }
            )
        )
    return out


def created(order: dict[str, Any]) -> dict[str, Any]:
    """The page's create answer."""
    return {
        "orderId": order["id"],
        "orderNumber": order["external_reference"],
        "status": "Success",
        "transactionCreateDate": utc_stamp(order["created_at"], millis=True),
    }


def to_vendor(order: dict[str, Any]) -> dict[str, Any]:
    """A presented canonical order as ``GET /api/v1/orders/{orderId}`` answers it."""
    metadata = order.get("metadata") or {}
    transport = order.get("transport_detail")
    body = {
        **created(order),
        "status": STATUS.get(order["status"], "unfulfilled"),
        "lastModifiedDate": utc_stamp(order["updated_at"], millis=True),
        "orderMessage": _message_out(order, metadata),
        "metadata": [
            {"name": ref["key"], "value": ref["value"]}
            for ref in order.get("references") or []
            if ref["key"] not in REFERENCE_KEYS
        ],
        "charges": _charges_out(order, metadata),
        "shippingReference": _shipping_reference(order),
        "customerInfo": _customer_out(order, metadata),
        "fromAddress": _address_out(order.get("ship_from")),
        "toAddress": _address_out(order.get("ship_to")),
        "items": [_item(line) for line in order.get("lines") or []],
        "additionalAddresses": [
            {"type": extra["type"], **(_address_out(extra["address"]) or {})}
            for extra in order.get("additional_addresses") or []
        ],
        "shippingPreferences": (
            prune({"carrier": transport.get("carrier_code"), "service": transport.get("service_level_code")})
            if transport
            else None
        ),
        "shipments": _shipments(order),
    }
    body = {k: v for k, v in body.items() if v is not None}
    return restore_extras(body, unpack_extras(metadata.get(META["extra"])))
