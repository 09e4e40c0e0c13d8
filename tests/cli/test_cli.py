"""The ``wareflow`` command, run as a user runs it (a subprocess), on a fresh SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def wareflow(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WAREFLOW_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "wareflow.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    assert wareflow(path, "migrate").returncode == 0
    return path


def test_migrate_is_repeatable(db: Path) -> None:
    again = wareflow(db, "migrate")
    assert again.returncode == 0
    assert "up to date" in again.stdout


def test_org_warehouse_and_key(db: Path) -> None:
    assert wareflow(db, "org", "create", "acme", "--name", "Acme Inc").returncode == 0
    created = wareflow(db, "warehouse", "create", "ams", "--name", "Amsterdam", "--country", "NLD")
    assert created.returncode == 0
    assert "AMS" in created.stdout
    key = wareflow(db, "apikey", "create", "--org", "acme")
    assert key.returncode == 0
    assert key.stdout.strip().splitlines()[-1].startswith("wf_m_")
    operator = wareflow(db, "apikey", "create", "--operator")
    assert operator.stdout.strip().splitlines()[-1].startswith("wf_o_")
    [listed] = wareflow(db, "apikey", "list", "--org", "acme").stdout.splitlines()
    key_id, prefix = listed.split()[:2]
    assert key.stdout.strip().splitlines()[-1].startswith(prefix + "_") and listed.endswith("active")
    revoked = wareflow(db, "apikey", "revoke", key_id)
    assert revoked.returncode == 0 and f"key {key_id} revoked" in revoked.stdout
    assert "revoked" in wareflow(db, "apikey", "list", "--org", "acme").stdout
    assert wareflow(db, "apikey", "list", "--operator").stdout.count("wf_o_") == 1
    nobody = wareflow(db, "apikey", "revoke", "01900000-0000-7000-8000-000000000000")
    assert nobody.returncode == 1 and "No such API key" in nobody.stderr


def test_errors_are_messages_not_tracebacks(db: Path) -> None:
    assert wareflow(db, "org", "create", "acme").returncode == 0
    duplicate = wareflow(db, "org", "create", "acme")
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr
    assert "Traceback" not in duplicate.stderr
    bad_country = wareflow(db, "warehouse", "create", "X1", "--name", "X", "--country", "Narnia")
    assert bad_country.returncode == 1
    assert "Narnia" in bad_country.stderr
    neither = wareflow(db, "apikey", "create")
    assert neither.returncode == 2
    unknown = wareflow(db, "apikey", "create", "--org", "nobody")
    assert unknown.returncode == 1


def test_demo_prints_working_keys(db: Path) -> None:
    first = wareflow(db, "demo")
    assert first.returncode == 0
    assert "wf_m_" in first.stdout
    assert "wf_o_" in first.stdout
    second = wareflow(db, "demo")  # seeded already: new keys, same organization
    assert second.returncode == 0
    assert "wf_m_" in second.stdout


def test_prune_runs_on_an_empty_database(db: Path) -> None:
    result = wareflow(db, "prune", "--days", "30")
    assert result.returncode == 0
    assert "pruned 0 events" in result.stdout


def test_catalog_import_from_csv(db: Path, tmp_path: Path) -> None:
    assert wareflow(db, "org", "create", "acme").returncode == 0
    csv = tmp_path / "products.csv"
    csv.write_text(
        "sku,name,article_code,ean,serial_tracked\n"
        "TV-55,Television 55,ART-55,4006381333931,yes\n"
        "TV-65,,ART-65,,\n"
        "TV-75,Television 75,,123,\n"
    )
    result = wareflow(db, "catalog", "import", str(csv), "--org", "acme")
    assert result.returncode == 1  # some rows refused
    assert "1 created, 0 updated, 2 refused" in result.stdout
    assert "row 3: /name" in result.stderr
    assert "row 4: /ean" in result.stderr
    again = wareflow(db, "catalog", "import", str(csv), "--org", "acme")
    assert "0 created, 1 updated, 2 refused" in again.stdout


def test_demo_prints_a_ui_user_that_can_sign_in(db: Path) -> None:
    first = wareflow(db, "demo")
    line = next(li for li in first.stdout.splitlines() if "operator UI" in li)
    assert "ops@example.com" in line
    assert line.split("password ")[1].strip()
