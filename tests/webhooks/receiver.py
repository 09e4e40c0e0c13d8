"""A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers as the
test says (a status, headers and a body, after an optional stall). It can go down (refusing
connections) and come back up on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def payload(self) -> Any:
        return orjson.loads(self.body)


async def ok(_: Received) -> Reply:
    return 200, {}, b"thanks"


@dataclass
class Receiver:
    respond: Callable[[Received], Awaitable[Reply]] = ok
    received: list[Received] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None
    _handlers: dict[asyncio.Task[Any], asyncio.StreamWriter] = field(default_factory=dict)

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def ids(self) -> list[str]:
        return [r.webhook_id for r in self.received]

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def down(self) -> None:
        """Stop listening and cut every open connection: senders get connection errors."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        # Abort the connections (the handlers then end on a connection error) rather than cancel
        # the handlers: asyncio logs a cancelled stream handler as an error.
        for writer in list(self._handlers.values()):
            writer.transport.abort()
        if self._handlers:
            _, stuck = await asyncio.wait(list(self._handlers), timeout=1)
            for task in stuck:  # a handler waiting in a test's respond()
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers[task] = writer
        try:
            while await self._one(reader, writer):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._handlers.pop(task, None)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        request = Received(lines[0].split(" ")[1], headers, body)
        self.received.append(request)
        status, extra, content = await self.respond(request)
        lines = [f"HTTP/1.1 {status} X", f"content-length: {len(content)}"]
        lines += [f"{k}: {v}" for k, v in extra.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + content)
        await writer.drain()
        return True
