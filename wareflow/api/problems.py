"""RFC 9457 problem+json answers, for every error the native API gives.

Field errors carry a JSON pointer into the request: body fields as ``/ship_to/country``, query
parameters as ``/query/limit``, headers as ``/header/if-match``.
"""

from __future__ import annotations

from typing import Any

import orjson
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wareflow.core.errors import DomainError, FieldError
from wareflow.core.validation import pointer

log = structlog.get_logger()
PROBLEM = "application/problem+json"


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        self.limit = limit


class BadJson(Exception):
    def __init__(self, detail: str):
        self.detail = detail


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    code: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://wareflow.dev/problems/{code.replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **{k: v for k, v in (extra or {}).items() if v is not None},
    }
    if errors is not None:
        body["errors"] = [{"pointer": e.pointer, "code": e.code, "message": e.message} for e in errors]
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM, headers=headers)


def _domain(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return problem(
        exc.status,
        exc.title,
        exc.detail,
        code=exc.code,
        errors=exc.errors if exc.errors or exc.status == 422 else None,
        extra=exc.extra,
        headers=exc.headers or None,
    )


def _request_validation(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        loc = tuple(error.get("loc", ()))
        loc = loc[1:] if loc[:1] == ("body",) else loc
        errors.append(FieldError(pointer(loc), str(error.get("type")), str(error.get("msg"))))
    return problem(
        400,
        "Bad request",
        "The request has invalid parameters.",
        code="invalid_parameters",
        errors=errors,
    )


def _http(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
        exc.status_code, "http_error"
    )
    return problem(
        exc.status_code,
        str(exc.detail),
        str(exc.detail),
        code=code,
        headers=dict(exc.headers or {}),
    )


def _too_large(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, BodyTooLarge)
    return problem(
        413,
        "Payload too large",
        f"The body is larger than {exc.limit} bytes.",
        code="payload_too_large",
    )


def _bad_json(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, BadJson)
    return problem(
        400,
        "Malformed JSON",
        exc.detail,
        code="invalid_json",
        errors=[FieldError("", "invalid_json", exc.detail)],
    )


def _database_unavailable(request: Request, exc: Exception) -> Response:
    """The database is down, restarting, out of connections, or broke a deadlock: a transient
    failure the client should retry, not an error in the request."""
    log.warning("database_unavailable", path=request.url.path, error=type(exc).__name__)
    return problem(
        503,
        "Database unavailable",
        "The database could not complete this request; retry shortly. With the same "
        "Idempotency-Key a retry never applies a change twice.",
        code="database_unavailable",
        headers={"retry-after": "1"},
    )


def _constraint(request: Request, exc: Exception) -> Response:
    """A unique key or another constraint refused the write: a concurrent request got there
    first (the checks before the write passed for both). Nothing was stored."""
    log.warning("constraint_conflict", path=request.url.path, error=type(exc).__name__)
    return problem(
        409,
        "Conflict",
        "A concurrent request changed the same data first; nothing was stored. Read it again, "
        "then retry if it still applies.",
        code="concurrent_conflict",
    )


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled_error", path=request.url.path, error=type(exc).__name__)
    return problem(
        500,
        "Internal error",
        "Something failed on our side; nothing was committed.",
        code="internal_error",
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(BodyTooLarge, _too_large)
    app.add_exception_handler(BadJson, _bad_json)
    app.add_exception_handler(IntegrityError, _constraint)
    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unavailable, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
