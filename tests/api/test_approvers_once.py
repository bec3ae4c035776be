"""A paid request's approvers are named once on a disclosure's line, each with the office they
approved in, and a name the centre registered with its office in brackets is not given a second
(孙委员（财务负责人）（财务负责人）, and the printed sheet listed the approvers twice)."""

from __future__ import annotations

from flask import Flask, render_template_string

from api.disclosure.public_views import spending_details

NAMES = {"caiwu": "孙委员（财务负责人）", "li": "李主任"}
PAID = {"request": "S2026-0001", "approvers": [{"login": "caiwu", "role": "finance_lead"},
                                                {"login": "li", "role": "committee"}]}


def test_each_approver_is_named_once_with_one_office(app: Flask) -> None:
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        details = spending_details(PAID, NAMES)
    assert details == ["支出申请 S2026-0001", "审批：孙委员（财务负责人）、李主任（两委）"]


def test_the_printed_line_of_a_paid_request_lists_its_approvers_once(app: Flask) -> None:
    line = {"no": 1, "item": "修水渠", "shown": "500.00", "amount_capital": "伍佰元整",
            "opinions": [], "spending": PAID, "approved_by": "孙委员（财务负责人）、李主任",
            "details": ["支出申请 S2026-0001", "审批：孙委员（财务负责人）、李主任（两委）"]}
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        page = render_template_string(
            '{% from "public/_lines.html" import form_table %}'
            "{{ form_table(lines, printed=True) }}", lines=[line])
    assert page.count("李主任") == 1 and "已审批" not in page
