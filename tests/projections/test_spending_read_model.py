"""The spending rows of the books read model, on SQLite and PostgreSQL, after a whole story: a
receipt, a grant, a matter through every step of 四议两公开 and another stopped by its quorum,
requests approved, rejected, withdrawn, paid and pending, warnings raised and acknowledged; and
the same rows, byte for byte, after a rebuild from event one, whatever the batch size.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from unittest import mock

from ledger.application import Ledger
from projections.books.queries import BooksReader, Page
from projections.books.view import BooksView
from projections.disclosure.content import prepare
from projections.runner import catch_up, rebuild
from projections.spending.queries import SpendingQueries

ORG = "v1"
ALL = Page(1, 100)
ROLES = {"caiwu": "finance_lead", "cunzhang": "committee", "shuji": "committee",
         "jiandu": "supervisor", "jiandu2": "supervisor", "kuaiji": "accountant"}
RESOLUTION_NO = "东村决〔2026〕3号"
DIGEST = "ab" * 32

QUORUM_NOT_MET = ("到会人数不足：应到30人，实到10人，须过半数 "
                  "(quorum not met: 10 of 30 present, >1/2 needed)")


def village(app: Ledger) -> None:
    app.books.register_organization(code=ORG, name_zh="东村", kind="village_collective",
                                    books_start=date(2026, 1, 1), actor="admin")
    for login, role in ROLES.items():
        app.identity.create_user(login=login, display_name=login, password="a long password",
                                 actor="admin")
        app.identity.grant_role(login, org=ORG, role=role, reason="elected", actor="admin")


def request(app: Ledger, on: date, amount: int, account: str, approvers: list[str],
            **kwargs: Any) -> str:
    number = app.spending.request_spending(ORG, on=on, amount=amount, account=account,
                                           actor="kuaiji",
                                           **kwargs).value.number
    for login in approvers:
        app.spending.approve_spending(ORG, number, approver=login, note=f"{login}同意")
    return number


def spend(app: Ledger) -> dict[str, str]:
    """March 2026: money in, a matter decided, requests in every state; returns their numbers."""
    village(app)
    app.spending.record_receipt(ORG, on=date(2026, 3, 1), category="contracting_leasing",
                                payer="张三",
                                amount=2_000_000, paid_into="102", relates_to="2026",
                                actor="kuaiji")
    app.books.open_account(ORG, parent="241", code="24101", name_zh="农村道路补助", actor="kuaiji")
    app.spending.record_grant(ORG, on=date(2026, 3, 2), kind="earmarked", name="农村道路补助",
                              grantor="县交通局", amount=1_000_000, account="24101",
                              paid_into="102",
                              purpose_accounts=["153", "513"], actor="kuaiji")
    matter = app.spending.propose_matter(
        ORG, on=date(2026, 3, 3), title="硬化东路", category="project",
        description="东路一公里硬化", proposed_by="party_branch", budget_total=3_000_000,
        budget_lines=[{"account": "153", "item": "路面", "amount": 2_500_000},
                      {"account": "513", "item": "监理", "amount": 500_000}],
        actor="kuaiji").value.number
    for step, day, body in (("deliberate", 5, ""), ("review", 6, ""),
                            ("decide", 8, "representatives_meeting")):
        app.spending.hold_meeting(ORG, matter, step=step, on=date(2026, 3, day), body=body,
                                  entitled=30,
                                  present=28, votes_for=26, votes_against=1, abstain=1,
                                  minutes=f"{step}纪要", resolution_no=RESOLUTION_NO,
                                  actor="kuaiji")
    stopped = app.spending.propose_matter(
        ORG, on=date(2026, 3, 4), title="建仓库", category="project", description="",
        proposed_by="village_committee", budget_total=800_000, budget_lines=[],
        actor="cunzhang").value.number
    app.spending.hold_meeting(ORG, stopped, step="deliberate", on=date(2026, 3, 9), entitled=30,
                              present=10, votes_for=10, actor="kuaiji")
    road = request(app, date(2026, 3, 9), 1_500_000, "153", ["cunzhang", "shuji", "jiandu"],
                   payee="路桥公司", purpose="东路路面", matter=matter, receipt_count=2,
                   receipt_digests=[DIGEST])
    app.spending.pay_spending(ORG, road, on=date(2026, 3, 10), amount=1_500_000, paid_from="102",
                              actor="kuaiji")
    survey = request(app, date(2026, 3, 11), 80_000, "513", ["caiwu"], payee="监理公司",
                     purpose="东路监理", matter=matter)
    app.spending.pay_spending(ORG, survey, on=date(2026, 3, 12), amount=80_000, paid_from="102",
                              actor="kuaiji")
    rejected = request(app, date(2026, 3, 13), 50_000, "513", [], payee="某人", purpose="招待")
    app.spending.reject_spending(ORG, rejected, approver="caiwu", reason="没有依据")
    withdrawn = request(app, date(2026, 3, 13), 60_000, "513", [], payee="文具店",
                        purpose="办公用品")
    app.spending.withdraw_spending(ORG, withdrawn, reason="重复申请", actor="kuaiji")
    upkeep = request(app, date(2026, 3, 14), 300_000, "513", ["cunzhang", "shuji", "jiandu"],
                     payee="养护队", purpose="道路养护", fund_source="grant",
                     grant="G2026-0001")
    app.spending.pay_spending(ORG, upkeep, on=date(2026, 3, 15), amount=300_000, paid_from="102",
                              actor="kuaiji")
    pending = request(app, date(2026, 3, 20), 200_000, "513", ["cunzhang"], payee="电工",
                      purpose="路灯维修")
    app.spending.attach_spending_receipts(ORG, pending, count=3, digests=[DIGEST], actor="kuaiji")
    return {"matter": matter, "stopped": stopped, "road": road, "survey": survey,
            "rejected": rejected, "withdrawn": withdrawn, "upkeep": upkeep, "pending": pending}


def publish(app: Ledger, view: BooksView, kind: str, period: str, title: str,
            inputs: dict[str, Any]) -> str:
    """Build the content from the caught-up books, draft, review and publish it."""
    catch_up(app, view)
    with view.sql() as sql:
        prepared = prepare(BooksReader(sql, view), ORG, kind, period, title, inputs)
    ref = str(app.disclosure.draft_disclosure(ORG, kind=kind, period=period, title=title,
                                              inputs=inputs,
                                              content=prepared.content, position=prepared.position,
                                              actor="kuaiji").value.id)
    app.disclosure.submit_disclosure(ORG, ref, panel=["jiandu", "jiandu2"], actor="kuaiji")
    for member in ("jiandu", "jiandu2"):
        app.disclosure.sign_disclosure(ORG, ref, member=member, opinion="属实")
    app.disclosure.publish_disclosure(ORG, ref, actor="kuaiji")
    return ref


def finish(app: Ledger, view: BooksView, matter: str) -> tuple[str, str]:
    """Disclose the resolution, carry it out, disclose the result."""
    resolution = publish(app, view, "resolution", "", "硬化东路决议公开", {"matter": matter})
    app.spending.carry_out_matter(ORG, matter, on=date(2026, 4, 30),
                                  summary="东路硬化完工，验收合格",
                                  actor="kuaiji")
    result = publish(app, view, "matter_result", "", "硬化东路结果公开", {"matter": matter})
    return resolution, result


def whole_story(ledger: Ledger, view: BooksView) -> dict[str, str]:
    numbers = spend(ledger)
    numbers["resolution"], numbers["result"] = finish(ledger, view, numbers["matter"])
    survey_flag = next(w for w in SpendingQueries(view).warnings(ORG, ALL)[0]
                       if w["key"] == numbers["survey"])
    ledger.books.acknowledge_red_flag(ORG, survey_flag["id"], reason="发票随后补附", actor="jiandu")
    catch_up(ledger, view)
    return numbers


def test_a_matter_through_every_step(ledger: Ledger, view: BooksView) -> None:
    numbers = whole_story(ledger, view)
    queries = SpendingQueries(view)
    matter = queries.matter(ORG, numbers["matter"])
    assert matter is not None
    assert {k: matter[k] for k in ("number", "title", "category", "proposed_by",
                                   "proposed_by_login", "date", "status", "reserved",
                                   "resolution_no", "stop_reason", "carried_out_date",
                                   "carried_out_summary")} == {
        "number": "M2026-0001", "title": "硬化东路", "category": "project",
        "proposed_by": "party_branch", "proposed_by_login": "kuaiji", "date": "2026-03-03",
        "status": "result_disclosed", "reserved": False, "resolution_no": RESOLUTION_NO,
        "stop_reason": "", "carried_out_date": "2026-04-30",
        "carried_out_summary": "东路硬化完工，验收合格"}
    assert (matter["resolution_disclosure"], matter["result_disclosure"]) == (
        numbers["resolution"], numbers["result"])
    assert matter["steps"] == ["deliberate", "review", "decide"]
    assert matter["rules"]["decision_meeting_quorum"] == ">=2/3"
    assert [(m["step"], m["date"], m["body"], m["present"], m["votes_for"], m["passed"])
            for m in matter["meetings"]] == [
        ("deliberate", "2026-03-05", "joint_meeting", 28, 26, True),
        ("review", "2026-03-06", "party_meeting", 28, 26, True),
        ("decide", "2026-03-08", "representatives_meeting", 28, 26, True)]
    assert matter["meetings"][2]["minutes"] == "decide纪要"
    assert (matter["budget_total"], matter["spent"], matter["remaining"]) == (
        3_000_000, 1_580_000, 1_420_000)
    assert matter["budget_lines"] == [
        {"no": 1, "account": "153", "item": "路面", "amount": 2_500_000, "spent": 1_500_000,
         "remaining": 1_000_000},
        {"no": 2, "account": "513", "item": "监理", "amount": 500_000, "spent": 80_000,
         "remaining": 420_000}]
    assert [(p["request"], p["account"], p["amount"], p["date"]) for p in matter["payments"]] == [
        (numbers["road"], "153", 1_500_000, "2026-03-10"),
        (numbers["survey"], "513", 80_000, "2026-03-12")]
    rows, total = queries.matters(ORG, ALL)
    assert total == 2 and [r["number"] for r in rows] == ["M2026-0002", "M2026-0001"]
    assert "meetings" not in rows[0]
    assert queries.matters(ORG, ALL, status="stopped")[1] == 1
    assert queries.matter(ORG, "M2026-0099") is None


def test_a_stopped_matter_keeps_its_reason(ledger: Ledger, view: BooksView) -> None:
    numbers = whole_story(ledger, view)
    stopped = SpendingQueries(view).matter(ORG, numbers["stopped"])
    assert stopped is not None
    assert stopped["status"] == "stopped"
    assert stopped["stop_reason"] == QUORUM_NOT_MET
    assert stopped["proposed_by_login"] == "cunzhang"
    [meeting] = stopped["meetings"]
    assert meeting["passed"] is False and meeting["reason"] == stopped["stop_reason"]


def test_budget_against_what_was_paid(ledger: Ledger, view: BooksView) -> None:
    whole_story(ledger, view)
    report = SpendingQueries(view).budget_vs_actual(ORG)
    assert [(m["number"], m["status"], m["budget_total"], m["spent"], m["remaining"])
            for m in report] == [("M2026-0002", "stopped", 800_000, 0, 800_000),
                                 ("M2026-0001", "result_disclosed", 3_000_000, 1_580_000,
                                  1_420_000)]
    assert [(line["item"], line["spent"], line["remaining"]) for line in report[1]["lines"]] == [
        ("路面", 1_500_000, 1_000_000), ("监理", 80_000, 420_000)]


def test_requests_in_every_state(ledger: Ledger, view: BooksView) -> None:
    numbers = whole_story(ledger, view)
    queries = SpendingQueries(view)
    road = queries.spending_request(ORG, numbers["road"])
    assert road is not None
    assert {k: road[k] for k in ("payee", "amount", "account", "account_name", "fund_source",
                                 "grant", "matter", "matter_title", "resolution_no", "level",
                                 "needs", "status", "requested_by", "paid_date",
                                 "paid_amount", "paid_from", "receipt_count",
                                 "receipt_digests")} == {
        "payee": "路桥公司", "amount": 1_500_000, "account": "153", "account_name": "在建工程",
        "fund_source": "collective", "grant": None, "matter": "M2026-0001",
        "matter_title": "硬化东路", "resolution_no": RESOLUTION_NO, "level": "resolution",
        "needs": {"committee": 2, "supervisor": 1}, "status": "paid", "requested_by": "kuaiji",
        "paid_date": "2026-03-10", "paid_amount": 1_500_000, "paid_from": "102",
        "receipt_count": 2, "receipt_digests": [DIGEST]}
    assert [(a["by"], a["role"], a["note"]) for a in road["approvals"]] == [
        ("cunzhang", "committee", "cunzhang同意"), ("shuji", "committee", "shuji同意"),
        ("jiandu", "supervisor", "jiandu同意")]
    assert queries.payment_of_voucher(ORG, road["paid_voucher"])["number"] == numbers["road"]
    rejected = queries.spending_request(ORG, numbers["rejected"])
    assert (rejected["status"], rejected["rejected_by"], rejected["closing_reason"]) == (
        "rejected", "caiwu", "没有依据")
    withdrawn = queries.spending_request(ORG, numbers["withdrawn"])
    assert (withdrawn["status"], withdrawn["rejected_by"], withdrawn["closing_reason"]) == (
        "withdrawn", "", "重复申请")
    pending = queries.spending_request(ORG, numbers["pending"])
    assert (pending["status"], pending["receipt_count"], pending["paid_voucher"]) == (
        "pending", 3, None)
    upkeep = queries.spending_request(ORG, numbers["upkeep"])
    assert (upkeep["grant"], upkeep["grant_name"]) == ("G2026-0001", "农村道路补助")
    rows, total = queries.spending_requests(ORG, ALL)
    assert total == 6 and rows[0]["number"] == numbers["pending"]
    assert [r["number"] for r in queries.spending_requests(ORG, ALL, status="paid")[0]] == [
        numbers["upkeep"], numbers["survey"], numbers["road"]]
    assert queries.spending_requests(ORG, ALL, matter=numbers["matter"])[1] == 2
    assert queries.spending_request(ORG, "S2026-0099") is None
    assert queries.payment_of_voucher(ORG, "2026-03-0001") is None  # the receipt's voucher


def test_an_approvers_to_do_list(ledger: Ledger, view: BooksView) -> None:
    numbers = whole_story(ledger, view)
    queries = SpendingQueries(view)
    [todo] = queries.pending_for(ORG, {"committee"}, "shuji")
    assert todo["number"] == numbers["pending"]
    assert todo["missing"] == {"committee": 1, "supervisor": 1}
    assert queries.pending_for(ORG, {"committee"}, "cunzhang") == []  # approved already
    assert queries.pending_for(ORG, {"committee"}, "kuaiji") == []  # asked for it
    assert queries.pending_for(ORG, {"finance_lead"}, "caiwu") == []  # not needed
    assert len(queries.pending_for(ORG, {"supervisor"}, "jiandu")) == 1


def test_receipts_grants_and_warnings(ledger: Ledger, view: BooksView) -> None:
    numbers = whole_story(ledger, view)
    queries = SpendingQueries(view)
    receipt = queries.receipt(ORG, "R2026-0001")
    assert receipt == {
        "number": "R2026-0001", "date": "2026-03-01", "category": "contracting_leasing",
        "payer": "张三", "amount": 2_000_000, "relates_to": "2026", "account": "501",
        "paid_into": "102", "voucher": "2026-03-0001", "summary": "收张三发包及租赁费",
        "issued_by": "kuaiji"}
    assert queries.receipts(ORG, ALL, year=2026) == ([receipt], 1)
    assert queries.receipts(ORG, ALL, year=2025) == ([], 0)
    grant = queries.grant(ORG, "G2026-0001")
    assert grant is not None
    assert (grant["amount"], grant["spent"], grant["unspent"], grant["purpose_accounts"],
            grant["kind"], grant["grantor"], grant["matter"]) == (
        1_000_000, 300_000, 700_000, ["153", "513"], "earmarked", "县交通局", None)
    [spent] = grant["spending"]
    assert (spent["request"], spent["amount"], spent["date"]) == (
        numbers["upkeep"], 300_000, "2026-03-15")
    assert queries.grants(ORG, ALL)[1] == 1

    rows, total = queries.warnings(ORG, ALL)
    assert total == 2 and {(w["kind"], w["key"]) for w in rows} == {
        ("no_receipt", numbers["survey"]), ("no_receipt", numbers["upkeep"])}
    [open_one], _ = queries.warnings(ORG, ALL, open_only=True)
    assert open_one["key"] == numbers["upkeep"] and not open_one["acknowledged"]
    acknowledged = queries.warning(ORG, next(w["id"] for w in rows
                                             if w["key"] == numbers["survey"]))
    assert acknowledged is not None and acknowledged["acknowledged"]
    assert [(a["by"], a["reason"]) for a in acknowledged["acknowledgements"]] == [
        ("jiandu", "发票随后补附")]
    assert acknowledged["trigger"]["request"] == numbers["survey"]
    assert acknowledged["raised_by"] == "kuaiji" and acknowledged["date"] == "2026-03-12"
    assert queries.warnings(ORG, ALL, kind="split_payment") == ([], 0)
    assert queries.warning(ORG, "00000000-0000-0000-0000-000000000000") is None


def spending_rows(view: BooksView) -> str:
    """Every row of the books read model, in key order, as bytes to compare."""
    from projections.spending.tables import TABLES

    with view.sql() as sql:
        rows = {table: sql.execute(f"SELECT * FROM {table}").all() for table in view.tables}
    # A village casts no additional votes (Art. 22 is a cooperative's): that table is filled by
    # tests/api/test_cooperative_distributions.py.
    assert all(rows[table] for table in TABLES if table != "books_meeting_additional_votes"), \
        "the story leaves a row in every table"
    ordered = {table: sorted(json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
                             for row in table_rows) for table, table_rows in rows.items()}
    return json.dumps(ordered, ensure_ascii=False)


def test_rebuilding_gives_the_same_rows_byte_for_byte(ledger: Ledger, view: BooksView) -> None:
    whole_story(ledger, view)
    head = ledger.log_head()
    followed = spending_rows(view)
    assert rebuild(ledger, view) == head
    assert spending_rows(view) == followed
    # One event per transaction sees the rows of every earlier event in its own write.
    with mock.patch("projections.log.BATCH", 1):
        assert rebuild(ledger, view) == head
    assert spending_rows(view) == followed
