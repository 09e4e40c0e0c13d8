"""eWarehousing order JSON ↔ the canonical order. Pure functions: no I/O, no clock.

- :func:`to_draft` / :func:`to_patch`: a validated vendor body → an ``OrderDraft``-shaped dict /
  an RFC 7396 merge patch of it (only the fields the client sent; ``null`` clears one);
- :func:`to_vendor`: a presented canonical order → eWarehousing's order, with the ``expand``
  groups asked for;
- :data:`STATUS` and :func:`canonical_statuses`: the status vocabulary both ways;
- :func:`vendor_pointer`: a canonical error pointer → the vendor field the client sent.

Amounts are cents on the vendor side and decimal strings in the canonical order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel

from wareflow.dialects.ewarehousing.schemas import OrderIn, OrderLine, OrderLinePatch, OrderPatch

STATUS: dict[str, str] = {
    "received": "created",
    "allocated": "created",
    "invalid_address": "invalid_address",
    "on_hold": "on_hold",
    "backordered": "backorder",
    "picking": "processing",
    "packed": "processing",
    "partially_shipped": "partially_shipped",
    "shipped": "shipped",
    "canceled": "cancelled",
}
# Every status the vendor documents; the ones Wareflow never reaches filter to an empty list.
VENDOR_STATUSES = frozenset(STATUS.values()) | {
    "planned",
    "plannable",
    "problem",
    "awaiting_documents",
    "restock",
    "shipment_waiting_for_ewh",
    "invalid",
}
CANCELABLE = frozenset({"created", "planned", "invalid_address"})  # the page's cancel rule
EXPAND_GROUPS = frozenset(
    {"shipping_address", "order_lines", "documents", "meta_data", "order_line_meta_data", "serial_numbers"}
)

# vendor field → canonical field, for the fields named differently
_RENAMED = {
    "note": "internal_note",
    "inco_terms": "incoterm",
    "inbound_vat_number": "gb_vat_number",
    "inbound_eori_number": "gb_eori_number",
    "meta_data": "metadata",
}
_ADDRESS = {
    "addressed_to": "name",
    "street": "street",
    "street_number": "house_number",
    "street_number_addition": "house_number_addition",
    "street2": "address2",
    "city": "city",
    "state": "state",
    "country": "country",
    "zipcode": "postal_code",
    "phone_number": "phone",
    "mobile_number": "mobile",
    "fax_number": "fax",
    "invalid": "invalid",
}
_AMOUNTS = ("order_amount", "assured_amount")
_HANDLED = {"order_lines", "shipping_address", "shipping_contactperson", "shipping_email", "documents"}


def canonical_statuses(vendor: str) -> list[str]:
    """The canonical statuses a vendor status filter means (none for ``planned`` & co)."""
    return [canonical for canonical, mine in STATUS.items() if mine == vendor]


# --- vendor → canonical ------------------------------------------------------------------------


def _blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value else value


def cents_to_decimal(cents: Decimal | int | None) -> str | None:
    return None if cents is None else format(Decimal(cents) / 100, "f")


def _plain(value: Any) -> Any:
    """JSON-ready: dates and UUIDs as strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value) if isinstance(value, uuid.UUID) else value


def _line(line: OrderLine | OrderLinePatch) -> dict[str, Any]:
    out = {
        "sku": line.article_code,
        "quantity": line.quantity,
        "description": _blank(line.description),
        "unit_price": cents_to_decimal(line.price),
        "metadata": line.meta_data or None,
    }
    return {key: value for key, value in out.items() if value is not None}


def _address(address: BaseModel, *, only_sent: bool) -> dict[str, Any]:
    names = address.model_fields_set if only_sent else set(type(address).model_fields)
    out = {_ADDRESS[name]: _blank(getattr(address, name)) for name in names}
    return out if only_sent else {key: value for key, value in out.items() if value is not None}


def _fields(body: BaseModel, names: set[str], *, patch: bool = False) -> dict[str, Any]:
    """The plain order fields among ``names``, renamed and converted (in a patch ``meta_data: {}``
    changes nothing; on create it is no metadata)."""
    out: dict[str, Any] = {}
    for name in names - _HANDLED:
        value = getattr(body, name)
        if name in _AMOUNTS:
            value = cents_to_decimal(value)
        elif name == "meta_data" and not patch:
            value = value or None
        out[_RENAMED.get(name, name)] = _blank(_plain(value))
    return out


def to_draft(body: OrderIn, warehouse_code: str) -> dict[str, Any]:
    """The canonical draft of a create; the warehouse is the one ``X-Wms-Code`` names."""
    ship_to = _address(body.shipping_address, only_sent=False)
    ship_to["contact_person"] = body.shipping_contactperson
    if body.shipping_email:
        ship_to["email"] = body.shipping_email
    draft = _fields(body, set(type(body).model_fields))
    draft.update(warehouse_code=warehouse_code, ship_to=ship_to, lines=[_line(x) for x in body.order_lines])
    return {key: value for key, value in draft.items() if value is not None}


def to_patch(body: OrderPatch) -> dict[str, Any]:
    """A merge patch with what the client sent: an explicit ``null`` (or ``""``) clears a field,
    ``order_lines`` replaces the lines, ``meta_data`` keys merge (``null`` removes one)."""
    sent = body.model_fields_set
    patch = _fields(body, set(sent), patch=True)
    ship_to: dict[str, Any] = {}
    if "shipping_address" in sent:
        address = body.shipping_address
        if address is None:
            patch["ship_to"] = None
        else:
            ship_to.update(_address(address, only_sent=True))
    if "shipping_contactperson" in sent:
        ship_to["contact_person"] = _blank(body.shipping_contactperson)
    if "shipping_email" in sent:
        ship_to["email"] = _blank(body.shipping_email)
    if ship_to and patch.get("ship_to", {}) is not None:
        patch["ship_to"] = ship_to
    if "order_lines" in sent:
        lines = body.order_lines
        patch["lines"] = None if lines is None else [_line(x) for x in lines]
    return patch


# --- canonical → vendor ------------------------------------------------------------------------


def decimal_to_cents(value: Any) -> int | float | None:
    """A canonical decimal as cents: an integer, or a number when it has fractions of a cent."""
    if value is None:
        return None
    cents = Decimal(str(value)) * 100
    whole = cents.to_integral_value(rounding=ROUND_HALF_UP)
    return int(whole) if whole == cents else float(cents)


def amount_cents(value: Any) -> int | None:
    """Order amounts are integers on the page: rounded to the cent."""
    if value is None:
        return None
    return int((Decimal(str(value)) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def stamp(value: str | None) -> str | None:
    """A stored ISO time as eWarehousing writes it: ``2021-11-12T14:05:43+00:00``."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def day(value: str | None) -> str | None:
    """A date as the page answers it: midnight UTC."""
    return None if value is None else f"{value[:10]}T00:00:00+00:00"


def shipping_address(ship_to: dict[str, Any]) -> dict[str, Any]:
    return {
        "addressed_to": ship_to.get("name") or ship_to.get("company"),
        "contact_person": ship_to.get("contact_person"),
        "street": ship_to.get("street") or ship_to.get("address1"),
        "street2": ship_to.get("address2"),
        "street_number": ship_to.get("house_number"),
        "street_number_addition": ship_to.get("house_number_addition"),
        "zipcode": ship_to.get("postal_code"),
        "city": ship_to.get("city"),
        "country": ship_to.get("country"),
        "state": ship_to.get("state"),
        "phone_number": ship_to.get("phone"),
        "mobile_number": ship_to.get("mobile"),
        "fax_number": ship_to.get("fax"),
        "email_address": ship_to.get("email"),
        "invalid": bool(ship_to.get("invalid")),
    }


def variant_of(line: dict[str, Any]) -> dict[str, Any]:
    """``{id, article_code, name}`` of the resolved product; the sent code when unresolved."""
    variant = line.get("variant") or {}
    return {
        "id": variant.get("id"),
        "article_code": variant.get("article_code") or variant.get("sku") or line["sku"],
        "name": variant.get("name"),
    }


def serial_numbers(order: dict[str, Any], line_number: int) -> list[str]:
    """Serial numbers the warehouse recorded for an order line, over its shipments."""
    found = []
    for shipment in order.get("shipments") or []:
        if shipment.get("status") == "canceled":
            continue
        for line in shipment.get("lines") or []:
            if line.get("line_number") == line_number:
                found += [s["serial_number"] for s in line.get("sublines") or [] if s.get("serial_number")]
    return found


def _order_line(order: dict[str, Any], line: dict[str, Any], expand: frozenset[str]) -> dict[str, Any]:
    out = {
        "variant": variant_of(line),
        "quantity": line["quantity"],
        "description": line.get("description"),
        "price": decimal_to_cents(line.get("unit_price")),
    }
    if "serial_numbers" in expand:
        out["serial_numbers"] = serial_numbers(order, line["line_number"])
    if "order_line_meta_data" in expand:
        out["meta_data"] = line.get("metadata") or {}
    return out


def to_vendor(
    order: dict[str, Any],
    *,
    customer: str,
    expand: frozenset[str] = frozenset(),
    documents: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The order as eWarehousing answers it; each ``expand`` group adds its part."""
    ship_to = order.get("ship_to") or {}
    answer: dict[str, Any] = {
        "id": order["id"],
        "created_at": stamp(order.get("created_at")),
        "requested_delivery_date": day(order.get("requested_delivery_date")),
        "customer": customer,
        "external_reference": order["external_reference"],
        "external_id": order.get("external_id"),
        "po_number": order.get("po_number"),
        "reference": order.get("number"),
        "status": STATUS.get(order["status"], "created"),
        "shipping_method": order.get("shipping_method"),
        "business_to_business": bool(order.get("is_b2b")),
        "language": order.get("language"),
        "note": order.get("internal_note"),
        "customer_note": order.get("customer_note"),
        "order_amount": amount_cents(order.get("order_amount")),
        "assured_amount": amount_cents(order.get("assured_amount")),
        "inco_terms": order.get("incoterm"),
        "currency": order.get("currency"),
        "ioss_number": order.get("ioss_number"),
        "eori_number": order.get("eori_number"),
        "vat_number": order.get("vat_number"),
        "inbound_vat_number": order.get("gb_vat_number"),
        "inbound_eori_number": order.get("gb_eori_number"),
    }
    if "shipping_address" in expand:
        answer["shipping_address"] = shipping_address(ship_to)
    if "order_lines" in expand:
        answer["order_lines"] = [_order_line(order, line, expand) for line in order.get("lines") or []]
    if "documents" in expand:
        answer["documents"] = documents or []
    if "meta_data" in expand:
        answer["meta_data"] = order.get("metadata") or {}
    return answer


def parse_expand(values: list[str]) -> frozenset[str]:
    """The ``expand`` header(s): comma-separated groups, any case and spacing; unknown ones
    are ignored as the vendor does."""
    groups = {part.strip().lower() for value in values for part in value.split(",")}
    return frozenset(groups & EXPAND_GROUPS)


# --- error pointers ----------------------------------------------------------------------------

_ORDER_POINTERS = {canonical: vendor for vendor, canonical in _RENAMED.items()} | {
    "lines": "order_lines",
    "ship_to": "shipping_address",
    "warehouse_code": "X-Wms-Code",
}
_ADDRESS_POINTERS = {canonical: vendor for vendor, canonical in _ADDRESS.items()} | {
    "address1": "street",
    "company": "addressed_to",
    "contact_person": "/shipping_contactperson",
    "email": "/shipping_email",
}
_LINE_POINTERS = {"sku": "article_code", "unit_price": "price", "metadata": "meta_data"}


def vendor_pointer(pointer: str) -> str:
    """``/ship_to/postal_code`` → ``/shipping_address/zipcode``, ``/lines/0/sku`` →
    ``/order_lines/0/article_code``, ``/ship_to/email`` → ``/shipping_email``."""
    parts = pointer.split("/")[1:]
    if not parts:
        return pointer
    head, rest = parts[0], parts[1:]
    if head == "ship_to" and rest:
        field = _ADDRESS_POINTERS.get(rest[0], rest[0])
        if field.startswith("/"):
            return field
        return "/" + "/".join(["shipping_address", field, *rest[1:]])
    if head == "lines" and len(rest) >= 2:
        return "/" + "/".join(["order_lines", rest[0], _LINE_POINTERS.get(rest[1], rest[1]), *rest[2:]])
    return "/" + "/".join([_ORDER_POINTERS.get(head, head), *rest])
