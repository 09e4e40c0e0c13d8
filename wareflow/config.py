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
    # Requests per API key (a `limits` string such as 1200/minute); empty: no limit.
    rate_limit: str = "1200/minute"
    # Where the windows are counted (a `limits` storage URI): memory:// per process, or
    # redis://host:6379 shared by every API process (install with the `redis` extra).
    rate_limit_storage: str = "memory://"
    # How long a process remembers an API key and its organization (revocation delay).
    auth_cache_seconds: float = 5.0
    # SQL echo for debugging.
    echo_sql: bool = False
    # Webhooks (docs/webhooks.md). `wareflow serve` also delivers them when this is true.
    run_worker: bool = False
    # Hosts (comma-separated) that may be reached over plain http and on private addresses.
    webhook_allowed_hosts: str = ""
    # Delay before each attempt, in seconds (about three days in all); each gets ±10% jitter.
    webhook_retry_schedule: str = "0,5,300,1800,7200,18000,36000,50400,72000,86400"
    # One attempt, connect to last byte; and how much of an answer is read.
    webhook_timeout_seconds: float = 15.0
    webhook_max_response_bytes: int = 64 * 1024
    # After a rotation the old secret keeps signing alongside the new one this long.
    webhook_secret_grace_hours: float = 24.0
    # How often an idle worker looks for work, and how many requests one worker has in flight.
    webhook_poll_seconds: float = 0.25
    webhook_concurrency: int = 16
    # Operator UI (docs/ui.md). Signs its session cookies; when unset, one is generated once and
    # kept in the database (table signing_keys), so restarts and every worker agree.
    secret_key: str | None = None
    # How long a sign-in lasts; the time zone of the dashboard's "today" and of shown times.
    ui_session_hours: float = 12.0
    # Failed sign-ins allowed per client address and e-mail (a `limits` string; ten times as many
    # per client address); then refused until the window has passed, even with the right password.
    ui_sign_in_limit: str = "10/15 minutes"
    ui_timezone: str = "UTC"
    # Prometheus metrics at /metrics (docs/operations.md); expose them only to your own network.
    metrics: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()
