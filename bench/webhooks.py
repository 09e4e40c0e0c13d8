"""Webhook delivery: deliveries per second from one worker and from two, and the delay from an
event's commit to its arrival at the receiver (p50/p99), on SQLite and PostgreSQL.

Workers are real ``wareflow worker`` processes; the receiver is a minimal HTTP/1.1 server in this
process on 127.0.0.1 answering 204 at once, so the figures are Wareflow's, not a receiver's.

    .venv/bin/python bench/webhooks.py --events 2000 --delay-events 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import orjson
import psycopg

from wareflow.config import Settings
from wareflow.db import Database
from wareflow.events import service as events
from wareflow.migrate import upgrade
from wareflow.tenants import service as tenants
from wareflow.webhooks import service as webhooks
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.schemas import EndpointIn

PG_ADMIN = os.environ.get(
    "WAREFLOW_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


class Receiver:
    """Arrival times (perf_counter) by ``webhook-id``, and by the benchmark's own event index."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.by_index: dict[int, float] = {}
        self.port = 0
        self.changed = asyncio.Event()
        self.writers: set[asyncio.StreamWriter] = set()

    def reset(self) -> None:
        self.arrivals, self.by_index = {}, {}

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        for writer in self.writers:
            writer.close()
        await asyncio.sleep(0.1)  # let the handlers see their connections end

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                headers = dict(
                    (k.strip().lower(), v.strip())
                    for k, v in (line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
                )
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                now = time.perf_counter()
                self.arrivals.setdefault(headers["webhook-id"], now)
                index = orjson.loads(body)["data"].get("i")
                if index is not None:
                    self.by_index.setdefault(index, now)
                self.changed.set()
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
        finally:
            self.writers.discard(writer)

    async def wait_for(self, count: int, within: float) -> bool:
        deadline = time.perf_counter() + within
        while len(self.arrivals) < count:
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return False
        return True


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(processes: list[subprocess.Popen[bytes]]) -> float:
    """User + system CPU time of the worker processes so far (Linux /proc)."""
    total = 0
    for process in processes:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def start_workers(url: str, count: int, poll: float) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "WAREFLOW_DATABASE_URL": url,
        "WAREFLOW_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "WAREFLOW_WEBHOOK_POLL_SECONDS": str(poll),
        "WAREFLOW_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "wareflow.cli", "worker"]
    return [subprocess.Popen(command, env=env) for _ in range(count)]


def stop_workers(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=60)


async def seed(db: Database, receiver: Receiver) -> tuple[uuid.UUID, uuid.UUID]:
    settings = Settings(webhook_allowed_hosts="127.0.0.1")
    async with db.sessions() as session:
        org = await tenants.create_organization(session, slug=f"bench-{uuid.uuid4().hex[:8]}")
        await session.commit()
        endpoint, _ = await webhooks.create_endpoint(
            session,
            organization_id=org.id,
            data=EndpointIn(url=f"http://127.0.0.1:{receiver.port}/hooks"),
            policy=DeliveryPolicy.of(settings),
        )
        await session.commit()
        return org.id, endpoint.id


async def write_events(
    db: Database, org_id: uuid.UUID, count: int, *, per_transaction: int, first: int = 0
) -> list[float]:
    """Events as orders would write them (``data.i`` numbers them from ``first``); answers each
    event's commit time."""
    committed: list[float] = []
    for start in range(0, count, per_transaction):
        async with db.sessions() as session:
            for i in range(start, min(count, start + per_transaction)):
                await events.record(
                    session,
                    organization_id=org_id,
                    type="order.created",
                    order_id=uuid.uuid4(),
                    data={"sequence": 1, "i": first + i},
                )
            await session.commit()
        committed += [time.perf_counter()] * (min(count, start + per_transaction) - start)
    return committed


async def warm_up(db: Database, org_id: uuid.UUID, endpoint_id: uuid.UUID, receiver: Receiver) -> None:
    """A ping, so the workers are up and idle before anything is timed."""
    receiver.reset()
    async with db.sessions() as session:
        await webhooks.send_test(session, organization_id=org_id, endpoint_id=endpoint_id)
        await session.commit()
    if not await receiver.wait_for(len(receiver.arrivals) + 1, 60):
        raise SystemExit("the workers did not deliver the warm-up ping")
    await asyncio.sleep(1)


async def throughput(url: str, store: str, n: int, workers: int, receiver: Receiver) -> None:
    db = Database(url)
    try:
        org_id, endpoint_id = await seed(db, receiver)
        processes = start_workers(url, workers, poll=0.25)
        try:
            await warm_up(db, org_id, endpoint_id, receiver)
            before, cpu = len(receiver.arrivals), cpu_seconds(processes)
            committed = await write_events(db, org_id, n, per_transaction=n)
            done = await receiver.wait_for(before + n, 600)
            elapsed = max(receiver.arrivals.values()) - committed[-1]
            cpu = cpu_seconds(processes) - cpu
        finally:
            stop_workers(processes)
    finally:
        await db.dispose()
    rate = f"{n / elapsed:7.0f} deliveries/s" if done else "did not finish"
    print(
        f"{store:9} {workers} worker(s)  {n} events committed at once: {rate},"
        f" worker CPU {cpu / n * 1000:.1f} ms per delivery",
        flush=True,
    )


async def delay(url: str, store: str, n: int, poll: float, receiver: Receiver) -> None:
    db = Database(url)
    try:
        org_id, endpoint_id = await seed(db, receiver)
        processes = start_workers(url, 1, poll=poll)
        try:
            await warm_up(db, org_id, endpoint_id, receiver)
            before = len(receiver.arrivals)
            committed = []
            for i in range(n):  # one event per transaction, about 50 a second
                committed += await write_events(db, org_id, 1, per_transaction=1, first=i)
                await asyncio.sleep(0.02)
            await receiver.wait_for(before + n, 120)
        finally:
            stop_workers(processes)
    finally:
        await db.dispose()
    delays = [(receiver.by_index[i] - c) * 1000 for i, c in enumerate(committed) if i in receiver.by_index]
    print(
        f"{store:9} commit→delivery, 1 worker polling every {poll:g} s, {len(delays)} events:"
        f" p50 {percentile(delays, 0.5):6.1f} ms  p99 {percentile(delays, 0.99):6.1f} ms",
        flush=True,
    )


def pg_database() -> tuple[str, Callable[[], None]]:
    name = f"wareflow_bench_wh_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}", drop


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--delay-events", type=int, default=200)
    parser.add_argument("--stores", default="sqlite,postgres")
    args = parser.parse_args()
    receiver = Receiver()
    await receiver.start()
    for store in args.stores.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if store == "sqlite":
                url, drop = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", (lambda: None)
            else:
                url, drop = pg_database()
            try:
                await asyncio.to_thread(upgrade, url)  # alembic runs its own event loop
                for workers in (1, 2):
                    await throughput(url, store, args.events, workers, receiver)
                for poll in (0.25, 0.05):
                    await delay(url, store, args.delay_events, poll, receiver)
            finally:
                drop()
    await receiver.stop()


if __name__ == "__main__":
    asyncio.run(main())
