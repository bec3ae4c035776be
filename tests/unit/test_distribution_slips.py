"""A slip's number as a look-up reads it, and a plan's codes drawn all different."""

from __future__ import annotations

from ledger.distribution import draw_codes, lookup_key


def test_a_number_reads_alike_padded_full_width_or_spaced() -> None:
    assert {lookup_key(n) for n in ("1", "001", "００１", " 0 1 ", "1\u3000")} == {"1"}
    assert lookup_key("0") == lookup_key("000") == "0"
    assert lookup_key("A-007") == lookup_key("a-7") != lookup_key("a-70")
    assert lookup_key("10") != lookup_key("1")


def test_a_plans_codes_are_six_digits_and_all_different() -> None:
    codes = draw_codes(2000)
    assert len(set(codes)) == 2000
    assert all(len(code) == 6 and code.isdigit() for code in codes)
