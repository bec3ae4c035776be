"""Amounts typed with a Chinese input method still on: after a summary in Chinese, the
accountant's 860.50 arrives as 860。50 (the IME's full stop) or as full-width １，２００．００.
The desk reads them as the yuan she meant instead of refusing them as unreadable; anything else
that is not an amount is still refused beside its cell."""

from __future__ import annotations

import re

from tests.api.test_voucher_desk import NEW, ORG, error_beside, form, vouchers_in, wang  # noqa: F401


def test_amounts_typed_with_a_chinese_input_method_are_read_as_meant(app, wang):  # noqa: F811
    wang.get(NEW)
    location = wang.post(NEW, form("2026-11-20", "支付办公费",
                                   ("51301", "860。50", "", ""),
                                   ("51301", "１，２００．００", "", ""),
                                   ("102", "", "2060.50", "")))
    assert location.startswith(f"/desk/{ORG}/vouchers/2026-11-0001?")
    shown = wang.get(location)
    assert "860.50" in shown and "1,200.00" in shown and "2,060.50" in shown
    assert re.search("贰仟零陆拾元伍角整", shown)


def test_what_is_no_amount_even_so_is_refused_beside_its_cell(app, wang):  # noqa: F811
    wang.get(NEW)
    page = wang.post(NEW, form("2026-11-20", "支付办公费",
                               ("51301", "八百", "", ""), ("102", "", "800.00", "")), status=422)
    assert error_beside(page, "line-1-debit").startswith("金额以元为单位")
    assert vouchers_in(app) == 0
