"""Saved voucher templates (常用凭证): kept by name per village, saved again under the same name to
change, dropped by name; their accounts must take postings when saved; they post nothing."""

from __future__ import annotations

import pytest

from ledger.books import (
    AccountNotLeaf,
    InvalidVoucherLine,
    UnknownAccount,
    VoucherTemplateNotFound,
    VoucherTemplates,
)

RENT = [{"account": "102", "debit": 500000}, {"account": "501", "credit": 500000}]
POWER = [{"account": "513", "debit": 0}, {"account": "101", "credit": 0, "memo": "现金"}]


def kept(ledger) -> dict:
    return ledger.books.store.find(VoucherTemplates, VoucherTemplates.id_for("v1")).templates


def test_a_template_is_kept_by_name_with_its_lines(village):
    village.books.save_voucher_template("v1", name="收房租", summary="收取门面房租",
                                        lines=RENT, actor="会计")
    assert kept(village) == {"收房租": {"summary": "收取门面房租", "lines": [
        {"account": "102", "debit": 500000, "credit": 0, "memo": ""},
        {"account": "501", "debit": 0, "credit": 500000, "memo": ""}]}}


def test_saving_under_the_same_name_replaces_and_dropping_removes(village):
    village.books.save_voucher_template("v1", name="电费", summary="付电费", lines=RENT,
                                        actor="会计")
    village.books.save_voucher_template("v1", name="电费", summary="付村部电费", lines=POWER,
                                        actor="会计")
    assert kept(village)["电费"]["summary"] == "付村部电费"
    assert kept(village)["电费"]["lines"][1]["memo"] == "现金"
    village.books.drop_voucher_template("v1", "电费", actor="会计")
    assert kept(village) == {}
    with pytest.raises(VoucherTemplateNotFound):
        village.books.drop_voucher_template("v1", "电费", actor="会计")


@pytest.mark.parametrize(("name", "summary", "lines", "field"), [
    ("", "付电费", POWER, "name"),
    ("电费", " ", POWER, "summary"),
    ("电费", "付电费", [], "lines"),
    ("电费", "付电费", [{"account": "513", "debit": 100, "credit": 100}], "lines[0]"),
    ("电费", "付电费", [{"account": "513", "debit": -1}], "lines[0].debit"),
])
def test_a_template_that_breaks_a_rule_is_refused_and_nothing_kept(village, name, summary,
                                                                   lines, field):
    with pytest.raises(InvalidVoucherLine) as refused:
        village.books.save_voucher_template("v1", name=name, summary=summary, lines=lines,
                                            actor="会计")
    assert refused.value.field == field
    assert village.books.store.find(VoucherTemplates, VoucherTemplates.id_for("v1")) is None


def test_a_template_names_only_accounts_that_take_postings(village):
    village.books.open_account("v1", parent="513", code="51301", name_zh="干部报酬",
                               actor="会计")
    with pytest.raises(AccountNotLeaf) as refused:
        village.books.save_voucher_template("v1", name="电费", summary="付电费", lines=POWER,
                                            actor="会计")
    assert refused.value.field == "lines[0].account"
    with pytest.raises(UnknownAccount):
        village.books.save_voucher_template(
            "v1", name="电费", summary="付电费",
            lines=[{"account": "999", "debit": 1}], actor="会计")
