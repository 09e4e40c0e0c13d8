"""Turning Pydantic's validation errors into field errors with JSON pointers."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from wareflow.core.errors import FieldError, InvalidInput
from wareflow.core.order import READ_ONLY_FIELDS

M = TypeVar("M", bound=BaseModel)


def pointer(loc: tuple[int | str, ...]) -> str:
    """RFC 6901: '/ship_to/country', '/lines/0/quantity' ('~' and '/' escaped)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def _field_error(error: ErrorDetails, prefix: tuple[int | str, ...]) -> FieldError:
    loc = tuple(error["loc"])
    code = error["type"]
    message = error["msg"].removeprefix("Value error, ")
    if code == "extra_forbidden":
        if len(loc) == 1 and loc[0] in READ_ONLY_FIELDS:
            code, message = "read_only", f"{loc[0]!r} is set by the server and cannot be sent."
        else:
            code, message = "unknown_field", f"Unknown field {str(loc[-1])!r}."
    return FieldError(pointer(prefix + loc), code, message)


def _is_union_tag(part: int | str) -> bool:
    # Pydantic names union members in locations ("str", "function-after[...]"): not fields.
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "bool", "none"})


def field_errors(exc: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[FieldError]:
    return [_field_error(error, prefix) for error in exc.errors(include_url=False)]


def validate(model: type[M], data: Any) -> M:
    """``model.model_validate(data)``, raising :class:`InvalidInput` with every field error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc)) from None
