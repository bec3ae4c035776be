"""A small cooperative keeping its books here, written once for the tests of contributions and
trade: 东村水稻专业合作社 (coop, chart mof-2021-cooperative from 2026-01-01) with three members,
0001 周大勇, 0002 吴春花, 0003 郑国华, admitted on 2026-01-10."""

from __future__ import annotations

from datetime import date

from ledger.application import Ledger

COOP = "coop"
MEMBERS = (("周大勇", "male", date(1975, 4, 2)), ("吴春花", "female", date(1980, 8, 8)),
           ("郑国华", "male", date(1968, 12, 1)))


def cooperative_with_members(app: Ledger, org: str = COOP) -> None:
    app.books.register_organization(code=org, name_zh="东村水稻专业合作社",
                                    kind="farmers_cooperative", books_start=date(2026, 1, 1),
                                    actor="admin")
    for name, sex, born in MEMBERS:
        app.register.confirm_member(org, name=name, sex=sex, born=born, household="",
                                    on=date(2026, 1, 10), basis="admitted", actor="kuaiji")


def lines_of(app: Ledger, number: str, org: str = COOP) -> list[tuple[str, int, int, str]]:
    """A voucher's lines as (account, debit, credit, party)."""
    return [(line["account"], line["debit"], line["credit"], line.get("party", ""))
            for line in app.books.voucher(org, number).lines]

