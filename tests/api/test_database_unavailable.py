"""When the database cannot be reached, clients get a 503 to retry, never a 500."""

from __future__ import annotations

import httpx
import pytest

from wareflow.app import create_app
from wareflow.config import Settings

UNREACHABLE = {
    "postgres": "postgresql+psycopg://postgres@127.0.0.1:1/nowhere",  # nothing listens on port 1
    "sqlite": "sqlite+aiosqlite:////nonexistent-directory/wareflow.db",  # cannot be opened
}


@pytest.mark.parametrize("store", sorted(UNREACHABLE))
async def test_an_unreachable_database_answers_503_with_retry_after(store: str) -> None:
    app = create_app(Settings(database_url=UNREACHABLE[store]))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test") as client:
            headers = {"x-api-key": "wf_merchant_abcdefgh_" + "x" * 32}
            listed = await client.get("/v1/orders", headers=headers)
            created = await client.post("/v1/orders", headers=headers, json={"external_reference": "A-1"})
            ready = await client.get("/readyz")
    for response in (listed, created):
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        assert response.json()["code"] == "database_unavailable"
    assert ready.status_code == 503
