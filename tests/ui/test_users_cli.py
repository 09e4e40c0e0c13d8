"""``wareflow user``: operators and merchant users for the UI, as an operator makes them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def wareflow(db: Path, *args: str, typed: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WAREFLOW_DATABASE_URL": f"sqlite+aiosqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "-m", "wareflow.cli", *args],
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "users.db"
    assert wareflow(path, "migrate").returncode == 0
    assert wareflow(path, "org", "create", "acme").returncode == 0
    return path


def test_users_are_made_and_their_passwords_changed(db: Path) -> None:
    asked = wareflow(
        db, "user", "create", "Ops@Example.com", "--operator", typed="long password\nlong password\n"
    )
    assert asked.returncode == 0, asked.stderr
    assert "user ops@example.com created (operator)" in asked.stdout
    given = wareflow(db, "user", "create", "shop@example.com", "--org", "acme", "--password", "long password")
    assert "merchant of acme" in given.stdout
    again = wareflow(db, "user", "create", "OPS@example.com", "--operator", "--password", "long password")
    assert again.returncode == 1 and "already exists" in again.stderr
    changed = wareflow(db, "user", "password", "ops@example.com", typed="new password\nnew password\n")
    assert changed.returncode == 0 and "password of ops@example.com changed" in changed.stdout


def test_refusals_are_messages(db: Path) -> None:
    neither = wareflow(db, "user", "create", "a@example.com", "--password", "long password")
    assert neither.returncode == 2 and "--operator or --org" in neither.stderr
    short = wareflow(db, "user", "create", "a@example.com", "--operator", "--password", "short")
    assert short.returncode == 1 and "8 to 1024 characters" in short.stderr
    bad = wareflow(db, "user", "create", "not-an-email", "--operator", "--password", "long password")
    assert bad.returncode == 1 and "/email" in bad.stderr
    nobody = wareflow(db, "user", "password", "nobody@example.com", "--password", "long password")
    assert nobody.returncode == 1 and "No user" in nobody.stderr
    for result in (neither, short, bad, nobody):
        assert "Traceback" not in result.stderr


def test_users_are_listed_disabled_and_enabled(db: Path) -> None:
    for args in (("ops@example.com", "--operator"), ("shop@example.com", "--org", "acme")):
        assert wareflow(db, "user", "create", *args, "--password", "long password").returncode == 0
    listed = wareflow(db, "user", "list").stdout.splitlines()
    assert [line.split()[:4] for line in listed] == [
        ["ops@example.com", "operator", "(all)", "enabled"],
        ["shop@example.com", "merchant", "acme", "enabled"],
    ]
    assert "user shop@example.com disabled" in wareflow(db, "user", "disable", "Shop@Example.com").stdout
    assert "disabled" in wareflow(db, "user", "list").stdout.splitlines()[1]
    # the last operator who can sign in stays: the UI would have nobody left to run it
    last = wareflow(db, "user", "disable", "ops@example.com")
    assert last.returncode == 1 and "last operator who can sign in" in last.stderr
    assert "user shop@example.com enabled" in wareflow(db, "user", "enable", "shop@example.com").stdout
    nobody = wareflow(db, "user", "disable", "nobody@example.com")
    assert nobody.returncode == 1 and "No user" in nobody.stderr and "Traceback" not in nobody.stderr
