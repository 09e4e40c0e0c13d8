"""One HTTP attempt: sign with the Standard Webhooks library, POST, read a bounded answer.

Headers follow the Standard Webhooks specification: ``webhook-id`` (the same for every attempt
of a message), ``webhook-timestamp`` (this attempt, in Unix seconds) and ``webhook-signature``
(``v1,<base64>`` for each active secret, space-separated, so a receiver holding either the old or
the new secret during a rotation accepts the message).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from dataclasses import dataclass

import httpx
from standardwebhooks.webhooks import Webhook

from wareflow import __version__
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.ssrf import AddressRefused, UrlRefused, check_url

EXCERPT_BYTES = 1024
USER_AGENT = f"Wareflow-Webhooks/{__version__}"


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery: everything needed to send it and to record what happened."""

    organization_id: uuid.UUID
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    url: str
    message_id: str
    body: str
    secrets: tuple[str, ...]
    attempt: int  # this attempt's number in the delivery's log
    schedule_step: int  # this attempt's place in the retry schedule (1-based)
    schedule_started_at: dt.datetime
    lease_token: uuid.UUID


@dataclass(frozen=True)
class Answer:
    """What the receiver did: a status code, or an error when there was no answer."""

    status_code: int | None
    latency_ms: int
    error: str | None = None
    excerpt: str | None = None
    retry_after: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def sign(secrets: tuple[str, ...], message_id: str, timestamp: dt.datetime, body: str) -> str:
    return " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets)


def headers_for(outgoing: Outgoing, now: dt.datetime) -> dict[str, str]:
    timestamp = dt.datetime.fromtimestamp(int(now.timestamp()), dt.UTC)
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "accept-encoding": "identity",
        "webhook-id": outgoing.message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": sign(outgoing.secrets, outgoing.message_id, timestamp, outgoing.body),
    }


async def send(client: httpx.AsyncClient, outgoing: Outgoing, policy: DeliveryPolicy) -> Answer:
    """POST the message once. Never raises for anything the receiver or the network does."""
    started = time.perf_counter()

    def took() -> int:
        return round((time.perf_counter() - started) * 1000)

    try:
        check_url(outgoing.url, policy.allowed_hosts)
        async with asyncio.timeout(policy.timeout):
            async with client.stream(
                "POST",
                outgoing.url,
                content=outgoing.body.encode(),
                headers=headers_for(outgoing, dt.datetime.now(dt.UTC)),
                timeout=httpx.Timeout(policy.timeout),
            ) as response:
                excerpt = await _read_bounded(response, policy.max_response_bytes)
                return Answer(
                    response.status_code,
                    took(),
                    excerpt=excerpt,
                    retry_after=response.headers.get("retry-after"),
                )
    except UrlRefused as exc:
        return Answer(None, took(), error=_short(f"refused: {exc.message}"))
    except (TimeoutError, httpx.TimeoutException):
        return Answer(None, took(), error=f"timeout: no answer within {policy.timeout:g} s")
    except httpx.ConnectError as exc:
        if isinstance(exc.__cause__, AddressRefused):
            return Answer(None, took(), error=_short(f"refused: {exc.__cause__}"))
        return Answer(None, took(), error=_short(f"connection failed: {exc}"))
    except httpx.HTTPError as exc:
        return Answer(None, took(), error=_short(f"{type(exc).__name__}: {exc}"))


async def _read_bounded(response: httpx.Response, limit: int) -> str:
    """Read at most ``limit`` bytes of the answer (the rest is dropped with the connection) and
    keep its start as an excerpt for the delivery log."""
    received = bytearray()
    async for chunk in response.aiter_raw():
        received += chunk
        if len(received) >= limit:
            break
    return bytes(received[:EXCERPT_BYTES]).decode("utf-8", errors="replace")


def _short(text: str) -> str:
    return text if len(text) <= 255 else text[:252] + "..."
