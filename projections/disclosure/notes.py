"""The notes to the statements (会计报表附注) a format-3 balance sheet or income statement carries,
drafted from the books read model alone and completed by the accountant's contingent matters.

Rule: every figure is read from the books at the disclosure's end (balances) or over its period
(movements), so the notes rebuild byte for byte like the statement above them; the receivables
and payables tie to the balance sheet's 应收款项 and 应付款项 lines (113 内部往来 read by sign,
party by party, as there). Parties are named by their number on the roll (member:0012), never by
name: the notes are public and the roll's names are not part of the books.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.disclosure import InvalidDisclosure
from ledger.kernel.money import format_fen
from projections.books.queries import BooksReader
from projections.books.reports import INTERNAL, first_day_of_books, layouts_of
from projections.disclosure.statements import amount

RECEIVABLE, PAYABLE, SUBSIDY_INCOME, EARMARKED = "112", "211", "503", "241"
LARGEST = 5  # the largest receivables and payables the notes name
MAX_CONTINGENT = 2000
POLICIES = ("本表按《农村集体经济组织会计制度》（财会〔2023〕14号）编制，采用权责发生制，"
            "以人民币元为金额单位。")
POLICIES_EN = ("Prepared under the Accounting System for Rural Collective Economic "
               "Organizations (2023), on the accrual basis, in yuan.")


@dataclass(frozen=True)
class NotesChart:
    """The accounts the notes read, by chart: receivables in full, the two-sided account by
    sign, payables in full, subsidy income (none in the cooperative chart: its grants go
    through 专项应付款 into 专项基金) and the earmarked grants."""

    receivable: str
    internal: str
    payable: str
    subsidy_income: tuple[str, ...]
    earmarked: str
    policies: str
    policies_en: str


VILLAGE_NOTES = NotesChart(RECEIVABLE, INTERNAL, PAYABLE, (SUBSIDY_INCOME,), EARMARKED,
                           POLICIES, POLICIES_EN)
COOPERATIVE_NOTES = NotesChart(
    "113", "114", "211", (), "235",
    "本表按《农民专业合作社会计制度》（财会〔2021〕37号）编制，采用权责发生制，以人民币元为金额单位。",
    "Prepared under the Accounting System for Farmers' Professional Cooperatives (2021), on "
    "the accrual basis, in yuan.")


def notes_to_statements(reader: BooksReader, org: str, start: date, end: date,
                        inputs: Any, *, from_books_start: bool = False) -> dict[str, Any]:
    """The notes: policies, the largest receivables and payables at `end` by party and by
    account, the subsidies received and used over [start, end], and the contingent matters.
    `from_books_start` (format 5): when the books start within [start, end], the subsidies are
    read from their first day, so a grant's balance the opening voucher brought in is its
    balance brought in, not a grant received (formats 3 and 4 read it from `start`)."""
    if not isinstance(inputs, Mapping):
        raise InvalidDisclosure("an object with the contingent matters",
                                field="inputs.notes_to_statements")
    contingent = inputs.get("contingent", "")
    if not isinstance(contingent, str) or len(contingent) > MAX_CONTINGENT:
        raise InvalidDisclosure(f"text of at most {MAX_CONTINGENT} characters",
                                field="notes_to_statements.contingent")
    chart = COOPERATIVE_NOTES if layouts_of(reader, org).cooperative else VILLAGE_NOTES
    accounts = {row["code"]: row for row in reader.all_accounts(org)}
    year = date(end.year, 1, 1)
    balances = {code: s.after for code, s in reader.sums(org, year, end).items()}
    parties = {key: after for key, (_, after)
               in _party_nets(reader, org, year, end, chart).items()}
    return {
        "policies": chart.policies, "policies_en": chart.policies_en,
        **_receivables_and_payables(balances, parties, accounts, chart),
        "subsidies": _subsidies(reader, org, first_day_of_books(reader, org, start, end)
                                if from_books_start else start, end, accounts, chart),
        "contingent": contingent.strip(),
    }


def _party_nets(reader: BooksReader, org: str, start: date, end: date,
                chart: NotesChart) -> dict[tuple[str, str], tuple[int, int]]:
    nets: dict[tuple[str, str], tuple[int, int]] = {}
    for prefix in (chart.receivable, chart.internal, chart.payable):
        nets |= reader.party_nets(org, prefix, start, end)
    return nets


def _sides(code: str, net: int, chart: NotesChart) -> tuple[int, int]:
    """What a net debit on `code` adds to receivables and to payables, as the balance sheet
    reads it: 112 in full, 211 in full (credit), 113 by its sign (a cooperative: 113, 211, and
    114 by its sign)."""
    if code.startswith(chart.receivable):
        return net, 0
    if code.startswith(chart.payable):
        return 0, -net
    return (net, 0) if net > 0 else (0, -net)


def _receivables_and_payables(balances: Mapping[str, int], parties: Mapping[tuple[str, str], int],
                              accounts: Mapping[str, Mapping[str, Any]],
                              chart: NotesChart) -> dict[str, Any]:
    """Each side's total, its largest parties and its largest accounts. A leaf's balance is
    split into each named party's part and the rest, so one member's debt under 113 never
    cancels another's credit."""
    by_party: dict[str, list[int]] = {}
    by_account: dict[str, list[int]] = {}
    rest = {code: net for code, net in balances.items()
            if code.startswith((chart.receivable, chart.internal, chart.payable))}
    for (code, party), net in parties.items():
        rest[code] = rest.get(code, 0) - net
        _add(by_party, party, _sides(code, net, chart))
        _add(by_account, code, _sides(code, net, chart))
    for code, net in rest.items():
        _add(by_account, code, _sides(code, net, chart))
    notes = {}
    for side, name in ((0, "receivables"), (1, "payables")):
        notes[name] = {
            **amount(sum(values[side] for values in by_account.values())),
            "by_party": [{"no": no, "party": party, **amount(fen)}
                         for no, (party, fen) in enumerate(_largest(by_party, side), start=1)],
            "by_account": [{"no": no, **_account(accounts, code), **amount(fen)}
                           for no, (code, fen) in enumerate(_largest(by_account, side),
                                                            start=1)]}
    return notes


def _add(totals: dict[str, list[int]], key: str, sides: tuple[int, int]) -> None:
    row = totals.setdefault(key, [0, 0])
    row[0] += sides[0]
    row[1] += sides[1]


def _largest(totals: Mapping[str, list[int]], side: int) -> list[tuple[str, int]]:
    """The LARGEST keys with something on `side`, largest first, ties by key."""
    found = [(key, values[side]) for key, values in totals.items() if values[side] > 0]
    return sorted(found, key=lambda item: (-item[1], item[0]))[:LARGEST]


def _account(accounts: Mapping[str, Mapping[str, Any]], code: str) -> dict[str, str]:
    account = accounts.get(code, {})
    return {"code": code, "name_zh": account.get("name_zh", ""),
            "name_en": account.get("name_en", "")}


def _subsidies(reader: BooksReader, org: str, start: date, end: date,
               accounts: Mapping[str, Mapping[str, Any]], chart: NotesChart) -> dict[str, Any]:
    """503 补助收入 earned over the period (the year-end close, which only moves it on, left
    out), and each 241 专项应付款 sub-account's balance brought in, grants received (credits),
    grants used (debits) and balance at the end."""
    sums = reader.sums(org, start, end)
    income = sum(s.credit - s.debit + s.closing_net for code, s in sums.items()
                 if chart.subsidy_income and code.startswith(chart.subsidy_income))
    grants = []
    totals = [0, 0, 0, 0]
    for code in sorted(c for c in sums if c.startswith(chart.earmarked)):
        s = sums[code]
        figures = (-s.before, s.credit, s.debit, -(s.before + s.debit - s.credit))
        if not any(figures):
            continue
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        grants.append({"no": len(grants) + 1, **_account(accounts, code),
                       **_figures(figures)})
    return {"income": amount(income), "earmarked": grants,
            "earmarked_totals": {name: amount(fen) for name, fen in
                                 zip(("opening", "received", "used", "closing"), totals,
                                     strict=True)}}


def _figures(figures: tuple[int, int, int, int]) -> dict[str, str]:
    return dict(zip(("opening", "received", "used", "closing"),
                    (format_fen(fen) for fen in figures), strict=True))
