"""The UI as an application mounted at ``/ui`` by ``create_app``: its own error pages (HTML, not
problem+json), security headers, static files, and the API's state (database, settings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from wareflow.core.errors import DomainError
from wareflow.ui import (
    account,
    auth,
    dashboard,
    keys,
    orders,
    packing,
    picking,
    render,
    stock,
    users,
    webhooks,
)
from wareflow.ui.context import SignInRequired

log = structlog.get_logger()
STATIC = Path(__file__).parent / "static"
# Only this origin's scripts, styles and forms; no framing (clickjacking).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def _error(request: Request, status: int, title: str, detail: str) -> Response:
    return render.page(request, "error.html", {"title": title, "detail": detail}, status=status)


def _sign_in(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = f"/ui/sign-in?next={quote(target if request.method == 'GET' else '/ui/')}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"hx-redirect": url})
    return RedirectResponse(url, status_code=303)


def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    details = " ".join(e.message for e in exc.errors)
    return _error(request, exc.status, exc.title, f"{exc.detail} {details}".strip())


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = "Not found" if exc.status_code == 404 else str(exc.detail)
    return _error(request, exc.status_code, title, "There is no such page." if exc.status_code == 404 else "")


def _invalid(request: Request, exc: Exception) -> Response:
    return _error(request, 400, "Bad request", "The address has parameters this page does not understand.")


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("ui_error", path=request.url.path, error=type(exc).__name__)
    return _error(request, 500, "Something went wrong", "Nothing was saved. Try again, or tell the team.")


def create_ui(parent: FastAPI) -> FastAPI:
    ui = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    ui.state = parent.state  # the database, settings and caches the API uses
    ui.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, dashboard, orders, picking, packing, stock, webhooks, keys, users, account):
        ui.include_router(module.router)
    ui.add_exception_handler(SignInRequired, _sign_in)
    ui.add_exception_handler(DomainError, _domain)
    ui.add_exception_handler(HTTPException, _http)
    ui.add_exception_handler(RequestValidationError, _invalid)
    ui.add_exception_handler(Exception, _unexpected)

    @ui.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if "\x00" in request.url.path or b"%00" in request.scope.get("query_string", b""):
            # PostgreSQL refuses NUL in text: say so here instead of failing in a query.
            return _error(request, 400, "Bad request", "The address contains a NUL character.")
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):  # not on PDFs: their viewer
            response.headers.setdefault("content-security-policy", CSP)
        response.headers.setdefault("x-content-type-options", "nosniff")
        response.headers.setdefault("x-frame-options", "DENY")
        response.headers.setdefault("referrer-policy", "same-origin")
        return response

    return ui
