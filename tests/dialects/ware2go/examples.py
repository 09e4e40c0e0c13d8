"""The Ware2Go page's own examples (seeds/000), as Python data.

The page prints its JSON without the outer braces and closing brackets; they are restored here.
Its response example is another order than its request example: ``RESPONSE_REQUEST`` is the
request that makes the order the response shows.
"""

from __future__ import annotations

from typing import Any

REQUEST: dict[str, Any] = {
    "referenceId": "ZX-1057",
    "companyName": "John Doe",
    "address1": "6805 Kettering Circle",
    "address2": None,
    "city": "Fair Oaks",
    "state": "CA",
    "zipCode": "95628",
    "country": "US",
    "shippingSpeed": "ECONOMY",
    "skuQuantities": [{"skuId": "WARE2GOBC2", "unitQuantity": 1}],
}

RESPONSE: dict[str, Any] = {
    "country": "USA",
    "zipCode": "14057",
    "address2": "suite 300",
    "orderId": "OA3-BNRU8KS-P47NU6E",
    "city": "EDEN",
    "address1": "3057 HILLBROOK DR",
    "buyerEmail": None,
    "companyName": "Test-A Reichel, McClure and Bergstrom",
    "referenceId": "OA3-BNRU8KS-P47NU6E",
    "skuQuantities": [
        {
            "skuName": None,
            "unitQuantity": 1,
            "upc": None,
            "proofOfDelivery": "No",
            "skuId": "WILSON1",
            "insuranceRequired": None,
        }
    ],
    "phoneNumber": "(555) 555-5555",
    "meta": {
        "dateTime": "2021-06-03T05:09:12.142Z",
        "traceId": "9005439809150844970",
        "serviceName": "openapi",
        "version": "1.0.0",
    },
    "purchaseOrderNumber": None,
    "state": "NY",
    "status": "DRAFT",
}

RESPONSE_REQUEST: dict[str, Any] = {
    "referenceId": "OA3-BNRU8KS-P47NU6E",
    "companyName": "Test-A Reichel, McClure and Bergstrom",
    "address1": "3057 HILLBROOK DR",
    "address2": "suite 300",
    "city": "EDEN",
    "state": "NY",
    "zipCode": "14057",
    "country": "USA",
    "phoneNumber": "(555) 555-5555",
    "skuQuantities": [{"skuId": "WILSON1", "unitQuantity": 1}],
}

SKUS = ("WARE2GOBC2", "WILSON1")
