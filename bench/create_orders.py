"""Order creation through the HTTP API, beside the database's own limit, in one run.

For each store (SQLite, PostgreSQL) and each concurrency: N orders of 3 lines are POSTed to a
real ``wareflow serve`` process; then the same rows are written by the plain driver, one
transaction per order, at the same concurrency: the database's own limit. The same rows are what
the API writes for an order that allocates: the order, its 3 lines, 3 stock levels reserved, 3
allocations, 3 stock movements, 1 shipment and 6 events. Prints orders/s, p50/p95/p99 latency,
CPU per order and the server's memory. Each API run is followed by the same requests with
``dry_run=true`` (checked and answered, nothing written): the cost of HTTP, validation and the
lookups alone, which bounds what any write path can reach.

    .venv/bin/python bench/create_orders.py --orders 1000 --concurrency 1,16,64 --skus 1000,5
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
from typing import Any

import httpx
import psycopg
from sqlalchemy import text

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.loadgen import Connection
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
        # Statistics of the seeded tables, as autovacuum keeps them on a live database: without
        # them the planner scans a warehouse's stock rows for each lock. Not of the empty tables
        # the run fills: stats saying "empty" would make every foreign-key check scan them.
        for table in ("products", "stock_levels"):
            await session.execute(text(f"ANALYZE {table}"))
        await session.commit()
    await db.dispose()
    return key


async def until_ready(client: httpx.AsyncClient) -> None:
    """Wait (up to 30 s) until the server answers /readyz."""
    for _ in range(300):
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("the server did not come up")


async def wait_ready(port: int) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        await until_ready(client)


def process_tree(pid: int) -> list[int]:
    """The server and its worker processes (uvicorn --workers forks children)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(c) for c in text]
    return [pid] + [p for c in children for p in process_tree(c)]


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a backend that ended meanwhile
            continue
        # Its own CPU and that of children it has reaped: a PostgreSQL backend that ends during
        # a run (a pool closing an overflow connection) still counts, through the postmaster.
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_seconds(pid: int) -> float:
    return _cpu(process_tree(pid))


def database_cpu_seconds() -> float:
    """CPU of the local PostgreSQL server's processes (0 when it is not on this machine)."""
    pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]
    return _cpu([p for p in pids if _comm(p) == "postgres"])


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def rss_mb(pid: int) -> list[float]:
    """Resident memory of each API process (the supervisor left out when there are workers)."""
    tree = process_tree(pid)
    sizes = []
    for p in tree[1:] or tree:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


async def _measured(
    label: str, server_pid: int, n: int, concurrency: int, one: Callable[[int], Awaitable[None]]
) -> tuple[float, float]:
    """One measured run against the server: throughput, latency, CPU per order, memory."""
    workers = process_tree(server_pid)[1:] or [server_pid]
    per_worker = [_cpu([p]) for p in workers]
    server_cpu, client_cpu, db_cpu = cpu_seconds(server_pid), time.process_time(), database_cpu_seconds()
    rate, latencies = await run_load(n, concurrency, one)
    server_cpu = (cpu_seconds(server_pid) - server_cpu) / n * 1000
    per_worker = [_cpu([p]) - before for p, before in zip(workers, per_worker, strict=True)]
    client_cpu = (time.process_time() - client_cpu) / n * 1000
    db_cpu = (database_cpu_seconds() - db_cpu) / n * 1000
    report(
        label,
        rate,
        latencies,
        f"   RSS per API process {'/'.join(f'{m:.0f}' for m in rss_mb(server_pid))} MB,"
        f" CPU/order: server {server_cpu:.1f} ms, load generator {client_cpu:.2f} ms"
        + (f", PostgreSQL {db_cpu:.1f} ms" if db_cpu else "")
        + _split(per_worker),
    )
    return rate, percentile(latencies, 0.99)


def _split(per_worker: list[float]) -> str:
    """How the work fell on the API processes: the kernel hands each keep-alive connection to
    one of them, and an uneven split leaves one process saturated while another idles."""
    total = sum(per_worker)
    if len(per_worker) < 2 or not total:
        return ""
    return ", split " + "/".join(f"{100 * c / total:.0f}" for c in per_worker) + "%"


# A plain-driver round run between API rounds, given the round's number: its orders/s and p99.
Between = Callable[[int], Awaitable[tuple[float, float]]]


async def api_bench(
    url: str, n: int, concurrency: int, workers: int, *, rounds: int = 1, between: Between | None = None
) -> None:
    """``rounds`` runs of the API, each on a server started for it (stopped before ``between``,
    the plain driver, so the two never share the database's connection limit); alternating
    keeps the machine's drift out of the API / plain ratio."""
    key = await seed(url)
    ratios, api_p99, plain_p99 = [], [], []
    for r in range(rounds):
        rate, p99 = await _api_round(url, key, n, concurrency, workers)
        api_p99.append(p99)
        if between is not None:
            plain_rate, p99 = await between(r)
            ratios.append(rate / plain_rate)
            plain_p99.append(p99)
    if rounds > 1:
        figures = ", ".join(f"{100 * x:.0f}" for x in ratios)
        print(f"  API / plain, round by round: {figures}% (median {100 * _median(ratios):.0f}%)", flush=True)
        # At a fixed concurrency latency is concurrency / throughput (Little's law): the plain
        # driver's p99 beside the API's is the database's own limit for it on this machine.
        api, plain = (", ".join(f"{x:.0f}" for x in p) for p in (api_p99, plain_p99))
        print(
            f"  p99 ms, round by round: API {api} (median {_median(api_p99):.0f});"
            f" plain {plain} (median {_median(plain_p99):.0f})",
            flush=True,
        )


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


async def _api_round(url: str, key: str, n: int, concurrency: int, workers: int) -> tuple[float, float]:
    """Start ``wareflow serve``, measure the orders then the same as ``dry_run``; the orders'
    orders/s and p99."""
    port = free_port()
    env = {
        **os.environ,
        "WAREFLOW_DATABASE_URL": url,
        "WAREFLOW_LOG_LEVEL": "warning",
        "WAREFLOW_RATE_LIMIT": "",
    }
    command = [sys.executable, "-m", "wareflow.cli", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=env)  # noqa: ASYNC220 - the server runs beside the load
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(concurrency):
        free.put_nowait(Connection("127.0.0.1", port, {"x-api-key": key}))
    try:
        await wait_ready(port)
        figures = []
        # The orders, then the same requests checked and answered without writing (dry_run):
        # what HTTP, validation and the lookups cost alone, a ceiling for any write path.
        for label, path, expected in (
            ("API", "/v1/orders", 201),
            ("  dry_run", "/v1/orders?dry_run=true", 200),
        ):

            async def one(i: int, path: str = path, expected: int = expected) -> None:
                conn = await free.get()
                try:
                    status, answer = await conn.request("POST", path, order_body(i))
                finally:
                    free.put_nowait(conn)
                if status != expected:
                    raise RuntimeError(answer.decode())

            await run_load(min(200, n), concurrency, one)  # warm up
            label = f"{label} c={concurrency} workers={workers}"
            figures.append(await _measured(label, server.pid, n, concurrency, one))
        return figures[0]
    finally:
        while not free.empty():
            await free.get_nowait().close()
        server.terminate()
        server.wait()


def _same_rows(org_id: uuid.UUID, products: dict[str, uuid.UUID], i: int) -> dict[str, Any]:
    """The rows the API writes for one allocated order of 3 lines (see the module docstring)."""
    body = order_body(i)
    order_id, doc = new_id(), json.dumps(body)
    lines = [
        (n + 1, line["sku"], products[line["sku"]], line["quantity"], json.dumps(line))
        for n, line in enumerate(body["lines"])  # type: ignore[attr-defined]
    ]
    shipment_lines = json.dumps([{"line_number": n, "sku": s, "quantity": q} for n, s, _, q, _ in lines])
    return {
        "order": (org_id, order_id, f"R{i:013d}", body["external_reference"], doc),
        # In product-id order, as the API locks them: no deadlock between orders.
        "levels": [(q, org_id, p, q) for _, _, p, q, _ in sorted(lines, key=lambda line: str(line[2]))],
        "lines": [(org_id, order_id, n, s, q, p, d) for n, s, p, q, d in lines],
        "allocations": [(org_id, order_id, n, p, q) for n, _, p, q, _ in lines],
        "movements": [(org_id, p, q, order_id) for _, _, p, q, _ in lines],
        "shipment": (org_id, new_id(), order_id, f"R{i:013d}-1", shipment_lines),
        "events": [
            (org_id, kind, order_id, doc)
            for kind in ("order.created", *["stock.changed"] * 3, "order.status_changed", "shipment.created")
        ],
    }


# The plain driver's statements, written as a developer would by hand: a conditional UPDATE
# reserves each product (in product-id order, as the API locks them), one INSERT per table,
# executemany for the tables with several rows. ``{txid}``: the event's transaction id.
_SAME_ROWS_SQL = {
    "levels": "UPDATE stock_levels SET allocated = allocated + {p}, updated_at = {now}"
    " WHERE organization_id = {p} AND warehouse_code = 'LAW' AND product_id = {p}"
    " AND on_hand - allocated >= {p}",
    "order": "INSERT INTO orders (organization_id, id, number, external_reference, warehouse_code,"
    " status, version, data, created_at, updated_at)"
    " VALUES ({p}, {p}, {p}, {p}, 'LAW', 'allocated', 2, {p}, {now}, {now})",
    "lines": "INSERT INTO order_lines (organization_id, order_id, line_number, sku, quantity,"
    " variant_id, data) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
    "allocations": "INSERT INTO allocations (organization_id, order_id, line_number,"
    " warehouse_code, product_id, quantity) VALUES ({p}, {p}, {p}, 'LAW', {p}, {p})",
    "movements": "INSERT INTO stock_movements (organization_id, warehouse_code, product_id, kind,"
    " on_hand_delta, allocated_delta, reason, order_id, actor, created_at)"
    " VALUES ({p}, 'LAW', {p}, 'allocation', 0, {p}, 'order allocated', {p}, 'bench', {now})",
    "shipment": "INSERT INTO shipments (organization_id, id, order_id, number, status,"
    " warehouse_code, lines, packages, milestones, created_at, updated_at)"
    " VALUES ({p}, {p}, {p}, {p}, 'entered', 'LAW', {p}, '[]', '[]', {now}, {now})",
    "events": "INSERT INTO events (organization_id, txid, type, order_id, data, occurred_at)"
    " VALUES ({p}, {txid}, {p}, {p}, {p}, {now})",
}
_MANY = {"levels", "lines", "allocations", "movements", "events"}


def _sql(placeholder: str, now: str, txid: str) -> dict[str, str]:
    return {k: v.format(p=placeholder, now=now, txid=txid) for k, v in _SAME_ROWS_SQL.items()}


async def _bench_products(conn: psycopg.AsyncConnection) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
    cur = await conn.execute(
        "SELECT o.id, p.sku, p.id FROM organizations o JOIN products p ON p.organization_id = o.id"
        " WHERE o.slug = 'bench'"
    )
    rows = await cur.fetchall()
    return rows[0][0], {sku: pid for _, sku, pid in rows}


async def postgres_limit(url: str, n: int, concurrency: int, offset: int = 0) -> tuple[float, float]:
    """The same rows through plain psycopg: one transaction per order. ``offset``: where this
    round's order numbers start (rounds share a database)."""
    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    conns = [await psycopg.AsyncConnection.connect(libpq) for _ in range(concurrency)]
    free: asyncio.Queue[psycopg.AsyncConnection] = asyncio.Queue()
    for c in conns:
        free.put_nowait(c)
    org_id, products = await _bench_products(conns[0])
    await conns[0].commit()
    sql = _sql("%s", "now()", "pg_current_xact_id()::text::bigint")

    async def one(i: int) -> None:
        conn = await free.get()
        rows = _same_rows(org_id, products, offset + i)
        try:
            async with conn.transaction(), conn.cursor() as cur:
                for table, statement in sql.items():
                    if table in _MANY:
                        await cur.executemany(statement, rows[table])
                    else:
                        await cur.execute(statement, rows[table])
        finally:
            free.put_nowait(conn)

    client_cpu, db_cpu = time.process_time(), database_cpu_seconds()
    rate, latencies = await run_load(n, concurrency, one)
    client_cpu = (time.process_time() - client_cpu) / n * 1000
    db_cpu = (database_cpu_seconds() - db_cpu) / n * 1000
    extra = f"   CPU/order: psycopg client {client_cpu:.1f} ms, PostgreSQL {db_cpu:.1f} ms"
    report(f"plain psycopg c={concurrency}", rate, latencies, extra)
    for c in conns:
        await c.close()
    return rate, percentile(latencies, 0.99)


def sqlite_limit(path: str, n: int) -> None:
    """The same rows through plain sqlite3, one transaction per order (one writer)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    org_hex, products = conn.execute("SELECT id FROM organizations WHERE slug = 'bench'").fetchone()[0], {}
    for sku, pid in conn.execute("SELECT sku, id FROM products WHERE organization_id = ?", (org_hex,)):
        products[sku] = pid
    sql = _sql("?", "'2026-01-01 00:00:00.000000'", "0")

    def plain(value: object) -> object:
        return value.hex if isinstance(value, uuid.UUID) else value

    latencies = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        rows = _same_rows(org_hex, products, i)  # type: ignore[arg-type]
        conn.execute("BEGIN IMMEDIATE")
        for table, statement in sql.items():
            if table in _MANY:
                conn.executemany(statement, [tuple(map(plain, r)) for r in rows[table]])
            else:
                conn.execute(statement, tuple(map(plain, rows[table])))
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
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--workers", type=int, default=2, help="API processes on PostgreSQL")
    parser.add_argument("--skus", default="1000,5", help="SKU pool sizes orders draw from (5: contention)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="PostgreSQL: API and plain runs, alternated (drift)"
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    pools = [int(p) for p in args.skus.split(",")]
    for store in args.stores.split(","):
        print(f"{store}: {args.orders} orders of 3 lines per run, each allocating stock", flush=True)
        for c in levels:
            for pool in pools:
                SKU_POOL = [f"SKU-{n}" for n in range(pool)]
                print(f"  -- concurrency {c}, SKUs drawn from {pool}", flush=True)
                if store == "sqlite":
                    await sqlite_run(args.orders, c)
                else:
                    await postgres_run(args.orders, c, args.workers, args.rounds)


async def sqlite_run(n: int, concurrency: int) -> None:
    """The API (one process: SQLite has one writer), then plain sqlite3 on a fresh file."""
    with tempfile.TemporaryDirectory() as tmp:
        await api_bench(f"sqlite+aiosqlite:///{tmp}/bench.db", n, concurrency, 1)
    with tempfile.TemporaryDirectory() as tmp:
        await seed(f"sqlite+aiosqlite:///{tmp}/bench.db")
        sqlite_limit(f"{tmp}/bench.db", n)


async def postgres_run(n: int, concurrency: int, workers: int, rounds: int) -> None:
    """The API and plain psycopg, each on a fresh database, round after round."""
    url, drop = create_pg_database()
    plain_url, drop_plain = create_pg_database()
    try:
        await seed(plain_url)

        async def plain(r: int) -> tuple[float, float]:
            return await postgres_limit(plain_url, n, concurrency, offset=r * n)

        await api_bench(url, n, concurrency, workers, rounds=rounds, between=plain)
    finally:
        drop()
        drop_plain()


if __name__ == "__main__":
    asyncio.run(main())
