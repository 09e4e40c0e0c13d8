"""The Pitney Bowes Create Order page's request sample (seeds/004).

The page shows the sample's objects collapsed (``"orderMessage": {}``…); their content here is
the same sample as Pitney Bowes' published reference expands it. Its ``toAddress`` is cut off
after the phone in the copy we have, and its items and additional addresses are not shown: those
are filled in with the page's own words ("customProductId, or item fields with at least sku and
quantity").
"""

from __future__ import annotations

from typing import Any

SKU = "PB-MUG-01"
CUSTOM_PRODUCT = "PB-CUSTOM-42"

CREATE_ORDER: dict[str, Any] = {
    "orderNumber": "ORD12346",
    "orderMessage": {"type": "GIFT", "message": "Happy Birthday! Enjoy your gift."},
    "metadata": [
        {"name": "costAccountName", "value": "costAccountName12"},
        {"name": "costAccountId", "value": "costAccountId12"},
        {"name": "costAccountCode", "value": "Code12"},
    ],
    "charges": {
        "currency": "USD",
        "billingStatus": "Paid",
        "gmv": 100,
        "subTotal": 90,
        "totalPaid": 100,
        "paymentType": "Credit Card",
    },
    "shippingReference": {
        "reference1": "reference1",
        "reference2": "reference2",
        "reference3": "reference3",
        "reference4": "reference4",
        "shipperReference": "Shipper123",
        "transportationReference": "TransRef2025",
        "shippingNotes": "Handle with care",
    },
    "customerInfo": {
        "firstName": "John",
        "lastName": "Doe",
        "email": "john.doe@example.com",
        "customerId": "CUST12345",
    },
    "fromAddress": {
        "name": "Warehouse A",
        "company": "Company Name",
        "addressLine1": "638 Manitoba Ave",
        "addressLine2": "Apt 4B",
        "addressLine3": "Near City Park",
        "cityTown": "Winnipeg",
        "stateProvince": "MB",
        "postalCode": "R2W 2H2",
        "countryCode": "CA",
        "phone": "1234567890",
        "email": "warehouse@email.com",
        "residential": False,
    },
    "toAddress": {
        "name": "Jane Smith",
        "company": "Company ABC",
        "addressLine1": "1822 Franklin Street",
        "addressLine2": "3010 Summer Street",
        "addressLine3": "Near City Park",
        "cityTown": "Vancouver",
        "stateProvince": "BC",
        "postalCode": "V5L 1P8",
        "countryCode": "CA",
        "phone": "1234567890",
        "email": "jane.smith@example.com",
        "residential": True,
    },
    "items": [
        {"customProductId": CUSTOM_PRODUCT},
        {"sku": SKU, "name": "Mug", "quantity": 2, "unitPrice": 45},
    ],
    "additionalAddresses": [
        {
            "type": "billing",
            "name": "John Doe",
            "addressLines": ["1 Main St"],
            "cityTown": "Winnipeg",
            "stateProvince": "MB",
            "postalCode": "R2W 2H2",
            "countryCode": "CA",
        }
    ],
    "shippingPreferences": {"carrier": "USPS", "service": "PM"},
}
