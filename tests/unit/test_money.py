"""Money: an integer number of fen, parsed exactly from decimal text with at most two decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.kernel.money import MAX_FEN, AmountError, fen_to_decimal, format_fen, parse_fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1234.50", 123450),
        ("1234.5", 123450),
        ("1234", 123400),
        ("0.1", 10),
        ("0.01", 1),
        ("0", 0),
        ("-3", -300),
        ("-3.00", -300),
        ("-0.07", -7),
        ("0012.30", 1230),
        (" 12.30 ", 1230),
        ("9999999999999.99", MAX_FEN),
        ("-9999999999999.99", -MAX_FEN),
    ],
)
def test_a_decimal_string_is_parsed_into_exact_fen(text, fen):
    assert parse_fen(text) == fen


@pytest.mark.parametrize("text", ["1.234", "0.001", "-1.999", "12.3450"])
def test_an_amount_with_more_than_two_decimals_is_refused(text):
    with pytest.raises(AmountError, match="at most two decimals"):
        parse_fen(text)


@pytest.mark.parametrize(
    "text",
    ["1e3", "1E3", "abc", "", "   ", "1,000", "1 000", "1.", ".5", "+5", "--1", "1.2.3",
     "0x10", "NaN", "Infinity", "¥12", "12元", "1-"],
)
def test_text_that_is_not_a_decimal_amount_is_refused(text):
    with pytest.raises(AmountError, match="decimal string"):
        parse_fen(text)


@pytest.mark.parametrize("value", [1.5, 0.1, 10, 0, True, Decimal("1.50"), None, b"1.00"])
def test_an_amount_that_is_not_a_string_is_refused_so_floats_never_enter(value):
    with pytest.raises(AmountError, match="decimal string"):
        parse_fen(value)


@pytest.mark.parametrize(
    "text", ["10000000000000", "10000000000000.00", "-10000000000000", "99999999999999999999"]
)
def test_an_amount_of_more_than_thirteen_integer_digits_is_refused_as_too_large(text):
    # The reason is that it is too large: it is a decimal string, as the old reason denied
    with pytest.raises(AmountError, match="too large"):
        parse_fen(text)


def test_an_amount_error_is_a_value_error():
    assert issubclass(AmountError, ValueError)


@pytest.mark.parametrize("text", ["٣", "１２.５", "12.٥", "12\n.50"])
def test_an_amount_with_non_ascii_digits_or_an_inner_newline_is_refused(text):
    with pytest.raises(AmountError):
        parse_fen(text)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (123450, "1234.50"),
        (100, "1.00"),
        (1, "0.01"),
        (10, "0.10"),
        (0, "0.00"),
        (-1, "-0.01"),
        (-300, "-3.00"),
        (MAX_FEN, "9999999999999.99"),
    ],
)
def test_fen_are_formatted_as_yuan_with_exactly_two_decimals(fen, text):
    assert format_fen(fen) == text


def test_fen_convert_to_an_exact_decimal():
    assert fen_to_decimal(123450) == Decimal("1234.50")
    assert fen_to_decimal(-1) == Decimal("-0.01")
    assert str(fen_to_decimal(MAX_FEN)) == "9999999999999.99"


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_formatting_then_parsing_returns_the_same_fen(fen):
    assert parse_fen(format_fen(fen)) == fen
    assert format_fen(parse_fen(format_fen(fen))) == format_fen(fen)


@given(
    st.sampled_from(["", "-"]),
    st.integers(min_value=0, max_value=10**13 - 1),
    st.integers(min_value=0, max_value=99),
)
def test_any_amount_with_two_decimals_parses_to_whole_times_100_plus_cents(sign, whole, cents):
    expected = whole * 100 + cents
    assert parse_fen(f"{sign}{whole}.{cents:02d}") == (-expected if sign else expected)


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (500000, "伍仟元整"),
        (100250, "壹仟零贰元伍角整"),
        (5, "伍分"),
        (0, "零元整"),
        (10, "壹角整"),
        (123456, "壹仟贰佰叁拾肆元伍角陆分"),
        (1005, "壹拾元零伍分"),
        (10000100, "壹拾万零壹元整"),
        (100000001, "壹佰万元零壹分"),
        (1000000000, "壹仟万元整"),
        (10000000000, "壹亿元整"),
        (1000500000, "壹仟万伍仟元整"),  # 万位 is 0 but 千位 is not: 零 may be left out
        (100000000000000, "壹万亿元整"),
        (10000000100, "壹亿零壹元整"),
        (123456789012, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
        (-1234, "负壹拾贰元叁角肆分"),
        (MAX_FEN, "玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_capital_numerals_are_written_as_on_a_cheque(fen: int, words: str) -> None:
    from ledger.kernel.money import capital_numerals

    assert capital_numerals(fen) == words


@given(st.integers(min_value=0, max_value=MAX_FEN))
def test_capital_numerals_read_back_to_the_same_amount(fen: int) -> None:
    from ledger.kernel.money import capital_numerals

    assert _read_capital(capital_numerals(fen)) == fen


def _read_capital(words: str) -> int:
    """An independent reader of 大写 amounts, so the writer is checked by a round trip."""
    digits = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
    small = {"拾": 10, "佰": 100, "仟": 1000}

    def group(text: str) -> int:
        value = number = 0
        for char in text:
            if char in digits:
                number = digits[char]
            else:
                value, number = value + number * small[char], 0
        return value + number

    words = words.removesuffix("整")
    rest, _, cents = words.partition("元") if "元" in words else ("", "", words)
    yuan = 0
    for unit, scale in (("万亿", 10**12), ("亿", 10**8), ("万", 10**4)):
        if unit in rest:
            high, rest = rest.split(unit, 1)
            yuan += group(high) * scale
    yuan += group(rest)
    fen = 0
    if "角" in cents:
        fen += digits[cents[cents.index("角") - 1]] * 10
    if "分" in cents:
        fen += digits[cents[cents.index("分") - 1]]
    return yuan * 100 + fen
