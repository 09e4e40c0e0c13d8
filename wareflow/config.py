"""One place for settings: every value comes from a ``WAREFLOW_*`` environment variable."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAREFLOW_", env_file=".env", extra="ignore")

    # SQLAlchemy URL: sqlite+aiosqlite:///./wareflow.db (default) or postgresql+psycopg://…
    database_url: str = "sqlite+aiosqlite:///./wareflow.db"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # Largest request body accepted, in bytes, counted as it arrives (413 past it).
    max_body_bytes: int = 1024 * 1024
    # Largest document (decoded bytes); its upload body may be this much base64 and then some.
    max_document_bytes: int = 10 * 1024 * 1024
    # How long an Idempotency-Key is remembered (documented: at least 7 days).
    idempotency_ttl_hours: int = 24 * 7
    # An in-flight Idempotency-Key older than this is considered abandoned (crashed request).
    idempotency_lock_seconds: int = 60
    # Change feed events older than this may be pruned; a cursor behind a prune answers 410.
    event_retention_days: int = 30
    # Requests per API key and process (a `limits` string such as 1200/minute); empty: no limit.
    rate_limit: str = "1200/minute"
    # How long a process remembers an API key and its organization (revocation delay).
    auth_cache_seconds: float = 5.0
    # SQL echo for debugging.
    echo_sql: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()
