"""The accounts a typed text finds, best first: those it fits by their own code, name or initials
(two letters at least inside the initials: xj finds 库存现金, kcxj), then those it finds only
through a parent's name or initials."""

from __future__ import annotations

from api.books.account_picker import find, postable


def rows(*accounts: tuple[str, str, bool]) -> list[dict[str, object]]:
    return [{"code": code, "name_zh": name, "leaf": leaf, "closed": False}
            for code, name, leaf in accounts]


ACCOUNTS = postable(rows(("101", "库存现金", True), ("153", "在建工程", False),
                         ("15301", "东路修缮工程", True), ("513", "管理费用", False),
                         ("51301", "干部报酬", True), ("51302", "折旧费", True)))


def codes(typed: str) -> list[str]:
    return [a["code"] for a in find(ACCOUNTS, typed)]


def test_initials_inside_a_name_find_it():
    assert codes("xj") == ["101"]


def test_an_account_fitting_by_its_own_initials_comes_before_one_found_through_its_parent():
    assert codes("zj") == ["51302", "15301"]


def test_one_letter_inside_the_initials_finds_nothing_by_it():
    assert "101" not in codes("j")


def test_an_account_spelled_by_its_whole_initials_comes_before_one_holding_them_inside():
    # 村级组织运转经费补助 is cjzzyzjfbz: zjf is inside it, and is 折旧费 whole
    accounts = postable(rows(("501", "补助收入", False), ("50101", "村级组织运转经费补助", True),
                             ("513", "管理费用", False), ("51302", "折旧费", True)))
    assert [a["code"] for a in find(accounts, "zjf")] == ["51302", "50101"]
