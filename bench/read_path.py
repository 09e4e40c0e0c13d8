"""Reads at scale on PostgreSQL: get-by-id and list-with-filter latency over 1,000,000 orders,
with EXPLAIN proving the index each uses, and the change-feed read rate.

    .venv/bin/python bench/read_path.py --orders 1000000 --requests 2000

The rows are written with one INSERT … SELECT generate_series (not through the API: a million
API calls would take the bench an hour); the reads go through a real ``wareflow serve``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
import uuid

import httpx
import psycopg

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.create_orders import (
    create_pg_database,
    free_port,
    percentile,
    rss_mb,
    run_load,
    seed,
)

FILL = """
INSERT INTO orders (organization_id, id, number, external_reference, external_id, po_number, warehouse_code,
                    status, version, data, created_at, updated_at, requested_delivery_date)
SELECT %(org)s, (lpad(to_hex(g), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       'ORD' || lpad((100000000 + g)::text, 11, '0'), 'BULK-' || g, 'EXT-' || g, 'PO-' || (g %% 5000),
       'LAW', (ARRAY['received','allocated','backordered','on_hold','shipped','canceled'])[1 + g %% 6], 1,
       jsonb_build_object('external_reference', 'BULK-' || g, 'ship_to',
                          jsonb_build_object('name', 'Customer ' || g, 'country', 'US', 'city', 'Austin')),
       now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval,
       (date '2026-01-01' + (g %% 365))
FROM generate_series(1, %(n)s) AS g
"""
EVENTS = """
INSERT INTO events (organization_id, txid, type, order_id, data, occurred_at)
SELECT %(org)s, 1, 'order.created', (lpad(to_hex(g), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       jsonb_build_object('sequence', 1), now()
FROM generate_series(1, %(n)s) AS g
"""


def explain(libpq: str, org: uuid.UUID) -> None:
    with psycopg.connect(libpq) as conn:
        for label, sql, params in (
            (
                "get by id",
                "SELECT * FROM orders WHERE organization_id = %s AND id = %s",
                (org, "00000010-0000-7000-8000-000000000010"),
            ),
            (
                "list, status filter, newest first",
                "SELECT * FROM orders WHERE organization_id = %s AND status = 'backordered' "
                "ORDER BY created_at DESC, id DESC LIMIT 51",
                (org,),
            ),
            (
                "list by po_number",
                "SELECT * FROM orders WHERE organization_id = %s AND po_number = 'PO-42' "
                "ORDER BY created_at DESC, id DESC LIMIT 51",
                (org,),
            ),
        ):
            plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params).fetchall()
            print(f"  EXPLAIN {label}:")
            for (line,) in plan[:12]:
                print(f"    {line}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,8")
    args = parser.parse_args()
    url, drop = create_pg_database()
    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        key = await seed(url, skus=3)
        with psycopg.connect(libpq, autocommit=True) as conn:
            org = conn.execute("SELECT id FROM organizations WHERE slug = 'bench'").fetchone()[0]  # type: ignore[index]
            started = time.perf_counter()
            conn.execute(FILL, {"org": org, "n": args.orders})
            conn.execute(EVENTS, {"org": org, "n": min(args.orders, 200_000)})
            conn.execute("ANALYZE")
            print(f"filled {args.orders} orders in {time.perf_counter() - started:.0f} s", flush=True)
        explain(libpq, org)
        port = free_port()
        env = {
            **os.environ,
            "WAREFLOW_DATABASE_URL": url,
            "WAREFLOW_LOG_LEVEL": "warning",
            "WAREFLOW_RATE_LIMIT": "",
        }
        server = subprocess.Popen(  # noqa: ASYNC220 - the server runs beside the load
            [sys.executable, "-m", "wareflow.cli", "serve", "--port", str(port)], env=env
        )
        try:
            async with httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}",
                headers={"x-api-key": key},
                timeout=60,
                limits=httpx.Limits(max_connections=64),
            ) as client:
                for _ in range(100):
                    try:
                        if (await client.get("/readyz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)

                async def get_one(i: int) -> None:
                    g = random.randint(1, args.orders)
                    order_id = f"{g:08x}-0000-7000-8000-{g:012x}"
                    assert (await client.get(f"/v1/orders/{order_id}")).status_code == 200

                async def list_one(i: int) -> None:
                    status = random.choice(["received", "allocated", "backordered", "on_hold"])
                    response = await client.get(f"/v1/orders?status={status}&limit=50")
                    assert response.status_code == 200 and len(response.json()["items"]) == 50

                feed_pages = 0

                async def feed_one(i: int) -> None:
                    nonlocal feed_pages
                    response = await client.get("/v1/events?limit=1000")
                    assert response.status_code == 200
                    feed_pages += 1

                tests = (("get by id", get_one), ("list with status filter (50)", list_one))
                for (label, one), c in ((t, int(c)) for t in tests for c in args.concurrency.split(",")):
                    await run_load(100, c, one)
                    rate, latencies = await run_load(args.requests, c, one)
                    print(
                        f"  {label:<30} c={c:<2} {rate:6.0f} req/s   p50 {percentile(latencies, 0.5):6.1f} ms"
                        f"   p95 {percentile(latencies, 0.95):6.1f} ms   p99 {percentile(latencies, 0.99):6.1f} ms",
                        flush=True,
                    )
                rate, _ = await run_load(200, 4, feed_one)
                print(f"  change feed: {rate * 1000:,.0f} events/s (pages of 1,000)")
                print(f"  API process RSS {'/'.join(f'{m:.0f}' for m in rss_mb(server.pid))} MB")
        finally:
            server.terminate()
            server.wait()
    finally:
        drop()


if __name__ == "__main__":
    asyncio.run(main())
