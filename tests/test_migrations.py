"""The migrations and the models describe the same schema, on both stores."""

from __future__ import annotations

from alembic import command

from wareflow.migrate import alembic_config, upgrade


def test_models_and_migrations_agree(database_url: str) -> None:
    command.check(alembic_config(database_url))  # raises when autogenerate would find changes


def test_upgrade_is_idempotent(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
