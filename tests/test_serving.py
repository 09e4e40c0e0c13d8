"""``wareflow serve --workers N``: each API process listens on a socket of its own (SO_REUSEPORT),
so a burst of keep-alive connections spreads over the processes instead of landing on the one
that woke first; a process that dies is started again; stopping the server stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from wareflow.serving import reuse_port_supported

pytestmark = pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT is Linux's")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _api_processes(pid: int) -> list[int]:
    """The supervisor's API processes (multiprocessing's resource tracker left out)."""
    return [p for p in _children(pid) if "wareflow-api" in _cmdline(p) or _is_spawned_api(p)]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _is_spawned_api(pid: int) -> bool:
    return "multiprocessing.spawn" in _cmdline(pid) and "resource_tracker" not in _cmdline(pid)


@contextmanager
def _served(tmp_path: Path, workers: int) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    env = {
        **os.environ,
        "WAREFLOW_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 's.db'}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    (tmp_path / "metrics").mkdir()
    subprocess.run([sys.executable, "-m", "wareflow.cli", "migrate"], env=env, check=True, timeout=120)
    port = _free_port()
    command = [sys.executable, "-m", "wareflow.cli", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base)
        yield server, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base: str) -> None:
    for _ in range(300):  # up to 30 s
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not come up")


def _burst(base: str, connections: int, requests: int) -> None:
    """Open every connection before any is used (all wait in the accept queue together, as a
    proxy's upstream pool or a load generator opens them), then send requests on each."""
    host, port = base.removeprefix("http://").split(":")
    opened = [socket.create_connection((host, int(port)), timeout=10) for _ in range(connections)]
    request = f"GET /healthz HTTP/1.1\r\nhost: {host}\r\n\r\n".encode()
    try:
        for _ in range(requests // connections):
            for conn in opened:
                conn.sendall(request)
            for conn in opened:
                answer = b""
                while not answer.endswith(b"}"):  # {"status":"ok"}
                    answer += conn.recv(4096)
                assert answer.startswith(b"HTTP/1.1 200"), answer
    finally:
        for conn in opened:
            conn.close()


def test_connections_opened_at_once_spread_over_the_processes(tmp_path: Path) -> None:
    with _served(tmp_path, workers=2) as (server, base):
        _burst(base, connections=16, requests=64)
        processes = _api_processes(server.pid)
        # Each process that answered a request keeps its metrics in a file named by its pid.
        answered = {int(f.stem.rsplit("_", 1)[1]) for f in (tmp_path / "metrics").glob("counter_*.db")}
        assert len(processes) == 2
        assert set(processes) <= answered


def test_a_killed_process_is_started_again_and_stopping_stops_all(tmp_path: Path) -> None:
    with _served(tmp_path, workers=2) as (server, base):
        first = _api_processes(server.pid)
        os.kill(first[0], signal.SIGKILL)
        for _ in range(100):  # up to 10 s
            now = _api_processes(server.pid)
            if len(now) == 2 and first[0] not in now:
                break
            time.sleep(0.1)
        assert len(now) == 2 and first[0] not in now
        _burst(base, connections=8, requests=32)
    for pid in now:  # the supervisor stopped them when it stopped
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
