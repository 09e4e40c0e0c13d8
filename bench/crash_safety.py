"""Crash safety: orders at concurrency 16 against ``wareflow serve`` on PostgreSQL while the
server and the webhook worker are killed with SIGKILL several times mid-load and restarted.

Every client retries its request with the same Idempotency-Key until it gets an answer. Then:
every order that got a 2xx exists exactly once, every retried key made one order, and every
event reached the webhook receiver at least once. Prints the counts; exits 1 when a guarantee
fails.

    .venv/bin/python bench/crash_safety.py --orders 600 --kills 4
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import uuid
from dataclasses import dataclass, field

import httpx
import psycopg

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bench.create_orders as orders_bench
from bench.create_orders import create_pg_database, free_port, order_body, seed
from tests.webhooks.receiver import Receiver


@dataclass
class Tally:
    sent: int = 0  # requests put on the wire, retries included
    acknowledged: dict[str, str] = field(default_factory=dict)  # reference -> order id (2xx)
    refused: int = 0  # 4xx other than the in-flight 409 a retry may meet
    gave_up: int = 0


class Processes:
    """The API server and the webhook worker, started and killed on demand."""

    def __init__(self, url: str, port: int, receiver_host: str):
        self.env = {
            **os.environ,
            "WAREFLOW_DATABASE_URL": url,
            "WAREFLOW_LOG_LEVEL": "error",
            "WAREFLOW_RATE_LIMIT": "",
            "WAREFLOW_WEBHOOK_ALLOWED_HOSTS": receiver_host,
            "WAREFLOW_WEBHOOK_RETRY_SCHEDULE": "0,0.5,1,1,2,2,2,2",
            "WAREFLOW_IDEMPOTENCY_LOCK_SECONDS": "2",
        }
        self.port = port
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def _run(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "wareflow.cli", *args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        if self.server is None or self.server.poll() is not None:
            self.server = self._run("serve", "--port", str(self.port))
        if self.worker is None or self.worker.poll() is not None:
            self.worker = self._run("worker")

    def kill(self, which: str) -> None:
        for name in ("server", "worker") if which == "both" else (which,):
            process = getattr(self, name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


async def place(client: httpx.AsyncClient, i: int, tally: Tally, deadline: float) -> None:
    """One order: the same body and key until the server gives a real answer."""
    body, key = order_body(i), str(uuid.uuid4())
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        tally.sent += 1
        try:
            response = await client.post("/v1/orders", json=body, headers={"idempotency-key": key})
        except httpx.TransportError:
            await asyncio.sleep(0.2)  # the server is down: try again
            continue
        if (
            response.status_code in (409, 500, 502, 503) and "in progress" in response.text
        ) or response.status_code >= 500:
            await asyncio.sleep(0.3)
            continue
        if response.is_success:
            tally.acknowledged[str(body["external_reference"])] = response.json()["id"]
        else:
            tally.refused += 1
        return
    tally.gave_up += 1


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--kills", type=int, default=4)
    args = parser.parse_args()
    url, drop = create_pg_database()
    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    receiver = Receiver()
    await receiver.up()
    port = free_port()
    processes = Processes(url, port, "127.0.0.1")
    try:
        key = await seed(url, skus=20)
        orders_bench.SKU_POOL = [f"SKU-{n}" for n in range(20)]
        processes.start()
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers={"x-api-key": key}, timeout=10
        ) as client:
            await orders_bench.until_ready(client)
            created = await client.post("/v1/webhook-endpoints", json={"url": receiver.url()})
            assert created.status_code == 201, created.text
            with psycopg.connect(libpq) as conn:
                baseline = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]  # type: ignore[index]
            tally, loop = Tally(), asyncio.get_running_loop()
            deadline = loop.time() + 300
            counter = iter(range(args.orders))

            async def client_loop() -> None:
                for i in counter:
                    await place(client, i, tally, deadline)

            async def killer() -> None:
                for k in range(args.kills):
                    await asyncio.sleep(random.uniform(0.8, 1.6))
                    processes.kill(("server", "worker", "both")[k % 3])
                    await asyncio.sleep(0.3)
                    processes.start()

            await asyncio.gather(*(client_loop() for _ in range(args.concurrency)), killer())
            processes.start()
            await orders_bench.until_ready(client)
            with psycopg.connect(libpq) as conn:
                rows = conn.execute(
                    "SELECT external_reference, id::text FROM orders WHERE external_reference LIKE 'BENCH-%'"
                ).fetchall()
                expected = {
                    f"evt_{i}" for (i,) in conn.execute("SELECT id FROM events WHERE id > %s", (baseline,))
                }
            for _ in range(600):  # every event reaches the receiver (bounded wait)
                if expected <= set(receiver.ids()):
                    break
                await asyncio.sleep(0.1)
    finally:
        processes.stop()
        await receiver.down()
        drop()
    by_reference: dict[str, list[str]] = {}
    for reference, order_id in rows:
        by_reference.setdefault(reference, []).append(order_id)
    found = sum(1 for ref, oid in tally.acknowledged.items() if by_reference.get(ref) == [oid])
    lost = len(tally.acknowledged) - found
    duplicates = sum(len(ids) - 1 for ids in by_reference.values())
    undelivered = len(expected - set(receiver.ids()))
    print(
        f"requests sent {tally.sent}, acknowledged {len(tally.acknowledged)}, found {found}, lost {lost}, "
        f"duplicates {duplicates}, refused {tally.refused}, gave up {tally.gave_up}; "
        f"events {len(expected)}, delivered {len(expected) - undelivered}, undelivered {undelivered}, "
        f"webhook requests {len(receiver.received)}, kills {args.kills}"
    )
    return 1 if lost or duplicates or undelivered or tally.gave_up or tally.refused else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
