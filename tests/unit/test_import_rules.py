"""Rules of the roll's import beyond a single entry's: one household, one address."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.application import Ledger
from ledger.register import ImportRejected, RollRow

DAY = date(2025, 6, 1)


def row(n: int, name: str, address: str) -> RollRow:
    return RollRow(row=n, household="001", name=name, sex="male", born=date(1970, 1, n),
                   confirmed_on=DAY, basis="birth", address=address)


def test_a_households_rows_may_leave_the_address_blank_but_not_disagree(village: Ledger):
    with pytest.raises(ImportRejected) as error:
        village.register.import_roll("v1", rows=[row(2, "甲", "一组"), row(3, "乙", ""),
                                        row(4, "丙", "二组")], actor="kuaiji")
    assert error.value.context["rows"] == [
        {"row": 4, "column": "address", "reason": "household 001's address is 一组 on row 2"}]
    village.register.import_roll("v1", rows=[row(2, "甲", ""), row(3, "乙", "一组")],
                                 actor="kuaiji")
    assert village.register.member_roll("v1").households["001"].address == "一组"
