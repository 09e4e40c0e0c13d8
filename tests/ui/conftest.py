"""Browser-test fixtures: a live ``wareflow serve`` on 127.0.0.1 against a temporary database,
seeded the way an operator would (the CLI, the API), and Debian's Chromium driven by Playwright.

Chromium comes from the system (``apt-get install chromium``; ``.ci/run`` installs it when it is
missing): Playwright's own browser download is not used. Without it, and outside CI, the browser
tests are skipped with a message; in CI (``CI=true``) they fail instead.

Every wait is bounded: the server must answer within ``START_SECONDS``, each browser step within
Playwright's timeout, and the server is stopped (then killed) at the end.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
START_SECONDS = 60
STEP_MS = 15_000  # the longest one browser action or expectation may wait
PASSWORD = "floor-password-1"
WAREHOUSE = "FLR"
CATALOG = "sku,name,ean,serial_tracked\nPHONE-X,Phone X,,true\nCASE-X,Phone case X,4006381333931,false\n"


def browser_missing() -> str:
    """Why the browser tests cannot run here ("" when they can); in CI they must run."""
    missing = []
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium)")
    if not missing:
        return ""
    message = "Browser tests need " + " and ".join(missing) + "."
    if os.environ.get("CI"):
        pytest.fail(message + " CI must run them.", pytrace=False)
    return message


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Floor:
    """A running server and what was seeded in it."""

    base_url: str
    database_url: str
    backend: str
    org: str
    operator_email: str
    merchant_email: str
    merchant_key: str
    operator_key: str
    shots: Path

    async def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(wareflow_cli, self.database_url, *args)

    def api(self, key: str) -> httpx.AsyncClient:
        headers = {"x-api-key": key, "organization-slug": self.org}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=30)


def wareflow_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WAREFLOW_DATABASE_URL": database_url}
    env.pop("WAREFLOW_SECRET_KEY", None)  # the UI's key is generated and kept in the database
    result = subprocess.run(
        [sys.executable, "-m", "wareflow.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"wareflow {' '.join(args)}: {result.stdout}{result.stderr}"
    return result


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def floor_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    if browser_missing():
        pytest.skip(browser_missing())
    if request.param == "sqlite":
        return "sqlite", f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('ui') / 'floor.db'}"
    return "postgres", request.getfixturevalue("postgres_url")  # the suite's throwaway database


def _seed(database_url: str, tmp: Path, suffix: str) -> dict[str, str]:
    org = f"floor-{suffix}"
    wareflow_cli(database_url, "migrate")
    wareflow_cli(database_url, "org", "create", org, "--name", "Floor Test Shop")
    warehouses = wareflow_cli(
        database_url, "warehouse", "create", WAREHOUSE, "--name", "Floor", "--country", "US"
    )
    assert WAREHOUSE in warehouses.stdout
    products = tmp / "products.csv"
    products.write_text(CATALOG)
    wareflow_cli(database_url, "catalog", "import", str(products), "--org", org)
    operator, merchant = f"ops-{suffix}@example.com", f"shop-{suffix}@example.com"
    wareflow_cli(database_url, "user", "create", operator, "--operator", "--password", PASSWORD)
    wareflow_cli(database_url, "user", "create", merchant, "--org", org, "--password", PASSWORD)
    return {
        "org": org,
        "operator_email": operator,
        "merchant_email": merchant,
        "merchant_key": _last_line(wareflow_cli(database_url, "apikey", "create", "--org", org)),
        "operator_key": _last_line(wareflow_cli(database_url, "apikey", "create", "--operator")),
    }


@pytest.fixture(scope="session")
def floor(
    floor_database: tuple[str, str], tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[Floor]:
    backend, database_url = floor_database
    tmp = tmp_path_factory.mktemp("seed")
    seeded = _seed(database_url, tmp, uuid.uuid4().hex[:8])
    port = _free_port()
    env = {**os.environ, "WAREFLOW_DATABASE_URL": database_url, "WAREFLOW_LOG_LEVEL": "warning"}
    env.pop("WAREFLOW_SECRET_KEY", None)
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "wareflow.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, server)
        shots = pytestconfig.rootpath / "test-output" / "screenshots" / backend
        shots.mkdir(parents=True, exist_ok=True)
        yield Floor(base_url=base_url, database_url=database_url, backend=backend, shots=shots, **seeded)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        log.close()


def _wait_until_up(base_url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"wareflow serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"wareflow serve did not answer within {START_SECONDS} s")


@pytest.fixture(scope="session")
async def browser(floor: Floor) -> AsyncIterator[Any]:
    """Chromium, driven with Playwright's async API on the test session's event loop (its sync
    API would run a loop of its own and stop the async tests' fixtures from running theirs)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def page(browser: Any, floor: Floor) -> AsyncIterator[Any]:
    """A fresh browser context (no cookies) at tablet width."""
    context = await browser.new_context(base_url=floor.base_url, viewport={"width": 1024, "height": 900})
    context.set_default_timeout(STEP_MS)
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


async def shot(page: Any, floor: Floor, name: str) -> Path:
    """Save what the screen shows (whole page) under test-output/screenshots/<backend>/."""
    path = floor.shots / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    await page.goto("/ui/")
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
