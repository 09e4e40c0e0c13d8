"""Prometheus metrics, served at ``/metrics``: requests by route and status, how long they took,
and webhook attempts by outcome.

Several API processes (``wareflow serve --workers N``) each write their samples under
``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` adds them up (prometheus-client's multiprocess
mode; ``serve`` makes that directory when it starts several). A ``wareflow worker`` given the same
directory on the same host is counted there too.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter(
    "wareflow_http_requests_total", "Requests answered, by route and status.", ["method", "route", "status"]
)
DURATION = Histogram(
    "wareflow_http_request_duration_seconds",
    "Time from a request's arrival to its answer, by route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
WEBHOOK_ATTEMPTS = Counter(
    "wareflow_webhook_attempts_total",
    "Webhook delivery attempts, by what came of them (succeeded, retry, exhausted, gone).",
    ["outcome"],
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
UNMATCHED = "(unmatched)"  # one label for every unknown path: labels stay few whatever is asked


def exposition() -> tuple[bytes, str]:
    """The text Prometheus scrapes: this process's samples, or every API process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def route_of(scope: Scope) -> str:
    """The route template a request matched (``/v1/orders/{order_id}``), never its raw path."""
    path = getattr(scope.get("route"), "path", None)
    return UNMATCHED if path is None else f"{scope.get('root_path', '')}{path}"


class RequestMetrics:
    """ASGI middleware: counts every answer and times it, labelled by route template."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def keep_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, keep_status)
        finally:
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            route = route_of(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            DURATION.labels(method, route).observe(time.perf_counter() - start)
