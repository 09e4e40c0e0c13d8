"""Field rules: each normalizes a good value and refuses a bad one with a ``ValueError``.

Examples first, then properties that run the rules over every country, every US and Canadian
subdivision, every incoterm and every currency, and over generated phone numbers, e-mail
addresses and metadata keys.
"""

from __future__ import annotations

import re
from typing import Any

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wareflow.core import rules

# No example database (nothing written outside tests/); no deadline on a busy shared machine.
QUICK = settings(database=None, deadline=None)

COUNTRIES = sorted(pycountry.countries, key=lambda c: c.alpha_2)
SUBDIVISIONS = sorted(
    (
        sub
        for cc in sorted(rules.STRICT_SUBDIVISION_COUNTRIES)
        for sub in pycountry.subdivisions.get(country_code=cc)
    ),
    key=lambda sub: sub.code,
)


def case_and_padding(text: str) -> st.SearchStrategy[str]:
    """``text`` in a random mix of upper and lower case, with random spaces around it."""
    letters = st.tuples(*(st.sampled_from([ch.lower(), ch.upper()]) for ch in text))
    padding = st.text(" \t", max_size=3)
    return st.builds(lambda a, b, c: a + "".join(b) + c, padding, letters, padding)


# --- country_code -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("US", "US"),
        ("nl", "NL"),
        ("USA", "US"),
        ("NLD", "NL"),
        ("Netherlands", "NL"),
        ("germany", "DE"),
        ("  DE  ", "DE"),
    ],
)
def test_country_code_normalizes_to_alpha_2(value: str, expected: str) -> None:
    assert rules.country_code(value) == expected


@pytest.mark.parametrize("value", ["Narnia", "XX", "", "   "])
def test_country_code_refuses_unknown_countries(value: str) -> None:
    with pytest.raises(ValueError, match="is not a known country"):
        rules.country_code(value)


@QUICK
@given(st.sampled_from(COUNTRIES), st.sampled_from(["alpha_2", "alpha_3", "name"]))
def test_every_country_is_found_by_code_or_name(country: Any, attribute: str) -> None:
    value = getattr(country, attribute)
    assert rules.country_code(value) == country.alpha_2


@QUICK
@given(st.sampled_from(COUNTRIES).flatmap(lambda c: case_and_padding(c.alpha_3)))
def test_country_code_ignores_case_and_padding(value: str) -> None:
    assert rules.country_code(value) == pycountry.countries.get(alpha_3=value.strip().upper()).alpha_2


# --- subdivision_code -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "value", "expected"),
    [
        ("US", "CA", "CA"),
        ("US", "ca", "CA"),
        ("US", "US-NY", "NY"),
        ("US", "California", "CA"),
        ("US", "new york", "NY"),
        ("CA", "Ontario", "ON"),
        ("CA", "qc", "QC"),
    ],
)
def test_subdivision_code_for_us_and_canada(country: str, value: str, expected: str) -> None:
    assert rules.subdivision_code(country, value) == expected


@pytest.mark.parametrize(
    ("country", "value"), [("US", "ZZ"), ("US", "Ontario"), ("CA", "CA"), ("US", "CA-ON")]
)
def test_subdivision_code_refuses_unknown_us_and_canadian_states(country: str, value: str) -> None:
    with pytest.raises(ValueError, match=f"is not a state or province of {country}"):
        rules.subdivision_code(country, value)


@pytest.mark.parametrize(
    ("country", "value"), [("NL", "Noord-Holland"), ("GB", "Greater London"), ("DE", "ZZ")]
)
def test_subdivision_code_elsewhere_is_free_text(country: str, value: str) -> None:
    assert rules.subdivision_code(country, value) == value


def test_subdivision_code_elsewhere_is_stripped() -> None:
    assert rules.subdivision_code("NL", "  Noord-Holland ") == "Noord-Holland"


@QUICK
@given(st.sampled_from(SUBDIVISIONS), st.sampled_from(["code", "short", "name"]))
def test_every_us_and_canadian_subdivision_is_found(subdivision: Any, form: str) -> None:
    country, short = subdivision.code.split("-", 1)
    value = short if form == "short" else getattr(subdivision, form)
    assert rules.subdivision_code(country, value) == short


@QUICK
@given(st.sampled_from(SUBDIVISIONS))
def test_subdivision_code_is_idempotent(subdivision: Any) -> None:
    country = subdivision.country_code
    once = rules.subdivision_code(country, subdivision.name)
    assert rules.subdivision_code(country, once) == once


# --- phone_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        ("213-555-0123", "US", "+12135550123"),
        ("(213) 555 0123", "US", "+12135550123"),
        ("  213-555-0123 ", "US", "+12135550123"),
        ("020 123 4567", "NL", "+31201234567"),
        ("+31 20 123 4567", None, "+31201234567"),
        ("+31 20 123 4567", "US", "+31201234567"),
    ],
)
def test_phone_number_becomes_e164(value: str, country: str | None, expected: str) -> None:
    assert rules.phone_number(value, country) == expected


@pytest.mark.parametrize(
    ("value", "country"),
    [
        ("not a phone", "US"),
        ("213-555-0123", None),  # no country to read a national number against
        ("12", "US"),  # parses but is not a possible number
        ("ext. desk 4", "NL"),
    ],
)
def test_phone_number_is_kept_as_given_when_not_normalizable(value: str, country: str | None) -> None:
    assert rules.phone_number(value, country) == value


def test_phone_number_kept_as_given_is_still_stripped() -> None:
    assert rules.phone_number("  call reception  ", "US") == "call reception"


@QUICK
@given(
    st.text(max_size=30) | st.from_regex(r"\+?[0-9 ()-]{1,20}", fullmatch=True),
    st.none() | st.sampled_from([c.alpha_2 for c in COUNTRIES]),
)
def test_phone_number_never_raises_and_never_invents(value: str, country: str | None) -> None:
    out = rules.phone_number(value, country)
    assert out == value.strip() or re.fullmatch(r"\+[1-9][0-9]+", out)


# --- email_address ----------------------------------------------------------------------------


def test_email_address_lowercases_the_domain_only() -> None:
    assert rules.email_address("John.Smith@EXAMPLE.com") == "John.Smith@example.com"


def test_email_address_is_stripped() -> None:
    assert rules.email_address("  john@example.com ") == "john@example.com"


@pytest.mark.parametrize("value", ["nope", "john@", "@example.com", "a b@example.com", "a@b"])
def test_email_address_refuses_bad_syntax(value: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is email-validator's own
        rules.email_address(value)


def test_email_address_does_not_look_up_dns() -> None:
    assert rules.email_address("someone@no-such-domain-wareflow.example") == (
        "someone@no-such-domain-wareflow.example"
    )


@QUICK
@given(st.emails())
def test_email_address_accepts_and_keeps_valid_addresses(value: str) -> None:
    once = rules.email_address(value)
    assert rules.email_address(once) == once


# --- incoterm ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("DDP", "DDP"), ("ddp", "DDP"), (" fca ", "FCA")])
def test_incoterm_is_upper_cased(value: str, expected: str) -> None:
    assert rules.incoterm(value) == expected


@pytest.mark.parametrize("value", ["XYZ", "", "DD P", "Incoterm DDP"])
def test_incoterm_refuses_unknown_terms(value: str) -> None:
    with pytest.raises(ValueError, match="is not an accepted incoterm"):
        rules.incoterm(value)


@QUICK
@given(st.sampled_from(sorted(rules.INCOTERMS)).flatmap(case_and_padding))
def test_every_incoterm_is_accepted_in_any_case(value: str) -> None:
    assert rules.incoterm(value) == value.strip().upper()


@QUICK
@given(st.text(max_size=6))
def test_incoterm_accepts_only_the_listed_terms(value: str) -> None:
    try:
        code = rules.incoterm(value)
    except ValueError:
        assert value.strip().upper() not in rules.INCOTERMS
    else:
        assert code in rules.INCOTERMS


# --- metadata_key -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["sales_channel", "a", "a-b_c1", "2024", "x-y-z"])
def test_metadata_key_accepts_lowercase_words(key: str) -> None:
    assert rules.metadata_key(key) == key


@pytest.mark.parametrize("key", ["Sales", "a__b", "a--b", "a_-b", "_a", "a_", "-a", "", "sales channel", "é"])
def test_metadata_key_refuses_other_keys(key: str) -> None:
    with pytest.raises(ValueError, match="must be lowercase letters and digits"):
        rules.metadata_key(key)


@QUICK
@given(st.from_regex(r"[a-z0-9]+(?:[_-][a-z0-9]+)*", fullmatch=True))
def test_metadata_key_accepts_every_well_formed_key(key: str) -> None:
    assert rules.metadata_key(key) == key


@QUICK
@given(st.text(max_size=10), st.sampled_from("ABCXYZ"), st.text(max_size=10))
def test_metadata_key_refuses_any_upper_case_letter(before: str, upper: str, after: str) -> None:
    with pytest.raises(ValueError, match="must be lowercase"):
        rules.metadata_key(before + upper + after)


# --- currency_code ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("EUR", "EUR"), ("usd", "USD"), (" gbp ", "GBP")])
def test_currency_code_is_upper_cased(value: str, expected: str) -> None:
    assert rules.currency_code(value) == expected


@pytest.mark.parametrize("value", ["ZZZ", "EURO", "", "US"])
def test_currency_code_refuses_unknown_codes(value: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO 4217 currency code"):
        rules.currency_code(value)


@QUICK
@given(st.sampled_from(sorted(c.alpha_3 for c in pycountry.currencies)).flatmap(case_and_padding))
def test_every_iso_4217_currency_is_accepted(value: str) -> None:
    assert rules.currency_code(value) == value.strip().upper()
