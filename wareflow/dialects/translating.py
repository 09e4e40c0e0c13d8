"""Helpers the Logistics Plus, XPS Ship and Pitney Bowes OMS translators share.

They are pure functions (no I/O). Three ideas recur:

* **Nothing a vendor sends is dropped.** Fields the canonical order has no home for are kept as
  *extras*: ``{json pointer: value}`` collected from the vendor model, stored as one JSON string in
  ``metadata`` and put back at the same place when the order is answered in that vendor's shape.
* **Replacing is a merge patch.** A vendor "PUT/PATCH the whole order" becomes an RFC 7396 patch
  over the canonical fields that vendor can express, so what another face set (a native buyer, the
  merchant's own metadata) survives.
* **Errors point at what the client sent.** Canonical field errors (``/ship_to/state``) are
  rewritten to the vendor's names (``/shipToAddress/address/state``) through a small table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel

from wareflow.core.errors import FieldError, InvalidInput

M = TypeVar("M", bound=BaseModel)
EXTRAS_LIMIT = 1000  # a metadata value's limit (wareflow.core.order)
_INDEX = re.compile(r"^\d+$")
_TOO_LARGE = Decimal(10) ** 15  # no quantity, amount or measure is near this


def blank(value: Any) -> Any:
    """Vendors send ``""`` for "no value"; the canonical order says ``None``."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def text(value: Any) -> str:
    """The opposite of :func:`blank` for vendors that answer ``""`` rather than null."""
    return "" if value is None else str(value)


def street_line(address: Mapping[str, Any]) -> str | None:
    """``address1``, or a street + house number (+ addition) written by another face (eWarehousing),
    so a vendor with one street line never drops the house number."""
    if address.get("address1"):
        return str(address["address1"])
    parts = [address.get(key) for key in ("street", "house_number", "house_number_addition")]
    return " ".join(str(part) for part in parts if part) or None


def prune(data: dict[str, Any]) -> dict[str, Any]:
    """The dict without ``None`` values (optional vendor keys are left out, not null)."""
    return {key: value for key, value in data.items() if value is not None}


def decimal_text(value: Any) -> str | None:
    """A canonical decimal (a JSON string such as ``"3.9900"``) without trailing zeros."""
    if value is None:
        return None
    number = Decimal(str(value))
    if not number.is_finite() or abs(number) >= _TOO_LARGE:
        return str(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def to_decimal(value: Any) -> Decimal:
    """A number or numeric string; ``ValueError`` otherwise (no NaN or infinity)."""
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if abs(number) >= _TOO_LARGE:
        raise ValueError("is too large")
    return number


def whole(value: Any) -> int:
    """A quantity sent as ``1`` or ``1.0`` (some vendors send decimals) as an integer."""
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise ValueError("must be a whole number")
    return int(number)


def utc_stamp(value: str | None, *, millis: bool = False) -> str | None:
    """A stored ISO time as ``2023-04-11T02:34:06+00:00`` (or ``…06.554Z`` with ``millis``)."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


# --- extras: vendor fields without a canonical home ---------------------------------------------


def _escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def collect_extras(model: BaseModel, *, skip: Iterable[str] = (), prefix: str = "") -> dict[str, Any]:
    """``{pointer: value}`` of every field the vendor model accepted without knowing it.

    ``skip`` names top-level fields (by alias) not to descend into, e.g. the lines, whose extras
    are kept on each line.
    """
    found: dict[str, Any] = {}
    for key, value in (model.model_extra or {}).items():
        found[f"{prefix}/{_escape(key)}"] = value
    skipped = set(skip)
    for name, field in type(model).model_fields.items():
        alias = field.alias or name
        if alias in skipped:
            continue
        value = getattr(model, name)
        here = f"{prefix}/{_escape(alias)}"
        if isinstance(value, BaseModel):
            found.update(collect_extras(value, prefix=here))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found.update(collect_extras(item, prefix=f"{here}/{index}"))
    return found


def pack_extras(extras: dict[str, Any], *, pointer: str = "") -> str | None:
    """Extras as one metadata value; too many of them is the client's error, not a silent loss."""
    if not extras:
        return None
    packed = orjson.dumps(extras).decode()
    if len(packed) > EXTRAS_LIMIT:
        first = next(iter(extras))
        raise InvalidInput(
            [
                FieldError(
                    pointer + first,
                    "unsupported_fields",
                    f"Fields Wareflow does not know are kept up to {EXTRAS_LIMIT} characters in all.",
                )
            ]
        )
    return packed


def unpack_extras(packed: Any) -> dict[str, Any]:
    if not isinstance(packed, str):
        return {}
    try:
        value = orjson.loads(packed)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def restore_extras(document: dict[str, Any], extras: Mapping[str, Any]) -> dict[str, Any]:
    """Put extras back at their pointers (never overwriting); a missing parent object is made
    again, a missing list item is not."""
    for pointer, value in extras.items():
        parts = [_unescape(p) for p in pointer.split("/")[1:]]
        node: Any = document
        for part in parts[:-1]:
            if isinstance(node, dict):
                if node.get(part) is None:
                    node[part] = {}
                node = node[part]
            elif isinstance(node, list) and _INDEX.match(part) and int(part) < len(node):
                node = node[int(part)]
            else:
                node = None
        if isinstance(node, dict) and parts and parts[-1] not in node:
            node[parts[-1]] = value
    return document


def json_value(value: Any) -> str | None:
    """A structured vendor value kept as one metadata string."""
    return None if value is None else orjson.dumps(value).decode()


def from_json_value(packed: Any, default: Any) -> Any:
    if not isinstance(packed, str):
        return default
    try:
        return orjson.loads(packed)
    except orjson.JSONDecodeError:
        return default


# --- replacing an order through a merge patch --------------------------------------------------


def _diff(old: Any, new: Any) -> Any:
    """The merge patch that turns ``old`` into ``new`` (objects recursively, the rest replaced)."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return new
    patch: dict[str, Any] = {key: None for key in old if key not in new}
    for key, value in new.items():
        patch[key] = _diff(old.get(key), value)
    return patch


def replacement_patch(
    current: Mapping[str, Any], new: Mapping[str, Any], *, fields: Iterable[str], metadata_prefix: str
) -> dict[str, Any]:
    """A merge patch that replaces the canonical ``fields`` a vendor expresses with ``new``'s.

    Metadata keys are replaced only under the vendor's own ``metadata_prefix``; other keys (the
    merchant's, other dialects') are left as they are, like every field the vendor cannot express.
    """
    patch: dict[str, Any] = {}
    for name in fields:
        if name != "metadata":
            patch[name] = _diff(current.get(name), new.get(name))
    old_meta = {k: v for k, v in (current.get("metadata") or {}).items() if k.startswith(metadata_prefix)}
    new_meta = dict(new.get("metadata") or {})
    meta_patch = {key: None for key in old_meta if key not in new_meta} | new_meta
    if meta_patch:
        patch["metadata"] = meta_patch
    return patch


# --- error pointers ----------------------------------------------------------------------------


def vendor_pointer(pointer: str, table: Mapping[str, str]) -> str:
    """Rewrite a canonical pointer with the longest matching ``table`` entry (``*`` = any index).

    ``{"/lines/*/sku": "/orderLines/*/productCode"}`` turns ``/lines/2/sku`` into
    ``/orderLines/2/productCode``. Pointers no entry matches are returned unchanged.
    """
    parts = pointer.split("/")[1:] if pointer else []
    pattern = ["*" if _INDEX.match(p) else p for p in parts]
    for size in range(len(parts), 0, -1):
        key = "/" + "/".join(pattern[:size])
        target = table.get(key)
        if target is None:
            continue
        indices = iter(p for p in parts[:size] if _INDEX.match(p))
        head = [next(indices, "0") if p == "*" else p for p in target.split("/")[1:]]
        return "/" + "/".join(head + parts[size:])
    return pointer


def remap_errors(exc: InvalidInput, table: Mapping[str, str]) -> InvalidInput:
    """The same refusal with every pointer in the vendor's names."""
    errors = [FieldError(vendor_pointer(e.pointer, table), e.code, e.message) for e in exc.errors]
    return InvalidInput(errors, exc.detail)


# --- validating vendor payloads ----------------------------------------------------------------

_UNION_TAGS = {"str", "int", "float", "bool", "none", "datetime", "date", "decimal", "list", "dict"}


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Pydantic names union members in locations (``datetime``, ``function-after[…]``): not fields."""
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in _UNION_TAGS)))


def validate_vendor(model: type[M], data: Any) -> M:
    """``model.model_validate(data)``; every field error as a pointer in the vendor's own names."""
    from pydantic import ValidationError

    from wareflow.core.validation import pointer

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors, seen = [], set()
        for error in exc.errors(include_url=False):
            where = pointer(_clean_loc(tuple(error["loc"])))
            if where in seen:  # one message per field, not one per union member
                continue
            seen.add(where)
            errors.append(FieldError(where, error["type"], error["msg"].removeprefix("Value error, ")))
        raise InvalidInput(errors) from None
