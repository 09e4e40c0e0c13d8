"""An order's shipments in Logistics Plus' shape: lines with serial sublines, packages with packed
lines, tracking, actual ship date, cost and milestones.

They are read from the canonical order's ``shipments`` (what the warehouse did). Until the
warehouse has made one, the page's create answer shows a single shipment built from the order
lines whose status follows the order (ENT, HEL while held, CAN when canceled): that is shown here
too, with a stable id derived from the order's.
"""

from __future__ import annotations

from typing import Any

from wareflow.dialects.logisticsplus import translate as t
from wareflow.dialects.translating import decimal_text, prune, utc_stamp


def _number(value: Any) -> Any:
    """Quantities and measures as JSON numbers (the page writes ``1.000``, ``7.950``)."""
    text = decimal_text(value)
    if text is None:
        return None
    return int(text) if "." not in text else float(text)


def _serials(subline: dict[str, Any]) -> list[dict[str, Any]]:
    attributes = []
    if subline.get("serial_number"):
        attributes.append({"key": "Serial Number", "value": subline["serial_number"]})
    if subline.get("lot"):
        attributes.append({"key": "Lot Number", "value": subline["lot"]})
    return attributes


def _shipment_line(line: dict[str, Any], ordered: dict[int, dict[str, Any]]) -> dict[str, Any]:
    base = ordered.get(line.get("line_number") or 0, {})
    sublines = [
        {"quantity": _number(sub.get("quantity")), "partAttributes": _serials(sub)}
        for sub in line.get("sublines") or []
    ]
    part_attributes = [
        {"key": attribute["key"].upper(), "value": attribute["value"]}
        for sub in sublines
        for attribute in sub["partAttributes"]
    ]
    return {
        "sublines": sublines,
        "lineNumber": str(line.get("line_number")),
        "externalLineReference": base.get("external_line_reference"),
        "productCode": line.get("sku") or base.get("sku"),
        "quantity": _number(line.get("quantity")),
        "quantityUnit": t._unit(base),
        "lineAttributes": [],
        "lineCustomAttributes": [],
        "partAttributes": part_attributes,
    }


def _package(package: dict[str, Any], ordered: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return prune(
        {
            "packageReference": package.get("reference"),
            "weight": _number(package.get("weight")),
            "weightUnit": (package.get("weight_unit") or "").upper() or None,
            "length": _number(package.get("length")),
            "width": _number(package.get("width")),
            "height": _number(package.get("height")),
            "dimUnit": (package.get("dim_unit") or "").upper() or None,
            "packageType": package.get("package_type"),
            "packedLines": [
                {
                    "quantity": _number(packed.get("quantity")),
                    "orderLineReference": str(packed.get("line_number")),
                    "orderSubLineReference": "0",
                    "productCode": ordered.get(packed.get("line_number") or 0, {}).get("sku"),
                }
                for packed in package.get("lines") or []
            ],
        }
    )


def _milestone(milestone: dict[str, Any]) -> dict[str, Any]:
    code = str(milestone.get("code") or "")
    vendor_code, description = t.MILESTONES.get(code, (code.upper(), None))
    return {
        "code": vendor_code,
        "description": description or milestone.get("description") or code,
        "sequence": str(milestone.get("sequence")),
        "actualDate": utc_stamp(milestone.get("occurred_at")),
    }


def _tracking(tracking: dict[str, Any] | None) -> dict[str, Any]:
    if not tracking:
        return {}
    return {
        "actualShipDate": utc_stamp(tracking.get("shipped_at")),
        "trackingDetail": prune(
            {
                "carrierCode": tracking.get("carrier_code") or "",
                "carrierName": tracking.get("carrier_name"),
                "serviceLevelCode": tracking.get("service_level_code") or "",
                "trackingNumber": tracking.get("tracking_number") or "",
            }
        ),
        "totalCost": decimal_text(tracking.get("cost")),
        "totalCostUnit": tracking.get("currency"),
    }


def _common(order: dict[str, Any]) -> dict[str, Any]:
    return {
        "warehouseCode": order.get("warehouse_code"),
        "primaryReference": order["external_reference"],
        "secondaryReference": order.get("secondary_reference"),
        "shipToAddress": t.ship_to_address(order),
        "requiredShipDate": t.required_ship_date(order),
    }


def _shipment(order: dict[str, Any], shipment: dict[str, Any]) -> dict[str, Any]:
    ordered = {line["line_number"]: line for line in order.get("lines") or []}
    status = t.SHIPMENT_STATUS.get(str(shipment.get("status")), "ENT")
    out: dict[str, Any] = {
        "id": str(shipment.get("id")),
        "status": status,
        "dateCreated": utc_stamp(shipment.get("created_at") or order.get("created_at")),
        "dateLastUpdated": utc_stamp(shipment.get("updated_at") or order.get("updated_at")),
        **_tracking(shipment.get("tracking")),
        **_common(order),
        "packages": [_package(p, ordered) for p in shipment.get("packages") or []],
        "shipmentLines": [_shipment_line(line, ordered) for line in shipment.get("lines") or []],
        "milestones": [_milestone(m) for m in shipment.get("milestones") or []],
        # The page shows a shipment's references once it is on its way (none while ENT or HEL).
        "additionalReferences": [] if status in ("ENT", "HEL") else t._references(order),
    }
    if shipment.get("number"):
        out["wmsId"] = shipment["number"]
    return {k: v for k, v in out.items() if v is not None}


def _pending(order: dict[str, Any]) -> dict[str, Any]:
    lines = order.get("lines") or []
    ordered = {line["line_number"]: line for line in lines}
    out = {
        "id": t.shipment_id(order["id"]),
        "status": t.PENDING_SHIPMENT_STATUS.get(order["status"], "ENT"),
        "dateCreated": utc_stamp(order.get("created_at")),
        "dateLastUpdated": utc_stamp(order.get("updated_at")),
        **_common(order),
        "packages": [],
        "shipmentLines": [_shipment_line(line, ordered) for line in lines],
        "milestones": [],
        "additionalReferences": [],
    }
    return {k: v for k, v in out.items() if v is not None}


def shipments_of(order: dict[str, Any]) -> list[dict[str, Any]]:
    shipments = order.get("shipments") or []
    if not shipments:
        return [_pending(order)]
    return [_shipment(order, shipment) for shipment in shipments]
