"""Packing slips and pick lists as PDF, with Code 128 barcodes, drawn by reportlab.

Pure functions: data in, PDF bytes out (no database, no files).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

_MARGIN = 15 * mm
_ROW = 12 * mm


def _barcode(canvas: Canvas, value: str, x: float, y: float, height: float = 10 * mm) -> None:
    code128.Code128(value, barHeight=height, barWidth=0.9).drawOn(canvas, x, y)


def _header(canvas: Canvas, title: str, number: str, subtitle: str) -> float:
    width, height = A4
    y = height - _MARGIN
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(_MARGIN, y - 6 * mm, title)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(_MARGIN, y - 12 * mm, subtitle)
    canvas.drawRightString(width - _MARGIN, y - 6 * mm, number)
    _barcode(canvas, number, width - _MARGIN - 70 * mm, y - 26 * mm)
    return float(y - 36 * mm)


def _address(canvas: Canvas, lines: list[str], y: float) -> float:
    canvas.setFont("Helvetica", 10)
    for text in lines:
        canvas.drawString(_MARGIN, y, text)
        y -= 5 * mm
    return float(y - 5 * mm)


def packing_slip(order: dict[str, Any], shipment: dict[str, Any]) -> bytes:
    """One page per ~18 lines: the ship-to, the order's references and each packed line
    with its SKU as a barcode, so the packer can scan what goes in the box."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"Packing slip {order['number']}")
    ship_to = order["ship_to"]
    address = [
        p
        for p in (
            ship_to.get("name"),
            ship_to.get("company"),
            ship_to.get("address1"),
            ship_to.get("address2"),
            " ".join(x for x in (ship_to.get("postal_code"), ship_to.get("city"), ship_to.get("state")) if x),
            ship_to.get("country"),
        )
        if p
    ]
    y = _header(
        canvas,
        "Packing slip",
        order["number"],
        f"Reference {order['external_reference']}  ·  shipment {shipment['number']}",
    )
    y = _address(canvas, address, y)
    for line in shipment["lines"]:
        if not line["quantity"]:
            continue
        if y < _MARGIN + _ROW:
            canvas.showPage()
            y = A4[1] - _MARGIN - 10 * mm
        canvas.setFont("Helvetica", 10)
        canvas.drawString(_MARGIN, y, f"{line['quantity']} x {line['sku']}")
        serials = [s["serial_number"] for s in line.get("sublines", []) if s.get("serial_number")]
        if serials:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(_MARGIN, y - 4 * mm, "Serials: " + ", ".join(serials))
        _barcode(canvas, line["sku"], 110 * mm, y - 3 * mm, 8 * mm)
        y -= _ROW
    canvas.save()
    return buffer.getvalue()


def pick_list(number: str, warehouse_code: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """The walk through the warehouse: bin, SKU (barcode), quantity, shipment — bin by bin."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"Pick list {number}")
    y = _header(canvas, "Pick list", number, f"Warehouse {warehouse_code}  ·  {len(rows)} lines")
    for row in rows:
        if y < _MARGIN + _ROW:
            canvas.showPage()
            y = A4[1] - _MARGIN - 10 * mm
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(_MARGIN, y, row.get("location") or "—")
        canvas.setFont("Helvetica", 10)
        canvas.drawString(_MARGIN + 25 * mm, y, f"{row['quantity']} x {row['sku']}")
        canvas.setFont("Helvetica", 8)
        canvas.drawString(
            _MARGIN + 25 * mm, y - 4 * mm, f"{row['shipment_number']} line {row['line_number']}"
        )
        _barcode(canvas, row["sku"], 115 * mm, y - 3 * mm, 8 * mm)
        y -= _ROW
    canvas.save()
    return buffer.getvalue()
