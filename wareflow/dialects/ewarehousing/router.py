"""eWarehousing Solutions at ``/compat/ewarehousing``: every path of its orders page plus
articles, stock and shipments, each with and without its trailing slash (never a redirect).

Auth: ``Authorization: Bearer`` with a Wareflow key or a token from ``/wms/auth/login/``; the
``X-Wms-Code`` warehouse and ``X-Customer-Code`` organization headers (see :mod:`.auth`).
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from wareflow.core.errors import NotFound
from wareflow.dialects.common import vendor_errors
from wareflow.dialects.ewarehousing import auth, catalog, documents, errors, orders, shipments
from wareflow.dialects.ewarehousing.paging import route

router = APIRouter(tags=["dialect: eWarehousing"])
_auth = APIRouter(route_class=vendor_errors(errors.answer))
route(_auth, "/wms/auth/login/", ["POST"], summary="eWarehousing: log in")(auth.login)
route(_auth, "/wms/auth/refresh/", ["POST"], summary="eWarehousing: refresh a token")(auth.refresh)
_fallback = APIRouter(route_class=vendor_errors(errors.answer))


@_fallback.api_route(
    "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
async def unknown(path: str) -> Response:
    """Anything else under the prefix answers in the vendor's shape, not the native one."""
    raise NotFound(f'No route found for "/{path}"')


for part in (_auth, orders.router, documents.router, catalog.router, shipments.router, _fallback):
    router.include_router(part)
