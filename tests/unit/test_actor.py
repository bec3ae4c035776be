"""Every fact in the books records who did it: each event carries the command's actor."""

from __future__ import annotations

from datetime import date

from ledger.books import Line, Period, VoucherDraft
from ledger.kernel.idempotency import RequestKey


def test_every_event_the_ledger_writes_carries_the_actor_of_its_command(memory_ledger):
    app = memory_ledger
    commands = [
        ("县农经站", lambda a: app.books.register_organization(
            code="v1", name_zh="一村", kind="village_collective", books_start=date(2025, 1, 1),
            actor=a, request=RequestKey("r1", "d1"))),
        ("会计甲", lambda a: app.books.open_account("v1", parent="501", code="50101",
                                              name_zh="发包收入", actor=a)),
        ("出纳乙", lambda a: app.books.post_voucher("v1", VoucherDraft(
            date(2025, 1, 1), "期初", (Line("102", debit=900), Line("301", credit=900)),
            kind="opening"), actor=a)),
        ("出纳丙", lambda a: app.books.post_voucher("v1", VoucherDraft(
            date(2025, 2, 3), "收款", (Line("102", debit=500), Line("50101", credit=500))),
            actor=a, request=RequestKey("r2", "d2"))),
        ("会计丁", lambda a: app.books.reverse_voucher("v1", "2025-02-0001", on=date(2025, 2, 4),
                                                 reason="重复", actor=a)),
        ("会计戊", lambda a: app.books.close_account("v1", "134", reason="无", actor=a)),
    ]
    commands += [(f"会计{month}", lambda a, m=month: app.books.close_period("v1", Period(2025, m),
                                                                     actor=a))
                 for month in range(1, 12)]
    commands += [
        ("主任", lambda a: app.books.post_voucher("v1", VoucherDraft(
            date(2025, 12, 1), "收款", (Line("102", debit=70), Line("50101", credit=70))),
            actor=a)),
        ("主任己", lambda a: app.books.close_year("v1", 2025, actor=a,
                                            request=RequestKey("r3", "d3"))),
    ]

    expected: list[str] = []
    for actor, command in commands:
        head = app.log_head()
        command(actor)
        written = app.log_head() - head
        assert written >= 1
        expected += [actor] * written

    events = [app.mapper.to_domain_event(n)
              for n in app.recorder.select_notifications(start=1, limit=10000)]
    assert [e.actor for e in events] == expected
    assert len(events) == 32
