"""/metrics: what Prometheus scrapes. Requests are counted by route template (never by raw path,
so labels stay few), and several API processes are added up into one answer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import Tenant, order_body


def requests_counted(text: str) -> dict[tuple[str, str, str], float]:
    return {
        (s.labels["method"], s.labels["route"], s.labels["status"]): s.value
        for family in text_string_to_metric_families(text)
        if family.name == "wareflow_http_requests"
        for s in family.samples
        if s.name == "wareflow_http_requests_total"
    }


async def test_requests_are_counted_by_route_template(tenant: Tenant, anonymous: httpx.AsyncClient) -> None:
    before = requests_counted((await anonymous.get("/metrics")).text)
    created = await tenant.client.post("/v1/orders", json=order_body())
    await tenant.client.get(f"/v1/orders/{created.json()['id']}")
    stray = f"/no-such-page-{uuid.uuid4().hex}"
    assert (await anonymous.get(stray)).status_code == 404
    assert (await anonymous.get("/ui/sign-in")).status_code == 200
    scraped = await anonymous.get("/metrics")
    assert scraped.headers["content-type"].startswith("text/plain")
    after = requests_counted(scraped.text)
    for labels in (
        ("POST", "/v1/orders", "201"),
        ("GET", "/v1/orders/{order_id}", "200"),
        ("GET", "(unmatched)", "404"),
        ("GET", "/ui/sign-in", "200"),
    ):
        assert after.get(labels, 0) - before.get(labels, 0) >= 1, labels
    assert stray not in scraped.text and created.json()["id"] not in scraped.text
    assert "wareflow_http_request_duration_seconds_bucket" in scraped.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_several_api_processes_answer_one_sum(tmp_path: Path) -> None:
    env = {**os.environ, "WAREFLOW_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    subprocess.run([sys.executable, "-m", "wareflow.cli", "migrate"], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "wareflow.cli", "serve", "--port", str(port), "--workers", "2"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to 30 s to come up
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        for _ in range(40):  # a new connection each: the two processes share them
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        for _ in range(4):  # whichever process answers the scrape, it counts both
            counted = requests_counted(httpx.get(f"{base}/metrics", timeout=5).text)
            assert counted[("GET", "/healthz", "200")] >= 41
    finally:
        server.terminate()
        server.wait(timeout=30)
