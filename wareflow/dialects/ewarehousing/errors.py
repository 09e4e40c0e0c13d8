"""eWarehousing's error shapes.

- a refused request (validation, a rule, a duplicate): ``400 {"errors": {field: [messages]}}``,
  fields written as the vendor's Symfony property paths (``order_lines[0].article_code``);
- everything else, including auth: ``{"code": <status>, "message": "…"}`` (401 with the JWT
  messages its middleware answers: ``JWT Token not found``, ``Invalid JWT Token``, …).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Request
from starlette.responses import Response

from wareflow.api.writes import json_response
from wareflow.core.errors import DomainError, DuplicateReference, FieldError, TransitionRefused
from wareflow.dialects.common import field_messages, status_of

# Rule refusals the page answers as bad requests, with the field they are about.
_REFUSALS: dict[type[DomainError], str] = {
    DuplicateReference: "external_reference",
    TransitionRefused: "status",
}
_MESSAGES = {401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large"}


class HeaderInvalid(DomainError):
    """``X-Wms-Code`` missing or unknown: a 400 with a message, as the middleware answers it."""

    status, code, title = 400, "invalid_header", "Bad Request"


def field_key(pointer: str) -> str:
    """``/order_lines/0/article_code`` → ``order_lines[0].article_code``; the body → ``body``."""
    key = ""
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        key += f"[{part}]" if part.isdigit() else (f".{part}" if key else part)
    for prefix in ("query.", "header.", "path."):
        key = key.removeprefix(prefix)
    return key or "body"


def _field_errors(exc: Exception) -> dict[str, list[str]]:
    refused_field = next((f for kind, f in _REFUSALS.items() if isinstance(exc, kind)), None)
    if refused_field is not None and isinstance(exc, DomainError):
        return {refused_field: [exc.detail]}
    errors: dict[str, list[str]] = {}
    for item in field_messages(exc):
        errors.setdefault(field_key(item["pointer"]), []).append(item["message"])
    return errors


def answer(_: Request, exc: Exception) -> Response:
    """Any failure of an eWarehousing route, in eWarehousing's shape."""
    status = status_of(exc)
    if isinstance(exc, HeaderInvalid) or status not in (400, 409, 412, 422):
        message = (
            exc.detail if isinstance(exc, DomainError) else _MESSAGES.get(status, "Internal Server Error")
        )
        return json_response(status, {"code": status, "message": message})
    return json_response(400, {"errors": _field_errors(exc)})


@contextmanager
def vendor_fields(mapper: Callable[[str], str]) -> Iterator[None]:
    """Canonical field errors raised inside, re-pointed at the vendor's field names."""
    try:
        yield
    except DomainError as exc:
        if exc.errors:
            exc.errors = [FieldError(mapper(e.pointer), e.code, e.message) for e in exc.errors]
        raise
