"""The XPS Ship Put Order page's example (seeds/003), as Python data.

The page prints it without its outer braces and with unclosed objects; this is the same content
as valid JSON. Its URL names order ``123456`` while the body says ``123ABC``: the field table
requires them to match, so the replay puts it at ``…/orders/123ABC`` (the mismatch is tested as a
refusal) and uses the test organization's slug as ``customerId`` (``TEST00002`` in the page).
"""

from __future__ import annotations

from typing import Any

SKU = "ade3-fe21-bb9a"
INTEGRATION = "3214"

PUT_ORDER: dict[str, Any] = {
    "orderId": "123ABC",
    "orderDate": "2016-04-24",
    "orderNumber": "abc123",
    "fulfillmentStatus": "pending",
    "shippingService": "Standard",
    "shippingTotal": "8.24",
    "weightUnit": "lb",
    "dimUnit": "in",
    "dueByDate": "2016-04-26",
    "orderGroup": "Workstation 1",
    "contentDescription": "Stuff and things",
    "sender": {
        "name": "Albert Jones",
        "company": "Jones Co.",
        "address1": "123 Some Street",
        "address2": "#54",
        "city": "Holladay",
        "state": "UT",
        "zip": "84117",
        "country": "US",
        "phone": "8015042351",
        "email": "albert@jones.egg",
    },
    "returnTo": {
        "name": "Steve Smith",
        "company": "Smith Co.",
        "address1": "123 A street",
        "address2": "Apt 7",
        "city": "American Fork",
        "state": "UT",
        "zip": "84115",
        "country": "US",
        "phone": "8015555555",
        "email": "steve@smith.egg",
    },
    "receiver": {
        "name": "Alice Janson",
        "company": "",
        "address1": "54 Green St.",
        "address2": "",
        "city": "Salt Lake City",
        "state": "UT",
        "zip": "84106",
        "country": "US",
        "phone": "8013920046",
        "email": "alice@jensen.egg",
    },
    "items": [
        {
            "productId": "856673",
            "sku": SKU,
            "title": "Socks",
            "price": "3.99",
            "quantity": 2,
            "weight": "0.5",
            "imgUrl": "http://sockstore.egg/img/856673",
            "htsNumber": "555555",
            "countryOfOrigin": "US",
            "lineId": "1",
            "pickLocation": "100-03S",
        }
    ],
    "packages": [
        {
            "weight": "0.5",
            "length": "6",
            "width": "5",
            "height": "2.5",
            "insuranceAmount": None,
            "declaredValue": None,
        }
    ],
}
