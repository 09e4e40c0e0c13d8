"""How many SQL statements the hot requests send: a guard against round trips creeping back.

Speed is measured in ``bench/``, never timed here; but each statement is a round trip that costs
CPU on both sides, so the count per request is a behaviour worth pinning. Raise a budget only
with a reason (and the bench's figures) in the commit.
"""

from __future__ import annotations

from tests.conftest import Tenant, order_body
from tests.statements import counting
from wareflow.db import Database

# Creating an allocated order of 3 lines: resolve the lines; lock the stock and take the order's
# number; then the order row (as settling left it), its lines, the stock reserved, its movements
# and allocations, the shipment and the events: on PostgreSQL one statement (``batch.batched``),
# on SQLite one each, and SQLite counts the order number up on the organization row.
CREATE_BUDGET = {"postgresql": 3, "sqlite": 10}
READ_BUDGET = 3  # an order, its lines, its shipments


async def test_creating_an_order_stays_within_its_statement_budget(tenant: Tenant, db: Database) -> None:
    lines = [{"sku": sku, "quantity": 1} for sku in ("HP-SPX360", "A-1", "B-2")]
    await tenant.client.post("/v1/orders", json=order_body(lines=lines))  # warms the key cache
    with counting(db) as statements:
        response = await tenant.client.post("/v1/orders", json=order_body(lines=lines))
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "allocated"
    assert len(statements) <= CREATE_BUDGET[db.engine.dialect.name], statements


async def test_reading_an_order_stays_within_its_statement_budget(tenant: Tenant, db: Database) -> None:
    created = (await tenant.client.post("/v1/orders", json=order_body())).json()
    with counting(db) as statements:
        response = await tenant.client.get(f"/v1/orders/{created['id']}")
    assert response.status_code == 200
    assert len(statements) <= READ_BUDGET, statements
