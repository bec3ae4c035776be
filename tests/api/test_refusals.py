"""The ledger's English refusals, said on a Chinese desk page in Chinese; English readers keep
the ledger's own sentence."""

from __future__ import annotations

from flask import Flask

from api.refusals import said, said_of
from ledger.disclosure.errors import QuestionNotFound
from ledger.kernel.errors import Conflict, InvalidCommand


def test_a_missing_record_is_named_by_its_kind(app: Flask):
    with app.test_request_context("/desk/"):
        assert said(QuestionNotFound("no question q1", question="q1")) == "没有这个问题。"


def test_a_chinese_message_loses_its_english_aside(app: Flask):
    with app.test_request_context("/desk/"):
        assert said_of("invalid_member", "校验码不对，有一位录错了 (the check digit is wrong)",
                       422) == "校验码不对，有一位录错了"
        kept = "申请（S2026-0006）已付款"
        assert said_of("spending_state", kept, 409) == kept


def test_a_known_sentence_is_translated_with_its_value(app: Flask):
    with app.test_request_context("/desk/"):
        assert said_of("invalid_disclosure", "2030-01 has not ended yet", 422) == (
            "2030-01 还没有结束。")


def test_an_unknown_english_sentence_becomes_its_kind_of_refusal(app: Flask):
    with app.test_request_context("/desk/"):
        assert said(InvalidCommand("a grant needs a reason")) == "未被接受，请检查填写的内容。"
        assert said(Conflict("busy")).startswith("现在不能这样做")


def test_an_english_reader_gets_the_ledgers_sentence(app: Flask):
    with app.test_request_context("/desk/?lang=en"):
        assert said(InvalidCommand("a grant needs a reason")) == "a grant needs a reason"


def test_a_part_of_the_address_is_named_as_the_page_names_it(app: Flask):
    with app.test_request_context("/desk/"):
        assert said_of("invalid_request", "period: 无法识别这个值，请重新选择。", 422) == (
            "月份：无法识别这个值，请重新选择。")


def test_a_plan_the_register_moved_under_names_each_household_moved(app: Flask):
    # Given the ledger's refusal to post a plan the share register changed under,
    message = ("the share register on 2026-12-31 changed after plan 2026-2 was drafted "
               "(household:004 75→74, household:005 65→66); cancel it and draft the plan again")
    with app.test_request_context("/desk/"):
        # then the desk names the day, the plan and each household by its number.
        shown = said_of("distribution_state", message, 409)
    assert "2026-12-31" in shown and "2026-2" in shown
    assert "004户 75→74" in shown and "005户 65→66" in shown


def test_an_amount_in_a_refusal_is_grouped_as_the_desk_shows_money(app: Flask):
    # Given the ledger's refusal naming amounts as programs read them (10000.00),
    message = "12500.00 is more than the 10000.00 approved"
    with app.test_request_context("/desk/"):
        shown = said_of("invalid_amount", message, 422)
        # while an example of how to type an amount stays as it is typed.
        example = said_of("invalid_plan", 'a decimal such as "1234.50"', 422)
    # then the desk shows them grouped by thousands.
    assert "12,500.00" in shown and "10,000.00" in shown
    assert "1234.50" in example


def test_a_year_shared_out_by_vouchers_is_refused_in_chinese_with_its_amount(app: Flask):
    message = ("2025 already has 138087.31 posted to 332 各项分配 outside a plan; reverse it "
               "before drafting the plan")
    with app.test_request_context("/desk/"):
        shown = said_of("invalid_distribution", message, 422)
    assert shown == ("2025年已有凭证在方案之外记入 332 各项分配 138,087.31 元；先冲销这些凭证，"
                     "才能起草方案。")
