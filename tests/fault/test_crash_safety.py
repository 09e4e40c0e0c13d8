"""A small crash-safety run in CI: bench/crash_safety.py kills the server and the webhook worker
with SIGKILL mid-load; no acknowledged order may be lost or doubled, no event undelivered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "bench" / "crash_safety.py"


def test_nothing_acknowledged_is_lost_through_kills(postgres_url: str) -> None:
    # postgres_url: PostgreSQL must answer (the fixture fails in CI, skips on a laptop without it)
    env = {**os.environ}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--orders", "150", "--kills", "3", "--concurrency", "16"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    print(summary)
    assert result.returncode == 0, summary
    assert "lost 0, duplicates 0" in summary
    assert "undelivered 0" in summary


pytestmark = pytest.mark.postgres
