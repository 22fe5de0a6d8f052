"""Value languages inside a spec: money, quantities, budget classification codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import formats
from engine.diagnostics import DiagnosticError
from engine.model.values import MAX_AMOUNT, Quantity, parse_budget_code, parse_money, parse_quantity

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


def error_of(parser, text) -> DiagnosticError:
    with pytest.raises(DiagnosticError) as caught:
        parser(text)
    return caught.value


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("1 900 000,00", "1900000.00"),
    ("90 000", "90000.00"),
    ("1900000.00", "1900000.00"),
    ("1900000,00", "1900000.00"),
    ("0,5", "0.50"),
    ("0.05", "0.05"),
    ("0", "0.00"),
    ("40 000,00", "40000.00"),
    ("12 345 678", "12345678.00"),
    (f"1{NBSP}900{NBSP}000,00", "1900000.00"),
    (f"1{NNBSP}900{NNBSP}000,00", "1900000.00"),
    (f"2{THIN}500{THIN}000,00", "2500000.00"),
    ("  300 000,00 ", "300000.00"),
    ("999 999 999 999 999,99", "999999999999999.99"),
])
def test_money_valid(text, value):
    result = parse_money(text)
    assert result == Decimal(value)
    assert result.as_tuple().exponent == -2  # always kopecks, never a float


@pytest.mark.parametrize("text, code, offset, length", [
    # the Lipetsk typo: a group of four digits and a space before the kopecks; caret at the bad group
    ("30 0000, 00", "P201", 3, 8),
    ("30 000, 00", "P201", 3, 7),
    ("1 00", "P201", 2, 2),
    ("1 000.00", "P201", 2, 6),
    ("1,234", "P201", 0, 5),
    ("12.345", "P201", 0, 6),
    ("1e5", "P201", 0, 3),
    ("1_000", "P201", 0, 5),
    ("+5", "P201", 0, 2),
    ("NaN", "P201", 0, 3),
    ("inf", "P201", 0, 3),
    ("Infinity", "P201", 0, 8),
    ("", "P201", 0, 1),
    ("сто", "P201", 0, 3),
    ("1 9OO 000,00", "P201", 2, 10),  # letters O instead of zeros
    ("-5", "P202", 0, 1),
    ("−5", "P202", 0, 1),  # a typographic minus
    ("1 000 000 000 000 000,00", "P203", 0, 24),
    ("1000000000000000", "P203", 0, 16),
])
def test_money_invalid(text, code, offset, length):
    error = error_of(parse_money, text)
    assert (error.code, error.offset, error.length) == (code, offset, length)
    assert error.message
    if code == "P201" and text not in ("NaN", "inf", "Infinity"):
        assert "1 900 000,00" in error.hint


def test_money_typo_message_explains_grouping():
    error = error_of(parse_money, "30 0000, 00")
    assert "«30 0000, 00»" in error.message
    assert "по три цифры" in error.message and "копейки" in error.message
    assert "30 0000, 00"[error.offset:error.offset + 4] == "0000"


@pytest.mark.parametrize("value", [5, 5.0, 1.1, True, None, Decimal("5"), ["1"]])
def test_money_is_never_a_yaml_number(value):
    assert error_of(parse_money, value).code == "P201"


@pytest.mark.parametrize("text", ["30  0000,00", " 30 0000,00", f"30{NBSP} 0000,00"])
def test_money_caret_is_on_the_bad_group_of_the_raw_text(text):
    error = error_of(parse_money, text)
    assert error.offset == text.index("0000")


def test_money_limit():
    assert Decimal("1e15") == MAX_AMOUNT
    assert "10¹⁵" in error_of(parse_money, "1 000 000 000 000 000").message


def test_money_formatting_matches_documents():
    assert formats.money(Decimal("1900000.00")) == f"1{NBSP}900{NBSP}000,00"
    assert formats.money(Decimal("40000")) == f"40{NBSP}000,00"
    assert formats.money(Decimal("0.5")) == "0,50"


amounts = st.decimals(min_value=Decimal("0"), max_value=MAX_AMOUNT - Decimal("0.01"), places=2,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(amounts)
def test_money_round_trips_through_official_formatting(amount):
    text = formats.money(amount)
    assert parse_money(text) == amount
    # the same amount typed with other spaces or as a plain number
    assert parse_money(text.replace(NBSP, " ")) == amount
    assert parse_money(text.replace(NBSP, NNBSP)) == amount
    assert parse_money(f"{amount:.2f}") == amount
    assert parse_money(f"{amount:.2f}".replace(".", ",")) == amount


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["1", "0", "9", "00", "000", " ", NBSP, ",", ".", "-", "−", "e", "+", "NaN", "inf"]),
             max_size=15).map("".join),
))
def test_parse_money_raises_only_diagnostic_errors(text):
    try:
        value = parse_money(text)
    except DiagnosticError as error:
        assert error.code in {"P201", "P202", "P203"}
        assert 0 <= error.offset <= len(text)
        assert error.length >= 0
        return
    assert isinstance(value, Decimal)
    assert Decimal(0) <= value < MAX_AMOUNT
    assert value.as_tuple().exponent == -2


# --- quantities -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value, unit, at_least, rendered", [
    ("не менее 50 человек", "50", "человек", True, "не менее 50 человек"),
    ("Не менее 50 человек", "50", "человек", True, "не менее 50 человек"),
    ("не  менее\n15 человек", "15", "человек", True, "не менее 15 человек"),
    ("18 программ", "18", "программ", False, "18 программ"),
    ("100 экз.", "100", "экз.", False, "100 экз."),
    ("1 ед.", "1", "ед.", False, "1 ед."),
    ("18", "18", "", False, "18"),
    ("0,8", "0.8", "", False, "0,8"),
    ("2.5 часа", "2.5", "часа", False, "2,5 часа"),
    ("50%", "50", "%", False, "50 %"),
    ("  5   сессий ", "5", "сессий", False, "5 сессий"),
])
def test_quantity_valid(text, value, unit, at_least, rendered):
    quantity = parse_quantity(text)
    assert quantity == Quantity(Decimal(value), unit, at_least)
    assert quantity.render() == rendered == str(quantity)


@pytest.mark.parametrize("value, expected", [(5, Decimal(5)), (Decimal("2.5"), Decimal("2.5"))])
def test_quantity_from_number(value, expected):
    assert parse_quantity(value) == Quantity(expected)


@pytest.mark.parametrize("text", ["много", "", "-5", "не менее", "человек 50", "около 50"])
def test_quantity_invalid(text):
    error = error_of(parse_quantity, text)
    assert error.code == "P301"
    assert f"«{text}»" in error.message
    assert "не менее 50 человек" in error.hint
    assert (error.offset, error.length) == (0, len(text))


@pytest.mark.parametrize("value", [True, None, 5.5, ["5"]])
def test_quantity_wrong_type(value):
    assert error_of(parse_quantity, value).code == "P301"


@pytest.mark.parametrize("text, value, unit", [
    ("1 000 человек", 1000, "человек"),
    ("не менее 1 500 человек", 1500, "человек"),
    (f"2{NBSP}500 экз.", 2500, "экз."),
])
def test_quantity_with_grouped_thousands(text, value, unit):
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit) == (Decimal(value), unit)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_quantity_raises_only_diagnostic_errors(text):
    try:
        quantity = parse_quantity(text)
    except DiagnosticError as error:
        assert error.code == "P301"
        return
    assert quantity.value >= 0
    if len(quantity.value.as_tuple().digits) <= 15:  # rendering normalises within 28 significant digits
        assert parse_quantity(quantity.render()) == quantity


# --- budget classification codes -----------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("0709", "0709"),
    ("52 7 01 13760", "52 7 01 13760"),
    ("  0709  ", "0709"),
    ("612", "612"),
    ("241", "241"),
    ("52 7 01 S3760", "52 7 01 S3760"),
    ("А1 01", "А1 01"),
])
def test_budget_code_valid(text, code):
    assert parse_budget_code(text) == code


@pytest.mark.parametrize("value", ["07-09", "", "52  7", "abc", "07.09", 709, None, 7.09])
def test_budget_code_invalid(value):
    error = error_of(parse_budget_code, value)
    assert error.code == "P401"
    assert f"«{value}»" in error.message
    assert "ведущие нули" in error.hint


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_budget_code_raises_only_diagnostic_errors(text):
    try:
        code = parse_budget_code(text)
    except DiagnosticError as error:
        assert error.code == "P401"
        return
    assert code == text.strip() and code
