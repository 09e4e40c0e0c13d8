"""The ``wareflow`` command. Every command uses WAREFLOW_DATABASE_URL."""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.config import get_settings
from wareflow.core.errors import DomainError
from wareflow.db import Database

app = typer.Typer(help="Wareflow: warehouse fulfillment orders.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations (merchants).", no_args_is_help=True)
warehouse_app = typer.Typer(help="Warehouses.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(warehouse_app, name="warehouse")
app.add_typer(apikey_app, name="apikey")
catalog_app = typer.Typer(help="The catalog.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")
user_app = typer.Typer(help="Users of the operator UI (/ui).", no_args_is_help=True)
app.add_typer(user_app, name="user")


T = TypeVar("T")


def _in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction; a domain error is printed, not a traceback."""

    async def main() -> T:
        db = Database(get_settings().database_url)
        try:
            async with db.sessions() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        details = "; ".join(f"{e.pointer}: {e.message}" for e in exc.errors)
        typer.echo(f"error: {exc.detail} {details}".strip(), err=True)
        raise typer.Exit(1) from None


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    from wareflow.migrate import upgrade

    upgrade(get_settings().database_url)
    typer.echo("database is up to date")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    workers: Annotated[int, typer.Option(help="API processes")] = 1,
) -> None:
    """Serve the API (and later the UI) with uvicorn."""
    import uvicorn

    from wareflow import serving

    settings = get_settings()
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every API process writes its metrics here; /metrics, in whichever answers, adds them up.
        metrics_dir = tempfile.mkdtemp(prefix="wareflow-metrics-")
        atexit.register(shutil.rmtree, metrics_dir, ignore_errors=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    config: dict[str, Any] = {
        "app": "wareflow.app:create_app",
        "factory": True,
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": False,
    }
    if workers > 1 and serving.reuse_port_supported():
        serving.run(config, workers)  # a listening socket per process (see wareflow/serving.py)
    else:
        uvicorn.run(**config, workers=workers)


@app.command()
def worker() -> None:
    """Deliver webhooks from the event log until stopped (SIGTERM/SIGINT). Run as many as you
    like on PostgreSQL; they share the queue."""
    from wareflow.logging import configure_logging
    from wareflow.webhooks.worker import run_until_signalled

    settings = get_settings()
    configure_logging(settings.log_level)
    asyncio.run(run_until_signalled(settings))


@org_app.command("create")
def org_create(slug: str, name: Annotated[str | None, typer.Option()] = None) -> None:
    """Create an organization (a merchant of the warehouse)."""
    from wareflow.tenants import service

    org = _in_session(lambda s: service.create_organization(s, slug=slug, name=name))
    typer.echo(f"organization {org.slug} created ({org.id})")


@warehouse_app.command("create")
def warehouse_create(
    code: str,
    name: Annotated[str, typer.Option(help="Display name")],
    country: Annotated[str, typer.Option(help="ISO country code")],
) -> None:
    """Create a warehouse (serves every organization)."""
    from wareflow.tenants import service

    wh = _in_session(lambda s: service.create_warehouse(s, code=code, name=name, country=country))
    typer.echo(f"warehouse {wh.code} created")


@apikey_app.command("create")
def apikey_create(
    org: Annotated[str | None, typer.Option(help="Merchant key of this organization slug")] = None,
    operator: Annotated[bool, typer.Option(help="Operator key (all organizations)")] = False,
    name: Annotated[str, typer.Option(help="A label for the key")] = "",
) -> None:
    """Create an API key; the key itself is printed alone on the last line, once."""
    from wareflow.tenants import service

    if (org is None) == (not operator) or (org and operator):
        typer.echo("error: give exactly one of --org SLUG or --operator", err=True)
        raise typer.Exit(2)

    async def work(session: AsyncSession) -> str:
        organization = await service.require_organization(session, org) if org else None
        _, key = await service.create_api_key(session, organization=organization, name=name)
        return key

    key = _in_session(work)
    typer.echo(f"{'merchant key of ' + org if org else 'operator key'} (shown once):")
    typer.echo(key)


@apikey_app.command("list")
def apikey_list(
    org: Annotated[str | None, typer.Option(help="Keys of this organization slug")] = None,
    operator: Annotated[bool, typer.Option(help="Operator keys")] = False,
) -> None:
    """An organization's keys, or the operator keys: id, prefix, name, created, revoked."""
    from wareflow.tenants import service

    if (org is None) == (not operator) or (org and operator):
        typer.echo("error: give exactly one of --org SLUG or --operator", err=True)
        raise typer.Exit(2)

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        organization = await service.require_organization(session, org) if org else None
        keys = await service.list_api_keys(session, organization.id if organization else None)
        return [service.present_api_key(k) for k in keys]

    for key in _in_session(work):
        state = f"revoked {key['revoked_at'][:16]}" if key["revoked_at"] else "active"
        typer.echo(
            f"{key['id']}  {key['prefix']:<20} {key['name'] or '-':<24} {key['created_at'][:16]}  {state}"
        )


@apikey_app.command("revoke")
def apikey_revoke(key_id: uuid.UUID) -> None:
    """Revoke a key by its id (from `wareflow apikey list` or GET /v1/api-keys)."""
    from wareflow.tenants import service
    from wareflow.tenants.models import ApiKey

    async def work(session: AsyncSession) -> str:
        found = await session.get(ApiKey, key_id)
        await service.revoke_api_key(
            session, organization_id=found.organization_id if found else None, key_id=key_id
        )
        return str(key_id)

    typer.echo(f"key {_in_session(work)} revoked (other API processes stop accepting it within seconds)")


@app.command()
def prune(
    days: Annotated[int | None, typer.Option(help="Keep this many days of events")] = None,
) -> None:
    """Housekeeping (run daily): drop change-feed events past retention
    (WAREFLOW_EVENT_RETENTION_DAYS), expired Idempotency-Keys and finished webhook deliveries."""
    import datetime as dt

    from wareflow.db import utcnow
    from wareflow.events.service import prune as prune_events
    from wareflow.idempotency.service import purge_expired
    from wareflow.tenants.models import Organization
    from wareflow.webhooks.deliveries import prune as prune_deliveries

    keep = days if days is not None else get_settings().event_retention_days
    before = utcnow() - dt.timedelta(days=keep)

    async def work(session: AsyncSession) -> tuple[int, int, int]:
        events = 0
        for org_id in (await session.scalars(select(Organization.id))).all():
            events += await prune_events(session, organization_id=org_id, before=before)
        return events, await purge_expired(session), await prune_deliveries(session, before=before)

    events, keys, deliveries = _in_session(work)
    typer.echo(f"pruned {events} events older than {before:%Y-%m-%d} and {keys} expired keys")
    typer.echo(f"pruned {deliveries} finished webhook deliveries")


@catalog_app.command("import")
def catalog_import(
    file: Annotated[
        typer.FileText, typer.Argument(help="CSV with a header row: sku,name,article_code,ean,…")
    ],
    org: Annotated[str, typer.Option(help="Organization slug")],
) -> None:
    """Create or update products by SKU from a CSV file; prints one line per refused row."""
    import csv

    from wareflow.catalog.service import import_products
    from wareflow.orders.allocation import retry_unknown_skus
    from wareflow.tenants import service

    rows = [{k: v for k, v in row.items() if k and v not in (None, "")} for row in csv.DictReader(file)]
    for row in rows:
        for flag in ("serial_tracked", "lot_tracked"):
            if flag in row:
                row[flag] = row[flag].strip().lower() in ("1", "true", "yes", "y")

    async def work(session: AsyncSession) -> list[Any]:
        organization = await service.require_organization(session, org)
        results = await import_products(session, organization_id=organization.id, rows=rows)
        codes = {r.product.sku for r in results if r.product is not None}
        await retry_unknown_skus(session, organization_id=organization.id, codes=codes, actor="cli")
        return results

    results = _in_session(work)
    for result in results:
        for error in result.errors or []:
            typer.echo(f"row {result.index + 2}: {error.pointer or '-'}: {error.message}", err=True)
    counts = {s: sum(r.status == s for r in results) for s in ("created", "updated", "error")}
    typer.echo(f"{counts['created']} created, {counts['updated']} updated, {counts['error']} refused")
    if counts["error"]:
        raise typer.Exit(1)


@app.command()
def demo() -> None:
    """Seed a demo organization, warehouse and keys (when the database is empty), print keys."""
    from wareflow.demo import seed
    from wareflow.tenants.models import Organization

    async def work(session: AsyncSession) -> dict[str, str]:
        empty = not await session.scalar(select(func.count()).select_from(Organization))
        return await seed(session, fresh=empty)

    keys = _in_session(work)
    typer.echo("Demo organization 'demo', warehouse LAW, catalog HP-SPX360, MOUSE-01, USB-C-1M, BAG-15.")
    typer.echo(f"  merchant key (organization demo): {keys['merchant']}")
    typer.echo(f"  operator key (all organizations):  {keys['operator']}")
    typer.echo(
        f"  operator UI: http://127.0.0.1:8000/ui/  user {keys['ui_user']}  password {keys['ui_password']}"
    )
    typer.echo("Try: curl -H 'Authorization: Bearer <merchant key>' http://127.0.0.1:8000/v1/orders")


Password = Annotated[
    str,
    typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for when not given"),
]


@user_app.command("create")
def user_create(
    email: str,
    password: Password,
    operator: Annotated[bool, typer.Option(help="Operator: the warehouse, every organization")] = False,
    org: Annotated[str | None, typer.Option(help="Merchant user who sees only this organization")] = None,
    name: Annotated[str, typer.Option(help="Display name")] = "",
) -> None:
    """Create a user who signs in to the UI at /ui (give --operator or --org SLUG)."""
    from wareflow.tenants import service
    from wareflow.users import service as users

    if operator == bool(org):
        typer.echo("error: give exactly one of --operator or --org SLUG", err=True)
        raise typer.Exit(2)

    async def work(session: AsyncSession) -> str:
        organization = await service.require_organization(session, org) if org else None
        user = await users.create_user(
            session,
            email=email,
            password=password,
            organization_id=organization.id if organization else None,
            name=name,
        )
        return user.email

    created = _in_session(work)
    typer.echo(f"user {created} created ({'operator' if operator else 'merchant of ' + str(org)})")


@user_app.command("password")
def user_password(email: str, password: Password) -> None:
    """Set a user's password (their open sessions end)."""
    from wareflow.users import service as users

    user = _in_session(lambda s: users.set_password(s, email=email, password=password))
    typer.echo(f"password of {user.email} changed")


@user_app.command("list")
def user_list() -> None:
    """Every UI user: e-mail, role, organization, state and last sign-in."""
    from wareflow.users import service as users

    for user, org in _in_session(users.list_users):
        state = "disabled" if user.disabled_at else "enabled"
        last = user.last_sign_in_at.strftime("%Y-%m-%d %H:%M") if user.last_sign_in_at else "never"
        typer.echo(f"{user.email:<40} {user.role:<9} {org or '(all)':<20} {state:<9} last sign-in {last}")


def _set_enabled(email: str, enabled: bool) -> str:
    from wareflow.users import service as users

    async def work(session: AsyncSession) -> str:
        user = await users.find_user(session, email=email)
        await users.set_enabled(session, user, enabled=enabled)
        return user.email

    return _in_session(work)


@user_app.command("disable")
def user_disable(email: str) -> None:
    """Stop a user from signing in; their open sessions and tokens end at once."""
    typer.echo(f"user {_set_enabled(email, False)} disabled")


@user_app.command("enable")
def user_enable(email: str) -> None:
    """Let a disabled user sign in again (with the password they had)."""
    typer.echo(f"user {_set_enabled(email, True)} enabled")


if __name__ == "__main__":  # pragma: no cover
    app()
