"""A lean HTTP/1.1 keep-alive client for load generation.

The load generator shares the machine's two cores with the server and the database; httpx spends
about 1 ms of CPU per request, which the server then cannot use. This client writes a prepared
request and reads the status line, headers and ``Content-Length`` body: about a tenth of that.
It speaks only what ``wareflow serve`` (uvicorn) answers: no chunked bodies, no redirects.
"""

from __future__ import annotations

import asyncio

import orjson


class Connection:
    """One keep-alive connection; one request at a time."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        payload = orjson.dumps(body) if body is not None else b""
        self.writer.write(
            (
                f"{method} {path} HTTP/1.1\r\nhost: {self.host}\r\n{self.head}"
                f"content-type: application/json\r\ncontent-length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
