"""The PostgreSQL schema distributes by organization (docs/operations.md, "Distributing by
organization"): what Citus needs of each table is checked on the migrated schema, and the
document names every table, so a new one cannot be forgotten."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from wareflow.migrate import upgrade

DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"
TENANT = "organization_id"


def _named(function: str) -> set[str]:
    return set(re.findall(rf"{function}\('(\w+)'", DOC.read_text()))


REFERENCE, DISTRIBUTED = _named("create_reference_table"), _named("create_distributed_table")

# Column names in the key's own order (a foreign key's columns pair up by position).
_COLUMNS = """ARRAY(SELECT a.attname FROM unnest({key}) WITH ORDINALITY u(num, pos)
             JOIN pg_attribute a ON a.attrelid = {table} AND a.attnum = u.num ORDER BY u.pos)"""

_KEYS = f"""
SELECT c.relname, k.contype, k.conname,
       {_COLUMNS.format(key="k.conkey", table="k.conrelid")},
       f.relname,
       {_COLUMNS.format(key="k.confkey", table="k.confrelid")}
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_class f ON f.oid = k.confrelid
WHERE c.relnamespace = 'public'::regnamespace AND k.contype IN ('p', 'u', 'f')
"""

_UNIQUE_INDEXES = f"""
SELECT c.relname, i.relname, {_COLUMNS.format(key="x.indkey", table="x.indrelid")}
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid
WHERE c.relnamespace = 'public'::regnamespace AND x.indisunique
"""


@pytest.fixture(scope="module")
def schema(postgres_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    upgrade(postgres_url)
    libpq = make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq) as conn:
        yield conn


def _tables(conn: psycopg.Connection[tuple[object, ...]]) -> set[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
    )
    return {str(name) for (name,) in rows}


def test_the_document_names_every_table_once(schema: psycopg.Connection[tuple[object, ...]]) -> None:
    assert not REFERENCE & DISTRIBUTED
    assert _tables(schema) == REFERENCE | DISTRIBUTED


def test_distributed_tables_carry_a_required_organization(
    schema: psycopg.Connection[tuple[object, ...]],
) -> None:
    rows = schema.execute(
        "SELECT table_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND column_name = %s AND is_nullable = 'NO'",
        (TENANT,),
    )
    assert DISTRIBUTED - {str(name) for (name,) in rows} == set()


def test_keys_of_distributed_tables_include_the_organization(
    schema: psycopg.Connection[tuple[object, ...]],
) -> None:
    keys = [(t, name, cols) for t, kind, name, cols, _, _ in schema.execute(_KEYS) if kind in ("p", "u")]
    keys += list(schema.execute(_UNIQUE_INDEXES))
    missing = [f"{t}.{name} {cols}" for t, name, cols in keys if t in DISTRIBUTED and TENANT not in cols]
    assert missing == []


def test_foreign_keys_stay_on_one_node(schema: psycopg.Connection[tuple[object, ...]]) -> None:
    """Between distributed tables a key joins rows of one organization; a reference table (copied
    to every node) never points at a distributed one."""
    wrong = []
    for table, kind, name, cols, target, target_cols in schema.execute(_KEYS):
        if kind != "f":
            continue
        if table in REFERENCE and target in DISTRIBUTED:
            wrong.append(f"{name}: reference table {table} points at {target}")
        both = table in DISTRIBUTED and target in DISTRIBUTED
        paired = TENANT in cols and TENANT in target_cols and cols.index(TENANT) == target_cols.index(TENANT)
        if both and not paired:
            wrong.append(f"{name}: {table}{cols} -> {target}{target_cols} leaves the organization out")
    assert wrong == []
