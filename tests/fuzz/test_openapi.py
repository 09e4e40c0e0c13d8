"""Schemathesis against ``/openapi.json`` of a live server: generated requests for every native
operation, as a merchant and as an operator; none may answer 5xx or break its documented schema.

CI runs a short pass (``WAREFLOW_FUZZ_EXAMPLES``, default 8 per operation and caller: about
1,100 requests); the full run is ``WAREFLOW_FUZZ_EXAMPLES=40 .venv/bin/pytest tests/fuzz -s``
(docs/operations.md).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.fuzz.conftest import LiveServer

EXAMPLES = int(os.environ.get("WAREFLOW_FUZZ_EXAMPLES", "8"))


def _fuzz(operation: Any, headers: dict[str, str], sent: Counter[int]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy())
    def exercise(case: schemathesis.Case) -> None:
        response = case.call(headers=headers, timeout=30)
        sent[response.status_code // 100] += 1
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
        case.validate_response(response, checks=[schemathesis.checks.response_schema_conformance])

    exercise()


def test_no_server_errors_and_answers_match_their_schema(live_server: LiveServer) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    merchant = {"x-api-key": live_server.merchant_key}
    operator = {"x-api-key": live_server.operator_key, "organization-slug": "demo"}
    sent: Counter[int] = Counter()
    for result in schema.get_all_operations():
        for headers in (merchant, operator):
            _fuzz(result.ok(), headers, sent)
    print(f"schemathesis: {sum(sent.values())} requests, by status class {dict(sorted(sent.items()))}")
    assert sent[5] == 0
