"""Vendor dialects: each vendor's order API, spoken over the one canonical core.

Every dialect is a package with ``schemas.py`` (the vendor's payloads), ``translate.py``
(vendor JSON ↔ canonical order, pure functions) and ``router.py`` (its paths, auth header and
error shape). This table is the one place they are registered: ``/compat/<name>`` + the vendor's
own paths, so a client written for the vendor only changes its base URL and key.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI

# name → module holding ``router`` (an APIRouter with the vendor's own paths)
DIALECTS: dict[str, str] = {
    "logisticsplus": "wareflow.dialects.logisticsplus.router",
    "webship": "wareflow.dialects.webship.router",
    "oms": "wareflow.dialects.oms.router",
    "ware2go": "wareflow.dialects.ware2go.router",
    "ewarehousing": "wareflow.dialects.ewarehousing.router",
}


def mount(app: FastAPI) -> None:
    for name, module in DIALECTS.items():
        app.include_router(import_module(module).router, prefix=f"/compat/{name}")
