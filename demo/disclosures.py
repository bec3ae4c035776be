"""The demo village's disclosures: built from its books (and the east road's resolution), signed
by two of its three supervisors, published, and questioned by villagers, so that every public
page has something true to show. The demo's October (demo/spending.py) comes first; the 2025
distribution's two disclosures are published on their own days by demo/distribution.py."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from demo.spending import ROAD
from demo.village import DEMO_ORG
from infra.storage import Storage
from ledger.application import Ledger
from projections.books.queries import BooksReader
from projections.books.view import BooksView
from projections.disclosure.drafting import Draft, draft_from_books
from projections.runner import catch_up_all, close_views, open_views

ACCOUNTANT, REVIEWERS = "kuaiji", ("jiandu", "jiandu2", "jiandu3")
ROAD_PROJECT = {
    "body": "东路硬化工程经村民代表会议决议实施，现将工程款支付情况专项公开，接受村民监督。",
    "items": [
        {"item": "东路硬化工程预付款", "amount": "120000.00", "fund_source": "财政一事一议奖补",
         "unit": "县路桥工程公司", "responsible": "李主任"},
        {"item": "东路硬化工程进度款", "amount": "80000.00", "fund_source": "村集体自有资金",
         "unit": "县路桥工程公司", "responsible": "李主任"},
    ],
    # The report itself is kept on paper and on file; the disclosure carries its digest. The
    # demo has no file, so the digest is of its title, not a row of 5s that reads as a fake.
    "attachments": [{"name": "工程决算审计报告.pdf",
                     "sha256": hashlib.sha256("东路硬化工程决算审计报告".encode()).hexdigest()}],
}
DISCLOSURES: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("income_expenditure", "2026-08", "2026年8月财务收支明细", {}),
    ("income_expenditure", "2026-09", "2026年9月财务收支明细",
     {"notes": "本月收支已经村务监督委员会逐笔审核。"}),
    ("balance_sheet", "2026-09", "2026年9月30日资产负债表", {}),
    ("income_statement", "2026-Q3", "2026年第三季度收益及收益分配表", {}),
    ("special", "", "东路硬化工程款支付专项公开", ROAD_PROJECT),
    ("resolution", "", "东路硬化二期工程决议公开", {"matter": ROAD}),
)


def publish(app: Ledger, books: BooksView, kind: str, period: str, title: str,
             inputs: dict[str, Any], **draft: str) -> str:
    @contextmanager
    def read() -> Iterator[BooksReader]:
        with books.sql() as sql:
            yield BooksReader(sql, books)

    asked = Draft(kind=kind, period=period, title=title, inputs=inputs, **draft)
    ref = str(draft_from_books(app, read, DEMO_ORG, asked, actor=ACCOUNTANT).value.id)
    app.disclosure.submit_disclosure(DEMO_ORG, ref, panel=list(REVIEWERS), actor=ACCOUNTANT)
    app.disclosure.sign_disclosure(DEMO_ORG, ref, member=REVIEWERS[0],
                                   opinion="经逐笔核对，账实相符。")
    app.disclosure.sign_disclosure(DEMO_ORG, ref, member=REVIEWERS[1], opinion="同意公开。")
    app.disclosure.publish_disclosure(DEMO_ORG, ref, actor=ACCOUNTANT)
    return ref


def publish_demo_disclosures(app: Ledger, storage: Storage) -> int:
    """Publish the demo's disclosures; returns how many. The users must exist already."""
    views = open_views(storage)
    try:
        catch_up_all(app, views)
        books = views["books"]
        refs = [publish(app, books, kind, period, title, inputs)
                for kind, period, title, inputs in DISCLOSURES]
        # The August statement is corrected once, to show how a correction reads.
        publish(app, books, "income_expenditure", "2026-08", "2026年8月财务收支明细（更正）",
                 {"annotations": {}, "notes": "补充说明：本月支出均由村集体自有资金列支。"},
                 corrects=refs[0], correction_reason="补充资金来源说明")
        asked = app.disclosure.ask_question(DEMO_ORG, refs[1], line=1, name="王大爷",
                                            text="9月的厂房租金是按合同收的吗？合同在哪里可以看？").value
        app.disclosure.screen_question(DEMO_ORG, str(asked.id), visible=True, reason="",
                                       actor=REVIEWERS[0])
        app.disclosure.answer_question(DEMO_ORG, str(asked.id), actor=ACCOUNTANT,
                                       text="按2024年签订的三年租赁合同收取，合同原件在村委会档案室，"
                                 "工作日可以查阅。")
        app.disclosure.ask_question(DEMO_ORG, refs[1], line=0,
                                    text="这个月的保洁费为什么比上个月多？")
        return len(DISCLOSURES) + 1
    finally:
        close_views(views)
