"""Red flags as small stories: given the payments so far, when one more is made, then payments
split to stay under an approval threshold are seen, and legitimate ones are not; cash going over
the limit is seen once, when it crosses; a warning is acknowledged with a reason, never removed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.books import InvalidRedFlag, RedFlag, RedFlagStateError, cash_crossed
from ledger.books.red_flags import cash_went_negative
from ledger.spending import looks_split

THRESHOLDS = [100_000, 1_000_000]


def payment(n: int, amount: int, day: str, payee: str = "五金店",
            purpose: str = "村部维修") -> dict[str, Any]:
    return {"request": f"S2026-{n:04d}", "voucher": f"2026-10-{n:04d}", "date": day,
            "payee": payee, "purpose": purpose, "amount": amount}


def split(current: dict[str, Any], *earlier: dict[str, Any]) -> dict[str, Any] | None:
    return looks_split(current, list(earlier), thresholds=THRESHOLDS, window_days=30)


def test_three_payments_to_one_payee_each_under_the_limit_are_flagged() -> None:
    found = split(payment(3, 40_000, "2026-10-09"), payment(1, 40_000, "2026-10-02"),
                  payment(2, 40_000, "2026-10-05"))
    assert found is not None
    assert found["threshold"] == "1000.00" and found["total"] == "1200.00"
    assert [p["request"] for p in found["payments"]] == ["S2026-0001", "S2026-0002",
                                                          "S2026-0003"]


def test_the_same_purpose_under_another_payee_name_is_flagged_too() -> None:
    assert split(payment(2, 60_000, "2026-10-09", payee="王 五"),
                 payment(1, 60_000, "2026-10-02", payee="李四")) is not None


def test_payee_names_match_whatever_their_spacing_or_case() -> None:
    assert split(payment(2, 60_000, "2026-10-09", payee="Hardware  Co", purpose="a"),
                 payment(1, 60_000, "2026-10-02", payee="hardware co", purpose="b"))


@pytest.mark.parametrize("earlier", [
    payment(1, 40_000, "2026-10-02", payee="李四", purpose="修水泵"),  # another payee and purpose
    payment(1, 40_000, "2026-08-01"),  # outside the 30-day window
    payment(1, 50_000, "2026-10-02"),  # together exactly 1000.00: not above
    payment(1, 150_000, "2026-10-02"),  # above the finance lead's limit: approved higher up
])
def test_legitimate_payments_are_not_flagged(earlier: dict[str, Any]) -> None:
    assert split(payment(2, 50_000, "2026-10-09"), earlier) is None


def test_payments_that_evade_the_committees_limit_are_flagged_at_that_limit() -> None:
    found = split(payment(2, 900_000, "2026-10-09"), payment(1, 800_000, "2026-10-01"))
    assert found is not None and found["threshold"] == "10000.00"


def test_cash_is_flagged_when_it_crosses_the_limit_not_while_it_stays_above() -> None:
    assert cash_crossed(400_000, 500_001, 500_000)
    assert not cash_crossed(400_000, 500_000, 500_000)
    assert not cash_crossed(600_000, 700_000, 500_000)


def test_cash_is_flagged_when_it_goes_below_zero_not_while_it_stays_there() -> None:
    assert cash_went_negative(100, -1) and cash_went_negative(0, -1)
    assert not cash_went_negative(100, 0) and not cash_went_negative(-5, -10)


def test_a_warning_is_acknowledged_with_a_reason_and_stays() -> None:
    flag = RedFlag.raise_(org="v1", kind="no_receipt", key="S2026-0001", on=date(2026, 10, 9),
                          message="白条", trigger={"request": "S2026-0001"}, actor="kuaiji")
    again = RedFlag.raise_(org="v1", kind="no_receipt", key="S2026-0001",
                           on=date(2026, 10, 9), message="白条", trigger={}, actor="kuaiji")
    assert flag.id == again.id  # raised twice, it is one warning
    with pytest.raises(InvalidRedFlag):
        flag.acknowledge(reason=" ", actor="jiandu")
    flag.acknowledge(reason="发票已补交，见凭证附件", actor="jiandu")
    with pytest.raises(RedFlagStateError):
        flag.acknowledge(reason="again", actor="jiandu")
    assert [type(e).__name__ for e in flag.collect_events()] == ["Raised", "Acknowledged"]
    assert flag.acknowledgements[0]["reason"] == "发票已补交，见凭证附件"
