"""Order creation through the HTTP API, beside the database's own limit, in one run.

For each store (SQLite, PostgreSQL) and each concurrency: N orders of 3 lines are POSTed to a
real ``wareflow serve`` process; then the same rows (order, 3 lines, 1 event) are inserted by
the plain driver, one transaction per order, at the same concurrency: the database's own limit.
Prints orders/s, p50/p95/p99 latency and the server's memory.

    .venv/bin/python bench/create_orders.py --orders 2000 --concurrency 1,16
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psycopg

from wareflow.catalog import service as catalog
from wareflow.catalog.schemas import ProductIn
from wareflow.db import Database, new_id
from wareflow.migrate import upgrade
from wareflow.stock import service as stock
from wareflow.tenants import service as tenants

PG_ADMIN = os.environ.get(
    "WAREFLOW_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


# The SKUs orders are drawn from (3 distinct per order); 5 makes every order fight over the same
# stock rows, 1,000 spreads them. Set by --skus per run.
SKU_POOL: list[str] = [f"SKU-{n}" for n in range(1000)]


def order_body(i: int) -> dict[str, object]:
    return {
        "external_reference": f"BENCH-{uuid.uuid4().hex[:12]}-{i}",
        "warehouse_code": "LAW",
        "ship_to": {
            "name": "John Smith",
            "address1": "1234 Main Street",
            "city": "Los Angeles",
            "state": "CA",
            "postal_code": "90012",
            "country": "US",
            "phone": "213-555-0123",
            "email": "john.smith@example.com",
        },
        "lines": [
            {"sku": sku, "quantity": n + 1, "unit_price": "9.99"}
            for n, sku in enumerate(random.sample(SKU_POOL, 3))
        ],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_load(
    n: int, concurrency: int, one: Callable[[int], Awaitable[None]]
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    counter = iter(range(n))

    async def worker() -> None:
        for i in counter:
            start = time.perf_counter()
            await one(i)
            latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return n / (time.perf_counter() - start), latencies


def report(label: str, rate: float, latencies: list[float], extra: str = "") -> None:
    print(
        f"  {label:<34} {rate:8.0f} orders/s   p50 {percentile(latencies, 0.5):6.1f} ms"
        f"   p95 {percentile(latencies, 0.95):6.1f} ms   p99 {percentile(latencies, 0.99):6.1f} ms"
        f"{extra}",
        flush=True,
    )


async def seed(url: str, skus: int = 1000) -> str:
    """A warehouse, an organization with ``skus`` products in deep stock, and its key."""
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    async with db.sessions() as session:
        await tenants.create_warehouse(session, code="LAW", name="Bench", country="US")
        org = await tenants.create_organization(session, slug="bench")
        org.default_warehouse_code = "LAW"
        _, key = await tenants.create_api_key(session, organization=org)
        for sku in [f"SKU-{n}" for n in range(skus)]:
            await catalog.create_product(session, organization_id=org.id, data=ProductIn(sku=sku, name=sku))
            await stock.adjust(
                session,
                organization_id=org.id,
                warehouse_code="LAW",
                sku=sku,
                quantity=10_000_000,
                reason="bench",
                location=None,
                actor="bench",
            )
        await session.commit()
    await db.dispose()
    return key


def process_tree(pid: int) -> list[int]:
    """The server and its worker processes (uvicorn --workers forks children)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(c) for c in text]
    return [pid] + [p for c in children for p in process_tree(c)]


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in process_tree(pid):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_mb(pid: int) -> list[float]:
    """Resident memory of each API process (the supervisor left out when there are workers)."""
    tree = process_tree(pid)
    sizes = []
    for p in tree[1:] or tree:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


async def api_bench(url: str, n: int, concurrency: int, workers: int) -> None:
    key = await seed(url)
    port = free_port()
    env = {
        **os.environ,
        "WAREFLOW_DATABASE_URL": url,
        "WAREFLOW_LOG_LEVEL": "warning",
        "WAREFLOW_RATE_LIMIT": "",
    }
    server = subprocess.Popen(  # noqa: ASYNC220 - the server runs beside the load
        [
            sys.executable,
            "-m",
            "wareflow.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
    )
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            headers={"x-api-key": key},
            timeout=60,
            limits=httpx.Limits(max_connections=concurrency + 4),
        ) as client:
            for _ in range(100):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)

            async def one(i: int) -> None:
                response = await client.post("/v1/orders", json=order_body(i))
                if response.status_code != 201:
                    raise RuntimeError(response.text)

            await run_load(min(200, n), concurrency, one)  # warm up
            server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
            rate, latencies = await run_load(n, concurrency, one)
            server_cpu = (cpu_seconds(server.pid) - server_cpu) / n * 1000
            client_cpu = (time.process_time() - client_cpu) / n * 1000
        report(
            f"API   c={concurrency} workers={workers}",
            rate,
            latencies,
            f"   RSS per API process {'/'.join(f'{m:.0f}' for m in rss_mb(server.pid))} MB, CPU/order: server {server_cpu:.1f} ms,"
            f" load generator {client_cpu:.1f} ms",
        )
    finally:
        server.terminate()
        server.wait()


def _row_values(org_id: uuid.UUID, i: int) -> tuple[dict[str, object], list[dict[str, object]]]:
    body = order_body(i)
    order = {"id": new_id(), "ref": body["external_reference"], "data": json.dumps(body)}
    lines = [
        {"n": n + 1, "sku": f"SKU-{n}", "q": n + 1, "data": json.dumps(line)}
        for n, line in enumerate(body["lines"])
    ]  # type: ignore[arg-type]
    return order, lines


async def postgres_limit(url: str, n: int, concurrency: int) -> None:
    """The same rows through plain psycopg: one transaction per order."""
    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    conns = [await psycopg.AsyncConnection.connect(libpq) for _ in range(concurrency)]
    free: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()
    for c in conns:
        free.put_nowait(c)
    org_id = uuid.uuid4()
    async with conns[0].transaction():
        await conns[0].execute(
            "INSERT INTO organizations (id, slug, name, settings, order_counter, created_at)"
            " VALUES (%s, %s, 'raw', '{}', 0, now())",
            (org_id, f"raw-{org_id.hex[:8]}"),
        )

    async def one(i: int) -> None:
        conn = await free.get()
        order, lines = _row_values(org_id, i)
        try:
            async with conn.transaction():
                await conn.execute(
                    "INSERT INTO orders (organization_id, id, number, external_reference,"
                    " warehouse_code, status, version, data, created_at, updated_at)"
                    " VALUES (%s, %s, %s, %s, 'LAW', 'received', 1, %s, now(), now())",
                    (org_id, order["id"], f"R{i:013d}", order["ref"], order["data"]),
                )
                async with conn.cursor() as cur:
                    await cur.executemany(
                        "INSERT INTO order_lines (organization_id, order_id, line_number, sku,"
                        " quantity, data) VALUES (%s, %s, %s, %s, %s, %s)",
                        [(org_id, order["id"], li["n"], li["sku"], li["q"], li["data"]) for li in lines],
                    )
                await conn.execute(
                    "INSERT INTO events (organization_id, txid, type, order_id, data, occurred_at)"
                    " VALUES (%s, pg_current_xact_id()::text::bigint, 'order.created', %s, %s,"
                    " now())",
                    (org_id, order["id"], order["data"]),
                )
        finally:
            free.put_nowait(conn)

    rate, latencies = await run_load(n, concurrency, one)
    report(f"plain psycopg c={concurrency}", rate, latencies)
    for c in conns:
        await c.close()


def sqlite_limit(path: str, n: int) -> None:
    """The same rows through plain sqlite3, one transaction per order (one writer)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    org_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO organizations (id, slug, name, settings, order_counter, created_at)"
        " VALUES (?, ?, 'raw', '{}', 0, '2026-01-01')",
        (org_id.hex, f"raw-{org_id.hex[:8]}"),
    )
    latencies = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        order, lines = _row_values(org_id, i)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO orders (organization_id, id, number, external_reference, warehouse_code,"
            " status, version, data, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'LAW', 'received', 1, ?, '2026-01-01', '2026-01-01')",
            (org_id.hex, order["id"].hex, f"R{i:013d}", order["ref"], order["data"]),  # type: ignore[attr-defined]
        )
        conn.executemany(
            "INSERT INTO order_lines (organization_id, order_id, line_number, sku, quantity, data)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(org_id.hex, order["id"].hex, li["n"], li["sku"], li["q"], li["data"]) for li in lines],  # type: ignore[attr-defined]
        )
        conn.execute(
            "INSERT INTO events (organization_id, txid, type, order_id, data, occurred_at)"
            " VALUES (?, 0, 'order.created', ?, ?, '2026-01-01')",
            (org_id.hex, order["id"].hex, order["data"]),  # type: ignore[attr-defined]
        )
        conn.execute("COMMIT")
        latencies.append((time.perf_counter() - t0) * 1000)
    report("plain sqlite3 c=1", n / (time.perf_counter() - start), latencies)
    conn.close()


def create_pg_database() -> tuple[str, Callable[[], None]]:
    name = f"wareflow_bench_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = PG_ADMIN.rsplit("/", 1)[0]
    return f"{base}/{name}", drop


async def main() -> None:
    global SKU_POOL
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=2, help="API processes on PostgreSQL")
    parser.add_argument("--skus", default="1000,5", help="SKU pool sizes orders draw from (5: contention)")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    pools = [int(p) for p in args.skus.split(",")]
    for store in args.stores.split(","):
        print(f"{store}: {args.orders} orders of 3 lines per run, each allocating stock", flush=True)
        for c in levels:
            for pool in pools:
                SKU_POOL = [f"SKU-{n}" for n in range(pool)]
                print(f"  -- {pool} SKUs", flush=True)
                if store == "sqlite":
                    with tempfile.TemporaryDirectory() as tmp:
                        await api_bench(f"sqlite+aiosqlite:///{tmp}/bench.db", args.orders, c, 1)
                    continue
                url, drop = create_pg_database()
                try:
                    await api_bench(url, args.orders, c, args.workers)
                finally:
                    drop()
            if store == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    path = f"{tmp}/bench.db"
                    await seed(f"sqlite+aiosqlite:///{path}")
                    sqlite_limit(path, args.orders)
            else:
                url, drop = create_pg_database()
                try:
                    await seed(url)
                    await postgres_limit(url, args.orders, c)
                finally:
                    drop()


if __name__ == "__main__":
    asyncio.run(main())
