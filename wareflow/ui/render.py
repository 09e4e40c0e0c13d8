"""Pages and redirects: templates with the signed-in user, flash messages and the CSRF token,
and the translation of a service's field errors into messages next to form fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from wareflow.config import Settings
from wareflow.core.errors import DomainError
from wareflow.ui import sessions

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

STATUS_LABELS = {
    "received": "Received",
    "invalid_address": "Invalid address",
    "on_hold": "On hold",
    "backordered": "Backordered",
    "allocated": "Allocated",
    "picking": "Picking",
    "packed": "Packed",
    "partially_shipped": "Partially shipped",
    "shipped": "Shipped",
    "canceled": "Canceled",
    "entered": "Entered",
}


@lru_cache
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def today(settings: Settings) -> dt.date:
    """Today where the warehouse is (``WAREFLOW_UI_TIMEZONE``)."""
    return dt.datetime.now(zone(settings.ui_timezone)).date()


def _when(value: Any, settings: Settings) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, dt.datetime):
        return "" if value is None else str(value)
    return value.astimezone(zone(settings.ui_timezone)).strftime("%Y-%m-%d %H:%M")


def label(value: str | None) -> str:
    if not value:
        return ""
    return STATUS_LABELS.get(value, value.replace("_", " ").capitalize())


templates.env.filters["label"] = label


@dataclass
class Problems:
    """A refusal shown on a form: a headline, messages by field, and the rest."""

    detail: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.detail or self.fields or self.general)

    @classmethod
    def of(
        cls, exc: DomainError, known: set[str] | None = None, rename: dict[str, str] | None = None
    ) -> Problems:
        """``/packages/0/weight`` becomes field ``packages.0.weight`` (``rename`` maps pointers to
        other field names first); errors of fields not on the form are listed with the headline."""
        problems = cls(detail=exc.detail)
        for error in exc.errors:
            name = (rename or {}).get(error.pointer) or error.pointer.strip("/").replace("/", ".")
            if known is not None and name in known and name not in problems.fields:
                problems.fields[name] = error.message
            else:
                where = f"{error.pointer.strip('/')}: " if error.pointer and known is None else ""
                problems.general.append(f"{where}{error.message}")
        return problems


def page(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200) -> Response:
    settings: Settings = request.app.state.settings
    state: sessions.SessionData | None = getattr(request.state, "ui_session", None)
    base = {
        "viewer": getattr(request.state, "viewer", None),
        "csrf": state.csrf if state else "",
        "flash": state.pop_flash() if state else [],
        "when": lambda value: _when(value, settings),
        "webhooks": True,
        "nav": "",
    }
    response = templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status)
    response.headers["cache-control"] = "no-store"
    return sessions.save(request, response)


def redirect(request: Request, url: str, *, message: str | None = None, kind: str = "ok") -> Response:
    """303 See Other after a POST (the browser then GETs ``url``), with a message for that page."""
    if message:
        state: sessions.SessionData | None = getattr(request.state, "ui_session", None)
        if state is not None:
            state.say(message, kind)
    return sessions.save(request, RedirectResponse(url, status_code=303))
