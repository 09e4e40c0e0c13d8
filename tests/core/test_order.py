"""The canonical order: OrderDraft validation, line numbering, JSON merge patch and field errors.

``OrderDraft`` is checked through ``model_validate`` for what it accepts and refuses; ``validate``
is checked for the JSON pointers and codes it reports. ``merge_patch`` runs against the examples
of RFC 7396 appendix A and against generated JSON documents.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from wareflow.core.errors import FieldError, InvalidInput
from wareflow.core.order import (
    READ_ONLY_FIELDS,
    Address,
    OrderDraft,
    OrderLine,
    ShipToAddress,
    merge_patch,
)
from wareflow.core.validation import pointer, validate

# No example database (nothing written outside tests/); no deadline on a busy shared machine.
QUICK = settings(database=None, deadline=None)


def ship_to(**overrides: Any) -> dict[str, Any]:
    address = {"name": "John Smith", "address1": "1234 Main Street", "city": "Los Angeles"}
    address.update(country="US", state="CA", postal_code="90012")
    address.update(overrides)
    return {key: value for key, value in address.items() if value is not None}


def order(**overrides: Any) -> dict[str, Any]:
    """The smallest valid order, with ``overrides`` applied (``None`` removes a field)."""
    body = {
        "external_reference": "WEB-1001",
        "ship_to": ship_to(),
        "lines": [{"sku": "HP-SPX360", "quantity": 1}],
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def lines(*numbers: int | None) -> list[dict[str, Any]]:
    return [
        {"sku": f"SKU-{i}", "quantity": 1, **({} if n is None else {"line_number": n})}
        for i, n in enumerate(numbers)
    ]


def errors(data: Any) -> list[FieldError]:
    with pytest.raises(InvalidInput) as caught:
        validate(OrderDraft, data)
    return caught.value.errors


def error_at(data: Any, at: str) -> FieldError:
    found = [e for e in errors(data) if e.pointer == at]
    assert found, f"no error at {at!r}: {errors(data)}"
    return found[0]


# --- OrderDraft: what it accepts --------------------------------------------------------------


def test_minimal_order_is_valid() -> None:
    draft = OrderDraft.model_validate(order())
    assert draft.external_reference == "WEB-1001"
    assert draft.lines[0].quantity == 1


def test_minimal_order_gets_defaults() -> None:
    draft = OrderDraft.model_validate(order())
    assert (draft.references, draft.charges, draft.is_b2b, draft.metadata) == ([], [], False, None)
    assert (draft.lines[0].unit, draft.lines[0].line_number) == ("each", None)


def test_ship_to_country_and_state_are_normalized() -> None:
    draft = OrderDraft.model_validate(order(ship_to=ship_to(country="USA", state="California")))
    assert (draft.ship_to.country, draft.ship_to.state) == ("US", "CA")


def test_ship_to_state_outside_us_and_canada_is_free_text() -> None:
    body = order(ship_to=ship_to(country="Netherlands", state="Noord-Holland", postal_code=None))
    draft = OrderDraft.model_validate(body)
    assert (draft.ship_to.country, draft.ship_to.state) == ("NL", "Noord-Holland")


def test_ship_to_phone_is_read_against_the_country() -> None:
    draft = OrderDraft.model_validate(order(ship_to=ship_to(phone="213-555-0123")))
    assert draft.ship_to.phone == "+12135550123"


def test_unparseable_phone_is_kept() -> None:
    draft = OrderDraft.model_validate(order(ship_to=ship_to(phone="ask for Bob")))
    assert draft.ship_to.phone == "ask for Bob"


def test_ship_to_email_domain_is_normalized() -> None:
    draft = OrderDraft.model_validate(order(ship_to=ship_to(email="John@EXAMPLE.com")))
    assert draft.ship_to.email == "John@example.com"


def test_strings_are_stripped() -> None:
    draft = OrderDraft.model_validate(order(external_reference="  WEB-1 "))
    assert draft.external_reference == "WEB-1"


def test_company_alone_names_a_ship_to() -> None:
    address = ShipToAddress.model_validate(ship_to(name=None, company="ACME"))
    assert address.company == "ACME"


def test_street_replaces_address1() -> None:
    address = ShipToAddress.model_validate(ship_to(address1=None, street="Damrak", country="NL"))
    assert address.street == "Damrak"


def test_other_addresses_need_only_a_country() -> None:
    assert Address.model_validate({"country": "de"}).country == "DE"


def test_incoterm_and_currency_are_normalized() -> None:
    draft = OrderDraft.model_validate(order(incoterm="ddp", currency="eur"))
    assert (draft.incoterm, draft.currency) == ("DDP", "EUR")


def test_weight_unit_is_lower_cased() -> None:
    line = OrderLine.model_validate({"sku": "A", "quantity": 1, "weight_unit": "KG"})
    assert line.weight_unit == "kg"


def test_largest_quantity_is_accepted() -> None:
    assert OrderLine.model_validate({"sku": "A", "quantity": 1_000_000}).quantity == 1_000_000


@pytest.mark.parametrize("shipping", [{"transport_detail": {"carrier_code": "UPS"}}, {"rate_group": "eco"}])
def test_transport_or_rate_group_alone_is_accepted(shipping: dict[str, Any]) -> None:
    assert OrderDraft.model_validate(order(**shipping))


def test_distinct_line_numbers_are_accepted() -> None:
    draft = OrderDraft.model_validate(order(lines=lines(1, 2, None)))
    assert [line.line_number for line in draft.lines] == [1, 2, None]


def test_metadata_with_good_keys_is_kept() -> None:
    metadata = {"sales_channel": "webshop", "priority": 2, "gift": True, "note": None}
    assert OrderDraft.model_validate(order(metadata=metadata)).metadata == metadata


def test_a_dumped_draft_validates_to_itself() -> None:
    draft = OrderDraft.model_validate(
        order(
            ship_to=ship_to(phone="213-555-0123", email="j@example.com"),
            lines=lines(None, 7),
            metadata={"sales_channel": "webshop"},
            requested_delivery_date="2026-05-15",
        )
    )
    assert OrderDraft.model_validate(draft.model_dump(mode="json")) == draft


# --- OrderDraft: what it refuses --------------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, 1.5, 1.0, "1", True, None, 1_000_001])
def test_quantity_must_be_a_strict_positive_int(quantity: Any) -> None:
    with pytest.raises(ValidationError):
        OrderLine.model_validate({"sku": "A", "quantity": quantity})


def test_transport_and_rate_group_together_are_refused() -> None:
    draft = OrderDraft.model_validate(order(transport_detail={"carrier_code": "UPS"}, rate_group="eco"))
    assert [(e.pointer, e.code) for e in draft.carrier_choice_errors()] == [("/rate_group", "carrier_choice")]


def test_incoterm_on_a_domestic_order_is_noticed() -> None:
    draft = OrderDraft.model_validate(order(incoterm="DDP"))
    assert draft.domestic_incoterm(draft.ship_to.country)
    assert not draft.domestic_incoterm("ZZ")


def test_duplicate_line_numbers_are_refused() -> None:
    with pytest.raises(ValidationError, match="Line numbers must be unique"):
        OrderDraft.model_validate(order(lines=lines(1, None, 1)))


@pytest.mark.parametrize("number", [0, -3, "2"])
def test_line_number_must_be_a_strict_positive_int(number: Any) -> None:
    with pytest.raises(ValidationError):
        OrderLine.model_validate({"sku": "A", "quantity": 1, "line_number": number})


def test_ship_to_without_name_or_company_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs a name or a company"):
        OrderDraft.model_validate(order(ship_to=ship_to(name=None)))


def test_ship_to_without_address1_or_street_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs address1 or street"):
        ShipToAddress.model_validate(ship_to(address1=None))


def test_ship_to_without_city_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs a city"):
        ShipToAddress.model_validate(ship_to(city=None))


def test_order_without_lines_is_refused() -> None:
    with pytest.raises(ValidationError):
        OrderDraft.model_validate(order(lines=[]))


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        OrderDraft.model_validate(order(colour="red"))


def test_extra_fields_in_a_line_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        OrderLine.model_validate({"sku": "A", "quantity": 1, "colour": "red"})


def test_blank_external_reference_is_refused() -> None:
    with pytest.raises(ValidationError):
        OrderDraft.model_validate(order(external_reference="   "))


def test_metadata_key_is_checked() -> None:
    with pytest.raises(ValidationError, match="Metadata key 'Sales'"):
        OrderDraft.model_validate(order(metadata={"Sales": "x"}))


def test_more_than_100_metadata_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match="At most 100 metadata keys"):
        OrderDraft.model_validate(order(metadata={f"k{i}": i for i in range(101)}))


def test_long_metadata_values_are_refused() -> None:
    with pytest.raises(ValidationError, match="longer than 1000 characters"):
        OrderDraft.model_validate(order(metadata={"note": "x" * 1001}))


# --- numbered_lines ---------------------------------------------------------------------------


def numbered(*numbers: int | None) -> list[int | None]:
    draft = OrderDraft.model_validate(order(lines=lines(*numbers)))
    return [line.line_number for line in draft.numbered_lines()]


def test_numbered_lines_count_from_one() -> None:
    assert numbered(None, None, None) == [1, 2, 3]


def test_numbered_lines_keep_given_numbers() -> None:
    assert numbered(10, 20) == [10, 20]


def test_numbered_lines_skip_numbers_given_later() -> None:
    assert numbered(None, 1, None) == [2, 1, 3]


def test_numbered_lines_fill_gaps_below_given_numbers() -> None:
    assert numbered(3, None, None, None) == [3, 1, 2, 4]


def test_numbered_lines_leave_the_draft_alone() -> None:
    draft = OrderDraft.model_validate(order(lines=lines(None, 5)))
    draft.numbered_lines()
    assert [line.line_number for line in draft.lines] == [None, 5]


def test_numbered_lines_keep_everything_but_the_number() -> None:
    draft = OrderDraft.model_validate(order(lines=[{"sku": "A", "quantity": 4, "unit": "box"}]))
    (line,) = draft.numbered_lines()
    assert line.model_dump(exclude={"line_number"}) == draft.lines[0].model_dump(exclude={"line_number"})


line_numbers = st.lists(st.none() | st.integers(1, 30), min_size=1, max_size=20).filter(
    lambda ns: len([n for n in ns if n is not None]) == len({n for n in ns if n is not None})
)


@QUICK
@given(line_numbers)
def test_numbered_lines_are_unique_and_keep_given_numbers(numbers: list[int | None]) -> None:
    result = numbered(*numbers)
    assert len(set(result)) == len(result) == len(numbers)
    assert all(new == old for new, old in zip(result, numbers, strict=True) if old is not None)


@QUICK
@given(line_numbers)
def test_numbered_lines_use_the_smallest_free_numbers_in_order(numbers: list[int | None]) -> None:
    result = numbered(*numbers)
    filled = [new for new, old in zip(result, numbers, strict=True) if old is None]
    free = (n for n in range(1, 100) if n not in numbers)
    assert filled == [next(free) for _ in filled]


# --- merge_patch (RFC 7396) -------------------------------------------------------------------

# RFC 7396 appendix A, verbatim: (target, patch, result).
RFC_7396_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "expected"), RFC_7396_EXAMPLES)
def test_merge_patch_matches_rfc_7396_examples(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=4)
keys = st.text("abc", max_size=2)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)
json_objects = st.dictionaries(keys, json_values, max_size=4)
non_null_scalars = st.booleans() | st.integers() | st.text(max_size=4)


@QUICK
@given(json_objects, st.dictionaries(keys, non_null_scalars, max_size=4))
def test_non_null_scalars_in_a_patch_are_set(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    assert merge_patch(doc, patch) == {**doc, **patch}


@QUICK
@given(json_objects, st.data())
def test_null_in_a_patch_deletes_the_member(doc: dict[str, Any], data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(doc)) if doc else keys)
    expected = {k: v for k, v in doc.items() if k != key}
    assert merge_patch(doc, {key: None}) == expected


@QUICK
@given(json_objects)
def test_empty_patch_changes_nothing(doc: dict[str, Any]) -> None:
    assert merge_patch(doc, {}) == doc


@QUICK
@given(json_values, scalars | st.lists(json_values, max_size=3))
def test_a_patch_that_is_not_an_object_replaces_the_target(doc: Any, patch: Any) -> None:
    assert merge_patch(doc, patch) == patch


@QUICK
@given(json_values, json_values)
def test_merge_patch_is_idempotent(doc: Any, patch: Any) -> None:
    once = merge_patch(doc, patch)
    assert merge_patch(once, patch) == once


@QUICK
@given(json_values, json_values)
def test_merge_patch_leaves_its_arguments_alone(doc: Any, patch: Any) -> None:
    doc_before, patch_before = copy.deepcopy(doc), copy.deepcopy(patch)
    merge_patch(doc, patch)
    assert (doc, patch) == (doc_before, patch_before)


@QUICK
@given(json_objects, json_objects)
def test_members_the_patch_does_not_name_are_kept(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    result = merge_patch(doc, patch)
    assert all(result[k] == v for k, v in doc.items() if k not in patch)


# --- validate(): field errors with JSON pointers ----------------------------------------------


def test_validate_returns_the_model() -> None:
    assert isinstance(validate(OrderDraft, order()), OrderDraft)


def test_invalid_input_is_a_422() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate(OrderDraft, order(lines=[]))
    assert (caught.value.status, caught.value.code) == (422, "validation_failed")


def test_unknown_country_points_into_ship_to() -> None:
    error = error_at(order(ship_to=ship_to(country="Narnia")), "/ship_to/country")
    assert error.code == "value_error"
    assert error.message == "'Narnia' is not a known country (use ISO 3166-1 alpha-2)."


def test_unknown_state_points_into_ship_to() -> None:
    assert error_at(order(ship_to=ship_to(state="ZZ")), "/ship_to/state").code == "value_error"


@pytest.mark.parametrize(("quantity", "code"), [(0, "greater_than"), (1.5, "int_type"), ("1", "int_type")])
def test_bad_quantity_points_into_the_line(quantity: Any, code: str) -> None:
    body = order(lines=[{"sku": "A", "quantity": quantity}])
    assert error_at(body, "/lines/0/quantity").code == code


def test_pointer_names_the_right_line() -> None:
    body = order(lines=[{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 0}])
    assert [e.pointer for e in errors(body)] == ["/lines/1/quantity"]


def test_nested_address_errors_point_through_lists() -> None:
    body = order(additional_addresses=[{"type": "billing", "address": {"country": "Narnia"}}])
    assert [e.pointer for e in errors(body)] == ["/additional_addresses/0/address/country"]


def test_buyer_email_error_points_to_the_email() -> None:
    assert error_at(order(buyer={"email": "nope"}), "/buyer/email").code == "value_error"


@pytest.mark.parametrize("field", sorted(READ_ONLY_FIELDS))
def test_read_only_fields_are_reported_as_read_only(field: str) -> None:
    error = error_at(order(**{field: "x"}), f"/{field}")
    assert error.code == "read_only"
    assert error.message == f"{field!r} is set by the server and cannot be sent."


def test_id_is_reported_as_read_only() -> None:
    assert errors(order(id="ord_1")) == [
        FieldError("/id", "read_only", "'id' is set by the server and cannot be sent.")
    ]


def test_unknown_top_level_field_is_reported_as_unknown() -> None:
    assert errors(order(colour="red")) == [FieldError("/colour", "unknown_field", "Unknown field 'colour'.")]


def test_read_only_names_inside_a_line_are_unknown_fields() -> None:
    body = order(lines=[{"sku": "A", "quantity": 1, "id": 7}])
    assert errors(body) == [FieldError("/lines/0/id", "unknown_field", "Unknown field 'id'.")]


def test_value_error_prefix_is_removed_from_messages() -> None:
    error = error_at(order(incoterm="XYZ"), "/incoterm")
    assert error.message.startswith("'XYZ' is not an accepted incoterm")


def test_order_wide_errors_point_to_the_root() -> None:
    body = order(lines=lines(1, None, 1))
    assert [e.pointer for e in errors(body)] == [""]


def test_ship_to_rule_errors_point_to_the_ship_to() -> None:
    assert error_at(order(ship_to=ship_to(name=None)), "/ship_to").code == "value_error"


def test_missing_fields_are_each_reported() -> None:
    found = {(e.pointer, e.code) for e in errors({})}
    assert found == {
        ("/external_reference", "missing"),
        ("/ship_to", "missing"),
        ("/lines", "missing"),
    }


def test_every_error_is_reported_not_only_the_first() -> None:
    body = order(id="x", incoterm="XYZ", lines=[{"sku": "A", "quantity": 0}])
    assert {e.pointer for e in errors(body)} == {"/id", "/incoterm", "/lines/0/quantity"}


def test_field_names_are_escaped_in_pointers() -> None:
    assert [e.pointer for e in errors(order(**{"a/b~c": 1}))] == ["/a~1b~0c"]


def test_pointer_escapes_tilde_before_slash() -> None:
    assert pointer(("~1", "a/b", 0)) == "/~01/a~1b/0"
