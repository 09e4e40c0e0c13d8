"""The Logistics Plus orders page's own examples (seeds/002), as Python data.

Two of the page's payloads are not valid JSON as printed (trailing commas in the incoterm example's
``TransportDetail`` and ``forwardingData``); they are written here without them.
"""

from __future__ import annotations

from typing import Any

LAPTOP = "HP-SPX360-14-OLED-I7-16GB-1TB-NFBLK"
SKUS = (LAPTOP, "LGT-K380-BT-KYBD", "SAM-GS22ULTRA-SILCASE-BLK", "MyProduct")


def ship_to(organization: str, person: str, phone: str, email: str, street: str) -> dict[str, Any]:
    return {
        "address": {
            "organization": organization,
            "addressLine1": street,
            "addressLine2": "",
            "country": "USA",
            "state": "CA",
            "city": "Los Angeles",
            "postalCode": "90012",
        },
        "contact": {
            "personName": person,
            "phoneNumber": phone,
            "mobileNumber": "",
            "faxNumber": "",
            "emailAddress": email,
        },
    }


B2C = {
    "warehouseCode": "LAW",
    "primaryReference": "123456789",
    "secondaryReference": "SO000012345",
    "shipToAddress": ship_to(
        "John Smith", "John Smith", "123-456-7890", "john.smith@gmail.com", "1234 Main Street"
    ),
    "requiredShipDate": "2023-05-15T00:00:00+00:00",
    "orderLines": [
        {"externalLineReference": "001", "productCode": LAPTOP, "quantity": 1, "quantityUnit": "UNT"}
    ],
    "additionalReferences": [{"key": "ORD", "value": "ACME1234"}],
    "note": "BEST RATE - FEDEX OR UPS - 2DAY",
}

B2B = {
    "warehouseCode": "LAW",
    "primaryReference": "56784321",
    "secondaryReference": "PO100123",
    "shipToAddress": ship_to(
        "Target Store #100", "Jane Doe", "111-222-3333", "jane.doe@target.com", "123 Main Street"
    ),
    "requiredShipDate": "2023-05-15T00:00:00+00:00",
    "orderLines": [
        {
            "externalLineReference": "001",
            "productCode": "LGT-K380-BT-KYBD",
            "quantity": 15,
            "quantityUnit": "UNT",
        },
        {"externalLineReference": "002", "productCode": LAPTOP, "quantity": 22, "quantityUnit": "UNT"},
        {
            "externalLineReference": "003",
            "productCode": "SAM-GS22ULTRA-SILCASE-BLK",
            "quantity": 20,
            "quantityUnit": "UNT",
        },
    ],
    "additionalReferences": [{"key": "INV", "value": "INV100123"}],
}

# The rate-shopping and incoterm examples name no city or recipient; Wareflow needs both to ship
# (its canonical ship-to rule), so the replays add them — the page's fields are sent unchanged.
RATE_GROUP = {
    "WarehouseCode": "LAW",
    "PrimaryReference": "1234567890",
    "ShipToAddress": {"Address": {"AddressLine1": "123 Street", "Country": "US"}},
    "TransportDetail": None,
    "RateGroup": "RG",
    "OrderLines": [{"ProductCode": "MyProduct", "Quantity": 1.0}],
}

INCOTERM = {
    "WarehouseCode": "LAW",
    "PrimaryReference": "12345678901",
    "ShipToAddress": {"Address": {"AddressLine1": "123 Street", "Country": "CA"}},
    "TransportDetail": {"carrierCode": "FX", "serviceLevelCode": "GND"},
    "forwardingData": {"incoTerm": "DDP"},
    "OrderLines": [{"ProductCode": "MyProduct", "Quantity": 1.0}],
}

# The PATCH example: the B2C order with a new secondary reference and 3 laptops.
PATCH = {**B2C, "secondaryReference": "SO000023456", "orderLines": [{**B2C["orderLines"][0], "quantity": 3}]}

# The page's answer to B2C (ids and times are generated: compared separately).
B2C_ANSWER_DATA = {
    "status": "PRS",
    "warehouseCode": "LAW",
    "primaryReference": "123456789",
    "secondaryReference": "SO000012345",
    "shipToAddress": {
        "address": {**B2C["shipToAddress"]["address"], "isResidential": False},
        "contact": B2C["shipToAddress"]["contact"],
    },
    "requiredShipDate": "2023-05-15T00:00:00+00:00",
    "orderLines": [
        {
            "lineNumber": "1",
            "externalLineReference": "001",
            "productCode": LAPTOP,
            "quantity": 1,
            "quantityUnit": "UNT",
            "lineAttributes": [],
            "lineCustomAttributes": [],
            "partAttributes": [],
        }
    ],
    "additionalReferences": [{"key": "ORD", "value": "ACME1234"}],
    "note": "BEST RATE - FEDEX OR UPS - 2DAY",
}
B2C_ANSWER_SHIPMENT = {
    "status": "ENT",
    "warehouseCode": "LAW",
    "primaryReference": "123456789",
    "secondaryReference": "SO000012345",
    "shipToAddress": B2C_ANSWER_DATA["shipToAddress"],
    "requiredShipDate": "2023-05-15T00:00:00+00:00",
    "packages": [],
    "shipmentLines": [{"sublines": [], **B2C_ANSWER_DATA["orderLines"][0]}],  # type: ignore[dict-item]
    "milestones": [],
    "additionalReferences": [],
}
