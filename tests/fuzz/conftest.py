"""A live ``wareflow serve`` on 127.0.0.1 with a fresh, seeded database, for the fuzzers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest


@dataclass(frozen=True)
class LiveServer:
    url: str
    merchant_key: str
    operator_key: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    env = {
        **os.environ,
        "WAREFLOW_DATABASE_URL": f"sqlite+aiosqlite:///{db}",
        "WAREFLOW_RATE_LIMIT": "",
        "WAREFLOW_LOG_LEVEL": "warning",
    }
    run = [sys.executable, "-m", "wareflow.cli"]
    subprocess.run([*run, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    demo = subprocess.run([*run, "demo"], env=env, check=True, capture_output=True, text=True, timeout=120)
    keys = {
        line.split("(")[0].split()[0]: line.split()[-1]
        for line in demo.stdout.splitlines()
        if " key (" in line
    }
    port = _free_port()
    log = (tmp_path_factory.getbasetemp() / "fuzz-server.log").open("wb")
    server = subprocess.Popen(
        [*run, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("wareflow serve did not start")
        yield LiveServer(url, keys["merchant"], keys["operator"])
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
