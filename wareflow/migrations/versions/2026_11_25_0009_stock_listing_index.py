"""stock listing index: stock rows by (organization, product, warehouse)

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # GET /v1/stock pages by (product_id, warehouse_code); without it every page sorted all of
    # an organization's stock rows.
    op.create_index(
        op.f("ix_stock_levels_organization_id_product_id_warehouse_code"),
        "stock_levels",
        ["organization_id", "product_id", "warehouse_code"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_stock_levels_organization_id_product_id_warehouse_code"), table_name="stock_levels"
    )
