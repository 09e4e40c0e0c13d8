"""No input gives a 500: the pages' examples with one value anywhere replaced by any JSON value,
sent to Logistics Plus, XPS Ship and Pitney Bowes OMS. Every answer is a 2xx or a 4xx."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Tenant
from tests.dialects.logisticsplus import examples as lp_ex
from tests.dialects.oms import examples as oms_ex
from tests.dialects.webship import examples as xps_ex

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", " ", "1e999999", "-1", "0.0000001", "US", "2023-02-30", "\u0000"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def mutated(example: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(example)
    node: Any = body
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return body


CASES = {
    "logisticsplus": (lp_ex.B2C, "POST", "/compat/logisticsplus/warehouse/v1/orders", "x-api-key", "{key}"),
    "webship": (
        xps_ex.PUT_ORDER,
        "PUT",
        "/compat/webship/restapi/v1/customers/{slug}/integrations/1/orders/123ABC",
        "authorization",
        "RSIS {key}",
    ),
    "oms": (oms_ex.CREATE_ORDER, "POST", "/compat/oms/api/v1/orders", "authorization", "Bearer {key}"),
}


@pytest.mark.parametrize("dialect", list(CASES))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_any_value_anywhere_is_never_a_500(
    dialect: str, tenant: Tenant, anonymous: httpx.AsyncClient, data: st.DataObject
) -> None:
    example, method, url, header, credential = CASES[dialect]
    path = data.draw(st.sampled_from(paths(example)))
    body = mutated(example, path, data.draw(JSON))
    response = await anonymous.request(
        method,
        url.format(slug=tenant.slug),
        json=body,
        headers={header: credential.format(key=tenant.key)},
    )
    assert response.status_code < 500, (path, body, response.text)
