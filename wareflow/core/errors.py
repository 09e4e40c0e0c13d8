"""Domain errors: what a rule says when it refuses.

::

    DomainError                 a rule refused the request (HTTP status carried for the API edge)
    ├── BadRequest              400: a combination the vendors refuse outright (carrier choice, …)
    ├── NotFound                404: no such resource in this organization
    ├── Conflict                409: the resource exists in a state that refuses the request
    │   ├── DuplicateReference  409: the organization already has this external reference
    │   └── TransitionRefused   409: the lifecycle does not allow this action now
    ├── PreconditionFailed      412: If-Match did not match the current version
    ├── Gone                    410: the resource (or feed cursor) is no longer served
    └── InvalidInput            422: field errors, each with a JSON pointer
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    pointer: str  # RFC 6901 JSON pointer into the request body, e.g. "/ship_to/country"
    code: str  # machine-readable, e.g. "unknown_country"
    message: str


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    title: str = "Bad request"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: object):
        super().__init__(detail)
        self.detail = detail
        self.errors: list[FieldError] = errors or []
        self.extra = extra
        self.headers: dict[str, str] = {}

    def with_headers(self, headers: dict[str, str]) -> DomainError:
        """HTTP headers the answer must carry (``Retry-After``, …)."""
        self.headers = headers
        return self


class BadRequest(DomainError):
    status, code, title = 400, "bad_request", "Bad request"


class NotFound(DomainError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(DomainError):
    status, code, title = 409, "conflict", "Conflict"


class DuplicateReference(Conflict):
    code, title = "duplicate_reference", "Duplicate external reference"


class TransitionRefused(Conflict):
    code, title = "transition_refused", "Not allowed in the current status"


class PreconditionFailed(DomainError):
    status, code, title = 412, "precondition_failed", "Precondition failed"


class Gone(DomainError):
    status, code, title = 410, "gone", "Gone"


class InvalidInput(DomainError):
    """Raised with every field error found, not only the first."""

    status, code, title = 422, "validation_failed", "Validation failed"

    def __init__(self, errors: list[FieldError], detail: str = "The request has invalid fields."):
        super().__init__(detail, errors=errors)
