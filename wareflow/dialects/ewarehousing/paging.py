"""Page numbers over cursors, and paths answered with and without their trailing slash.

eWarehousing pages with ``page`` and ``limit``; Wareflow's services page with cursors (stable
under concurrent inserts). Page *n* is found by following the cursor past ``(n - 1) * limit``
matches; ``keep`` filters on what the services cannot filter on themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import APIRouter

from wareflow.core.errors import FieldError, InvalidInput

T = TypeVar("T")
Fetch = Callable[[int, str | None], Awaitable[tuple[list[T], str | None]]]
CHUNK_MAX = 500


async def page_of(
    fetch: Fetch[T], *, page: int, limit: int, keep: Callable[[T], bool] | None = None
) -> list[T]:
    """Items ``(page - 1) * limit`` to ``page * limit`` of what ``fetch`` walks (after ``keep``)."""
    skip, found, cursor = (page - 1) * limit, [], None
    chunk = min(CHUNK_MAX, skip + limit)
    while True:
        items, cursor = await fetch(chunk, cursor)
        for item in items:
            if keep is not None and not keep(item):
                continue
            if skip:
                skip -= 1
                continue
            found.append(item)
            if len(found) == limit:
                return found
        if cursor is None:
            return found


def route(router: APIRouter, path: str, methods: list[str], **options: Any) -> Callable[[T], T]:
    """Register ``path`` (documented, with its trailing slash) and the same path without it:
    both answer, neither redirects."""

    def register(endpoint: T) -> T:
        router.add_api_route(path, endpoint, methods=methods, **options)  # type: ignore[arg-type]
        options.pop("summary", None)
        router.add_api_route(
            path.rstrip("/"),
            endpoint,  # type: ignore[arg-type]
            methods=methods,
            include_in_schema=False,
            **options,
        )
        return endpoint

    return register


def moment(name: str, value: str | None, *, end: bool) -> dt.datetime | None:
    """A ``from``/``to`` query value: a date (an end date takes in that whole day) or a time
    (UTC unless it names a zone)."""
    if not value:
        return None
    try:
        found = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            [FieldError(f"/query/{name}", "invalid_date", "Use YYYY-MM-DD or an ISO 8601 time.")]
        ) from None
    if end and len(value) == 10:
        found += dt.timedelta(days=1)
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)
