"""tenant keys for the feed tables: events and stock_movements keyed by (organization, id)

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Citus distributes a table by organization only when its primary key includes the organization
# (docs/operations.md). SQLite keeps the single-column key: it numbers rows only for an
# ``INTEGER PRIMARY KEY`` alone, and it is never distributed.
_TABLES = ("events", "stock_movements")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        # Rebuilds the key's index under a lock: on a large table, build a unique index on
        # (organization_id, id) CONCURRENTLY first and swap it in with USING INDEX instead.
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, ["organization_id", "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, ["id"])
