"""A holder finds its line on the public look-up (查我家的分红) with the number as its slip prints
it or as a phone keyboard types it: household 001 by "001", "1" or "００１", outside heir 1 by "1"
or "001", spaces around either dropped; and a plan's slip codes are drawn all different, so a
household and an heir read as the same number never share a code.

东村 of tests/registers.py, as in test_distribution_heir_and_headless: households 001 (headless,
李秀英 and 张小明) and 002 (王建国, 80 shares, 8,000.00), and outside heir 1 (刘小强, 35 shares,
3,500.00) who inherited household 003's shares.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from tests.api.test_distribution_heir_and_headless import _drafted
from tests.registers import ORG


def _look_up(app, number: str, typed: str, code: str) -> tuple[int, str]:
    found = app.test_client().post(f"/{ORG}/distributions/{number}/lookup",
                                   data={"household": typed, "code": code})
    return found.status_code, found.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["002", "2", "００２", " 2 ", "0 0 2", "２"])
def test_a_household_is_found_by_its_number_however_it_is_typed(app, clock, typed) -> None:
    # Given household 002's line and the code on its slip,
    plan, number = _drafted(app, clock)
    code = plan.line_of("household:002")["code"]
    # when its number is typed with or without the slip's leading zeros, or full-width,
    status, page = _look_up(app, number, typed, code)
    # then its own line shows, under the number the slip prints.
    assert status == 200, page
    assert "8,000.00" in page and "王**" in page and "3,500.00" not in page
    assert "002" in page


@pytest.mark.parametrize("typed", ["1", "001", "０１", "１", " 1\u3000"])
def test_an_outside_heir_is_found_by_the_number_on_their_slip_however_typed(
        app, clock, typed) -> None:
    # Given outside heir 1's line and their code,
    plan, number = _drafted(app, clock)
    code = plan.line_of("outside:1")["code"]
    # when the heir types 1 padded, full-width or with spaces,
    status, page = _look_up(app, number, typed, code)
    # then their line shows, read as an heir's, and no household's.
    assert status == 200, page
    assert "3,500.00" in page and "刘**" in page and "外部继承人" in page
    assert "8,000.00" not in page


def test_a_number_that_only_looks_alike_is_not_found(app, clock) -> None:
    # Given household 002's code,
    plan, number = _drafted(app, clock)
    code = plan.line_of("household:002")["code"]
    # when 20 or 0020 is typed, a different number, nothing is found.
    for typed in ("20", "0020", "12"):
        assert _look_up(app, number, typed, code)[0] == 422


def _draws() -> Iterator[int]:
    """A random source that repeats itself: 1, 1, 1, then 2, 3, 4, …"""
    yield from (1, 1, 1)
    n = 1
    while True:
        n += 1
        yield n


def test_the_codes_of_a_plan_are_drawn_all_different(app, clock, monkeypatch) -> None:
    # Given a random source that draws the same code three times over,
    draws = _draws()
    monkeypatch.setattr(secrets, "randbelow", lambda _limit: next(draws))
    # when the plan with household 001 and outside heir 1 (both read as "1") is drafted,
    plan, number = _drafted(app, clock)
    monkeypatch.undo()
    codes = [line["code"] for line in plan.lines]
    # then no two of its lines share a code,
    assert len(codes) == 3 and len(set(codes)) == len(codes)
    # and each finds its own line by "1" and its own code, neither refused as ambiguous.
    heir, household = plan.line_of("outside:1"), plan.line_of("household:001")
    status, page = _look_up(app, number, "1", heir["code"])
    assert status == 200 and "3,500.00" in page and "李**" not in page
    status, page = _look_up(app, number, "1", household["code"])
    assert status == 200 and "李**等2人" in page and "3,500.00" not in page
