"""The eWarehousing orders page's own examples (seeds/001), as Python data."""

from __future__ import annotations

from typing import Any

ARTICLE = "default_variant_b_id"  # the page's article code (and its variant's name)

CREATE_REQUEST: dict[str, Any] = {
    "external_reference": "WEB-10001",
    "external_id": "order-10001",
    "po_number": "PO-841612",
    "shipping_contactperson": "Warehouse Team",
    "shipping_email": "outbound@example.com",
    "requested_delivery_date": "2026-04-18",
    "note": "Leave the parcel at the front desk.",
    "customer_note": "Gift order",
    "language": "en",
    "currency": "EUR",
    "order_amount": 4599,
    "assured_amount": 4599,
    "meta_data": {"sales_channel": "webshop", "priority": "normal"},
    "shipping_address": {
        "addressed_to": "eWarehousing Solutions",
        "street": "Nijverheidsweg",
        "street_number": "27",
        "zipcode": "3331MB",
        "city": "Zwijndrecht",
        "country": "NL",
    },
    "order_lines": [
        {
            "article_code": ARTICLE,
            "quantity": 2,
            "description": "Blue T-shirt size M",
            "price": 2299,
            "meta_data": {"gift_wrap": "true"},
        }
    ],
}

CREATE_RESPONSE: dict[str, Any] = {
    "id": "8faf6cd6-28e7-4e44-a258-4e927d8e680c",
    "created_at": "2026-04-17T14:36:42+00:00",
    "requested_delivery_date": "2026-04-18T00:00:00+00:00",
    "customer": "be62c27e-2aac-4ac1-902e-f770d64f8dce",
    "external_reference": "WEB-10001",
    "external_id": "order-10001",
    "po_number": "PO-841612",
    "reference": "ORD00000005939",
    "status": "created",
    "shipping_method": "9eb93dd6-6929-4b91-8419-8a619a72905b",
    "language": "en",
    "note": "Leave the parcel at the front desk.",
    "customer_note": "Gift order",
    "order_amount": 4599,
    "assured_amount": 4599,
    "currency": "EUR",
}

# The page's GET example is another order: this request makes that order.
GET_ORDER_REQUEST: dict[str, Any] = {
    **CREATE_REQUEST,
    "po_number": "841612",
    "requested_delivery_date": "2022-02-14",
    "inco_terms": "DAP",
    "order_lines": [
        {
            "article_code": ARTICLE,
            "quantity": 7,
            "description": "Blue T-shirt size M",
            "meta_data": {"gift_wrap": "true"},
        }
    ],
}
EXPAND_ALL = "shipping_address,order_lines,documents,meta_data,order_line_meta_data,serial_numbers"

GET_RESPONSE: dict[str, Any] = {
    "id": "c9165f93-8301-4aaa-9f64-27f191c0c778",
    "created_at": "2022-02-11T09:32:12+00:00",
    "requested_delivery_date": "2022-02-14T00:00:00+00:00",
    "customer": "be62c27e-2aac-4ac1-902e-f770d64f8dce",
    "external_reference": "WEB-10001",
    "external_id": "order-10001",
    "po_number": "841612",
    "reference": "ORD00000003029",
    "status": "created",
    "shipping_method": "9eb93dd6-6929-4b91-8419-8a619a72905b",
    "language": "en",
    "note": "Leave the parcel at the front desk.",
    "customer_note": "Gift order",
    "order_amount": 4599,
    "assured_amount": 4599,
    "inco_terms": "DAP",
    "currency": "EUR",
    "shipping_address": {
        "addressed_to": "eWarehousing Solutions",
        "contact_person": "Warehouse Team",
        "street": "Nijverheidsweg",
        "street_number": "27",
        "zipcode": "3331MB",
        "city": "Zwijndrecht",
        "country": "NL",
        "email_address": "outbound@example.com",
    },
    "order_lines": [
        {
            "variant": {
                "id": "87557e7a-4f4d-44eb-bbf1-c9d83df90099",
                "article_code": "default_variant_b_id",
                "name": "default_variant_b_id",
            },
            "quantity": 7,
            "description": "Blue T-shirt size M",
            "serial_numbers": ["SN-0001", "SN-0002"],
            "meta_data": {"gift_wrap": "true"},
        }
    ],
    "documents": [
        {
            "id": "8067cdfb-cb22-4490-902d-a9863f38f76f",
            "title": "packing-slip.pdf",
            "mime_type": "application/pdf",
            "quantity": 1,
            "is_shipping_label": False,
            "order_price": 0,
        }
    ],
    "meta_data": {"sales_channel": "webshop", "priority": "normal"},
}

LIST_QUERY = "?external_reference=WEB-10001&status=created&limit=10"
LIST_ITEM_FIELDS = (
    "id",
    "created_at",
    "requested_delivery_date",
    "customer",
    "external_reference",
    "external_id",
    "po_number",
    "reference",
    "status",
    "shipping_method",
    "currency",
)

PATCH_REQUEST: dict[str, Any] = {
    "note": "Leave the parcel at the neighbors if needed.",
    "shipping_email": "outbound@example.com",
    "meta_data": {"priority": "high"},
    "order_lines": [
        {"article_code": ARTICLE, "description": "Blue T-shirt size M", "quantity": 3, "price": 2299}
    ],
}
PATCH_RESPONSE: dict[str, Any] = {
    "id": "4fdb3055-4b1d-4352-96d5-2a89f9f50680",
    "external_reference": "WEB-10001",
    "external_id": "order-10001",
    "po_number": "PO-841612",
    "status": "created",
    "note": "Leave the parcel at the neighbors if needed.",
    "shipping_method": "9eb93dd6-6929-4b91-8419-8a619a72905b",
}

# The page's document example sends "base64 encoded string" as a placeholder: a real PDF here.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADD_DOCUMENT_REQUEST: dict[str, Any] = {
    "file": "base64 encoded string",
    "title": "my_label",
    "quantity": 1,
    "order_price": 115,
    "shipping_label": False,
}
DOCUMENT_RESPONSE: dict[str, Any] = {
    "id": "8067cdfb-cb22-4490-902d-a9863f38f76f",
    "title": "customs_file.pdf",
    "mime_type": "application/pdf",
    "quantity": 1,
}

# Generated by the server: compared by shape, not value.
GENERATED = frozenset({"id", "created_at", "customer", "reference", "shipping_method"})
