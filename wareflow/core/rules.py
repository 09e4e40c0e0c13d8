"""Field rules of the canonical order, each delegated to the library that knows the field.

Every function takes the raw value and returns the normalized one, or raises ``ValueError`` with a
message meant for the merchant (Pydantic turns it into a field error with a JSON pointer).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email

# Incoterms 2020 plus the carrier terms Logistics Plus documents (PPD, CLT, C3P, FCD, FC1, …).
INCOTERMS = frozenset(
    "PPD CLT C3P FCD CFR CIF CIP CPT DAP DAT DDP DPU EXW FAS FC1 FC2 FCA FOB".split()  # noqa: SIM905
)
# Countries whose state must be a real subdivision code (carriers reject anything else).
STRICT_SUBDIVISION_COUNTRIES = frozenset({"US", "CA"})

_METADATA_KEY = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")


# Countries and subdivisions are static data: their lookups are cached (every order has two).
@lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 from alpha-2, alpha-3 or English name; unknown countries refused."""
    text = value.strip()
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        raise ValueError(f"{value!r} is not a known country (use ISO 3166-1 alpha-2).") from None
    return str(country.alpha_2)


@lru_cache(maxsize=4096)
def subdivision_code(country: str, value: str) -> str:
    """For US and CA: the subdivision code without prefix ("CA"), from a code or a name.

    Elsewhere the state or province is free text (many countries have none on a label).
    """
    text = value.strip()
    if country not in STRICT_SUBDIVISION_COUNTRIES:
        return text
    code = text.upper().removeprefix(f"{country}-")
    if pycountry.subdivisions.get(code=f"{country}-{code}") is not None:  # type: ignore[no-untyped-call]
        return code
    for sub in pycountry.subdivisions.get(country_code=country) or []:  # type: ignore[no-untyped-call]
        if sub.name.casefold() == text.casefold():
            return str(sub.code).split("-", 1)[1]
    raise ValueError(f"{value!r} is not a state or province of {country}.")


def phone_number(value: str, country: str | None) -> str:
    """E.164 where the number is valid for its country; otherwise kept as given (never lost).

    Only valid numbers are rewritten: a merely "possible" one could lose a digit on a second
    pass (orders are re-validated on every update).
    """
    text = value.strip()
    try:
        parsed = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(parsed):
        return text
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def email_address(value: str) -> str:
    """Syntax check only (no DNS: the warehouse may be offline); normalized domain."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


def incoterm(value: str) -> str:
    code = value.strip().upper()
    if code not in INCOTERMS:
        raise ValueError(f"{value!r} is not an accepted incoterm ({', '.join(sorted(INCOTERMS))}).")
    return code


def metadata_key(key: str) -> str:
    if not _METADATA_KEY.fullmatch(key):
        raise ValueError(
            f"Metadata key {key!r} must be lowercase letters and digits separated by '_' or '-'."
        )
    return key


def currency_code(value: str) -> str:
    code = value.strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code.")
    return code
