"""Queries for orders and their lines. Services call these; nothing else writes SQL for orders."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from typing import cast as typing_cast

import orjson
from sqlalchemy import (
    Date,
    String,
    Table,
    bindparam,
    cast,
    delete,
    false,
    func,
    literal,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow import batch
from wareflow.core.errors import FieldError, InvalidInput
from wareflow.db import dialect_name
from wareflow.direct import Direct
from wareflow.fulfillment.models import Shipment
from wareflow.orders.models import Order, OrderLine
from wareflow.orders.presenter import present_order
from wareflow.stock import reservations
from wareflow.tenants.models import Organization
from wareflow.tenants.service import order_sequence

# Core tables for the hot insert path (the ORM's unit of work costs more than it gives there).
_ORDERS = typing_cast(Table, Order.__table__)
_LINES = typing_cast(Table, OrderLine.__table__)
_SHIPMENTS = typing_cast(Table, Shipment.__table__)

_NO_DATE = dt.date(9999, 12, 31)


@dataclass
class StoredOrder:
    """An order with its lines, as services hand it around and presenters show it."""

    order: Order
    lines: list[OrderLine] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)

    def present(self) -> dict[str, Any]:
        return present_order(self.order, self.lines, self.shipments)


SORTS = {
    "created_at": Order.created_at,
    "updated_at": Order.updated_at,
    "status": Order.status,
    # Orders without a date sort last ascending; keyset pagination needs a non-null key.
    "requested_delivery_date": func.coalesce(Order.requested_delivery_date, literal(_NO_DATE, Date())),
}


def _number(value: Any) -> Any:
    return literal("ORD") + func.lpad(cast(value, String), 11, "0")


def _intake_statement() -> Any:
    """PostgreSQL: a new order's stock rows locked (``reservations.lock_query``) and its number
    taken from the organization's own sequence, in one round trip. One row per locked stock
    row, each with the number; a single row of NULLs beside it when none is locked. The
    sequence is read once (a materialized CTE); a rolled-back order leaves a gap."""
    number = (
        select(_number(func.nextval(bindparam("sequence_name", type_=String))).label("number"))
        .cte("number")
        .prefix_with("MATERIALIZED")
    )
    locked = reservations.lock_query().cte("locked").prefix_with("MATERIALIZED")
    return select(number.c.number, *locked.c).select_from(number.outerjoin(locked, true()))


_INTAKE = Direct(_intake_statement())


async def lock_for_intake(
    session: AsyncSession, organization_id: uuid.UUID, warehouse_code: str, product_ids: set[uuid.UUID]
) -> tuple[dict[uuid.UUID, reservations.Level], str]:
    """What a new order's intake takes before its row is written: the stock rows of its
    products, locked (``reservations.lock_levels``), and its number."""
    if dialect_name(session) != "postgresql":
        number = await next_number(session, organization_id)
        return await reservations.lock_levels(session, organization_id, warehouse_code, product_ids), number
    params = {
        "sequence_name": order_sequence(organization_id),
        "organization_id": organization_id,
        "warehouse_code": warehouse_code,
        "product_ids": list(product_ids),
    }
    rows = await _INTAKE.rows(session, params)
    levels = {row[1]: reservations.Level(*row[1:]) for row in rows if row[1] is not None}
    return levels, rows[0][0]


_NEXT_IN_SEQUENCE = select(_number(func.nextval(bindparam("sequence_name", type_=String))))
_COUNT_UP = (  # built once: building an expression costs more than SQLite running it
    update(Organization)
    .where(Organization.id == bindparam("organization_id"))
    .values(order_counter=Organization.order_counter + 1)
    .returning(Organization.order_counter)
)


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> str:
    """The organization's next order number (``ORD`` and 11 digits).

    PostgreSQL: the organization's own sequence (no lock between writers). SQLite: a counter on
    the organization row (writers are serialized anyway; a rolled-back order gives it back).
    """
    if dialect_name(session) == "postgresql":
        params = {"sequence_name": order_sequence(organization_id)}
        return str(await session.scalar(_NEXT_IN_SEQUENCE, params))
    return f"ORD{await session.scalar(_COUNT_UP, {'organization_id': organization_id}):011d}"


async def insert_order(session: AsyncSession, row: dict[str, Any]) -> bool:
    """Insert the order row (its number taken beforehand) unless the organization already has
    an order with its external reference: the unique key decides, so races are safe. In a
    batch it is the batch's guard: a taken reference writes nothing of it (``Batch.written``)."""
    return await batch.insert_unless_taken(
        session, _ORDERS, row, key=("organization_id", "external_reference")
    )


async def insert_lines(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    await batch.insert_rows(session, _LINES, rows)


async def delete_lines(session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID) -> None:
    await session.execute(
        delete(OrderLine).where(OrderLine.organization_id == organization_id, OrderLine.order_id == order_id)
    )


_BY_REFERENCE = Direct(
    select(_ORDERS.c.id).where(
        _ORDERS.c.organization_id == bindparam("organization_id"),
        _ORDERS.c.external_reference == bindparam("external_reference"),
    )
)


async def find_by_reference(
    session: AsyncSession, organization_id: uuid.UUID, external_reference: str
) -> uuid.UUID | None:
    """The order with this external reference (every dry run asks, and every duplicate)."""
    params = {"organization_id": organization_id, "external_reference": external_reference}
    found = await _BY_REFERENCE.rows(session, params)
    return found[0][0] if found else None


async def get(
    session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID, *, lock: bool = False
) -> Order | None:
    query = select(Order).where(Order.organization_id == organization_id, Order.id == order_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def lines_of(
    session: AsyncSession, organization_id: uuid.UUID, order_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[OrderLine]]:
    by_order: dict[uuid.UUID, list[OrderLine]] = defaultdict(list)
    if not order_ids:
        return by_order
    query = (
        select(OrderLine)
        .where(OrderLine.organization_id == organization_id, OrderLine.order_id.in_(order_ids))
        .order_by(OrderLine.order_id, OrderLine.line_number)
    )
    for line in await session.scalars(query):
        by_order[line.order_id].append(line)
    return by_order


async def shipments_of(
    session: AsyncSession, organization_id: uuid.UUID, order_ids: list[uuid.UUID], *, lock: bool = False
) -> dict[uuid.UUID, list[Shipment]]:
    by_order: dict[uuid.UUID, list[Shipment]] = defaultdict(list)
    if not order_ids:
        return by_order
    query = select(Shipment).where(
        Shipment.organization_id == organization_id, Shipment.order_id.in_(order_ids)
    )
    if lock:
        query = query.order_by(Shipment.id).with_for_update()
    for shipment in await session.scalars(query):
        by_order[shipment.order_id].append(shipment)
    return by_order


@dataclass(frozen=True)
class OrderFilter:
    status: list[str] | None = None
    number: str | None = None
    external_reference: str | None = None
    external_id: str | None = None
    po_number: str | None = None
    warehouse_code: str | None = None
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None
    updated_from: dt.datetime | None = None
    updated_to: dt.datetime | None = None
    requested_delivery_date_from: dt.date | None = None
    requested_delivery_date_to: dt.date | None = None
    is_b2b: bool | None = None


def _where(organization_id: uuid.UUID, f: OrderFilter) -> list[Any]:
    clauses: list[Any] = [Order.organization_id == organization_id]
    if f.status:
        clauses.append(Order.status.in_(f.status))
    if f.is_b2b is not None:  # kept in the document; an order that never said is not B2B
        clauses.append(func.coalesce(Order.data["is_b2b"].as_boolean(), false()) == f.is_b2b)
    for column, value in (
        (Order.number, f.number),
        (Order.external_reference, f.external_reference),
        (Order.external_id, f.external_id),
        (Order.po_number, f.po_number),
        (Order.warehouse_code, f.warehouse_code),
    ):
        if value is not None:
            clauses.append(column == value)
    ranges: list[tuple[Any, Any, Any]] = [
        (Order.created_at, f.created_from, f.created_to),
        (Order.updated_at, f.updated_from, f.updated_to),
        (
            Order.requested_delivery_date,
            f.requested_delivery_date_from,
            f.requested_delivery_date_to,
        ),
    ]
    for column, low, high in ranges:
        if low is not None:
            clauses.append(column >= low)
        if high is not None:
            clauses.append(column < high)
    return clauses


def encode_cursor(sort: str, direction: str, order: Order) -> str:
    value = getattr(order, sort)
    if sort == "requested_delivery_date" and value is None:
        value = _NO_DATE
    raw = orjson.dumps({"s": sort, "d": direction, "v": _jsonable(value), "i": str(order.id)})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _decode_cursor(cursor: str, sort: str, direction: str) -> tuple[Any, uuid.UUID]:
    bad = InvalidInput([FieldError("/query/cursor", "invalid_cursor", "Use next_cursor as given.")])
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if data["s"] != sort or data["d"] != direction:
            raise bad
        value = data["v"]
        if sort in ("created_at", "updated_at"):
            value = dt.datetime.fromisoformat(value)
        elif sort == "requested_delivery_date":
            value = dt.date.fromisoformat(value)
        return value, uuid.UUID(data["i"])
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        raise bad from None


async def page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    f: OrderFilter,
    *,
    sort: str,
    direction: str,
    limit: int,
    cursor: str | None,
) -> list[Order]:
    """One page, keyset-paginated on (sort key, id): stable while orders are being inserted."""
    key = SORTS[sort]
    query = select(_ORDERS).where(*_where(organization_id, f))
    if cursor:
        value, last_id = _decode_cursor(cursor, sort, direction)
        after = tuple_(key, Order.id) > tuple_(value, last_id)
        before = tuple_(key, Order.id) < tuple_(value, last_id)
        query = query.where(after if direction == "asc" else before)
    order_by = (key.asc(), Order.id.asc()) if direction == "asc" else (key.desc(), Order.id.desc())
    rows = await session.execute(query.order_by(*order_by).limit(limit))
    return [_plain_order(row) for row in rows]


# Pages change nothing: their orders, lines and shipments are read as plain rows and handed out
# as instances outside the session, whose identity map and change tracking cost more than the
# rows (a page of 50 orders is about 250 objects: in process a fifth less CPU this way). What
# changes an order reads it with ``get``/``lines_of``/``shipments_of``, tracked and locked.

_Model = TypeVar("_Model")


def _plain(model: type[_Model]) -> Callable[[Sequence[Any]], _Model]:
    """Build ``model`` instances from its table's rows (columns in table order), untracked."""
    mapper = sa_inspect(model)
    keys = [mapper.get_property_by_column(column).key for column in mapper.local_table.columns]
    new = mapper.class_manager.new_instance

    def build(row: Sequence[Any]) -> _Model:
        instance = new()
        instance.__dict__.update(zip(keys, row, strict=True))
        return typing_cast(_Model, instance)

    return build


_plain_order, _plain_line, _plain_shipment = _plain(Order), _plain(OrderLine), _plain(Shipment)


def _of_orders(table: Table) -> Any:
    """The rows of some orders (parameters ``organization_id`` and ``order_ids``)."""
    return select(table).where(
        table.c.organization_id == bindparam("organization_id"),
        table.c.order_id.in_(bindparam("order_ids", expanding=True)),
    )


_PAGE_LINES = Direct(_of_orders(_LINES).order_by(_LINES.c.order_id, _LINES.c.line_number))
_PAGE_SHIPMENTS = Direct(_of_orders(_SHIPMENTS))


async def _by_order(
    session: AsyncSession,
    statement: Direct,
    build: Callable[[Sequence[Any]], _Model],
    organization_id: uuid.UUID,
    order_ids: list[uuid.UUID],
) -> dict[uuid.UUID, list[_Model]]:
    by_order: dict[uuid.UUID, list[_Model]] = defaultdict(list)
    if order_ids:
        params = {"organization_id": organization_id, "order_ids": order_ids}
        for item in map(build, await statement.rows(session, params)):
            by_order[item.order_id].append(item)  # type: ignore[attr-defined]
    return by_order


async def lines_on_page(
    session: AsyncSession, organization_id: uuid.UUID, order_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[OrderLine]]:
    """``lines_of``, untracked: for a page of orders (see above)."""
    return await _by_order(session, _PAGE_LINES, _plain_line, organization_id, order_ids)


async def shipments_on_page(
    session: AsyncSession, organization_id: uuid.UUID, order_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Shipment]]:
    """``shipments_of``, untracked: for a page of orders (see above)."""
    return await _by_order(session, _PAGE_SHIPMENTS, _plain_shipment, organization_id, order_ids)
