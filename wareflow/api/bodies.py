"""Request bodies: a size limit counted as bytes arrive, and strict JSON parsing."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wareflow.api.problems import BadJson, BodyTooLarge, problem


class BodyLimit:
    """ASGI middleware: 413 for a body past ``limit`` bytes, declared or streamed.

    A declared ``Content-Length`` past the limit is refused before reading; a chunked body is
    counted as it arrives and the read fails with :class:`BodyTooLarge` once past the limit.
    ``larger`` gives paths ending so their own limit (documents are bigger than orders).
    """

    def __init__(self, app: ASGIApp, limit: int, larger: dict[str, int] | None = None):
        self.app, self.limit, self.larger = app, limit, larger or {}

    def _limit_for(self, path: str) -> int:
        for suffix, limit in self.larger.items():
            if path.rstrip("/").endswith(suffix):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"").lower():
            await problem(
                400, "Bad request", "The URL may not contain the NUL character.", code="invalid_parameters"
            )(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                response = problem(
                    413,
                    "Payload too large",
                    f"The body is larger than {limit} bytes.",
                    code="payload_too_large",
                )
                await response(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)


async def read_json(request: Request) -> tuple[bytes, Any]:
    """The raw body (for idempotency fingerprints) and its parsed JSON."""
    raw = await request.body()
    if not raw.strip():
        raise BadJson("The request body is empty; send a JSON object.")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadJson(f"The body is not valid JSON: {exc}.") from None
    if _has_nul(data):
        # PostgreSQL text cannot hold U+0000: refuse it here rather than fail at the database.
        raise BadJson("Strings may not contain the NUL character (\\u0000).")
    return raw, data


def _has_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


async def read_object(request: Request) -> tuple[bytes, dict[str, Any]]:
    raw, data = await read_json(request)
    if not isinstance(data, dict):
        raise BadJson("The body must be a JSON object.")
    return raw, data
