"""What a disclosure shows, as a pure function of the books read model at one log position plus
what the accountant added; the same rows and inputs always give the same canonical bytes.

Canonical form (format "sunlight-disclosure/9"): UTF-8 JSON, keys sorted, no insignificant
whitespace (separators "," and ":"), non-ASCII written as itself, amounts as decimal strings of
yuan with two decimals ("1234.50"), dates as ISO text. Its SHA-256 is the disclosure's digest.
Format 1 differs in the income statement's range column, whose 年初未分配收益 was the balance
where the range starts; formats 1 and 2 in the balance sheet's 内部往来, netted within each
sub-account instead of shown party by party, and in the 收支明细, which listed only the lines on
income, expense and cost accounts (format 3 lists every movement of cash and bank: movements.py);
and their statements neither numbered their lines by 行次 (`row`) nor carried the notes to the
statements (`notes_to_statements`: notes.py). Format 4 adds "merkle", the root of the Merkle
tree over the content's lines (merkle.py), so the digest covers it and one line can be proved in it.
Format 5 reads the statements as the desk does in the year the books start after January 1: the
balance sheet's 年初数, the income statement's 年初未分配收益 and the 成员权益变动表's 年初余额
are the opening balances (formats 1–4 read from January 1, so they were 0.00 and the opening
undistributed income a 其他转入); its balance sheet and 成员权益变动表 name the day of their
opening column (`start_of_year`), the notes' subsidies and the 收支明细 read from the books'
first day (the opening voucher no receipt of money, the cash and bank it brought in the balance
at the start), the 收支明细's accrued lines are numbered 1, 2, 3 … (formats 3 and 4
repeated a number within a voucher), and a reversal's red lines stay on their side, negative (a
payment reversed was a receipt in formats 3 and 4, raising both totals by its amount).
Format 6 reads a distribution plan's statements so too (format 5 still read them from January 1).
Format 7 names, on a 收支明细 line of a voucher reversed by the time of drafting, the reversal
(`reversed_by`): formats 1 to 6 showed a payment taken back only by its reversal's own line; and
a line's memo that the summary already says is said once (they wrote "摘要（摘要）").
Format 8 leaves empty ("") the 本期 amount of an income statement's distribution rows when its
months start after the year does: formats 1 to 7 added the months' income to the year's opening
undistributed income, a 可分配收益 and 年末未分配收益 no book held.
Format 9 numbers a cooperative member's line of a distribution by the member number (`member`,
"0001"), as a village's holder line is by its household number: formats 1 to 8 gave the masked
name alone, which two members of one surname share.
A disclosure is always rebuilt in the format it was published in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ledger.disclosure import FROM_BOOKS, KINDS, MATTER_KINDS, InvalidDisclosure, span_of
from ledger.kernel.money import MAX_FEN, AmountError, parse_fen
from projections.books.queries import BooksReader
from projections.books.reports import first_day_of_books
from projections.disclosure import merkle
from projections.disclosure.distribution import distribution
from projections.disclosure.movements import movements, source_label
from projections.disclosure.notes import notes_to_statements
from projections.disclosure.statements import (
    amount,
    balance_sheet,
    equity_changes,
    income_statement,
    is_cooperative,
)
from projections.spending.queries import SpendingReader

FORMAT = "sunlight-disclosure/9"
COOPERATIVE = "farmers_cooperative"
FORMATS = ("sunlight-disclosure/1", "sunlight-disclosure/2", "sunlight-disclosure/3",
           "sunlight-disclosure/4", "sunlight-disclosure/5", "sunlight-disclosure/6",
           "sunlight-disclosure/7", "sunlight-disclosure/8", FORMAT)
INCOME, SPENDING = "income", "spending"
STATEMENTS = ("balance_sheet", "income_statement")  # the kinds with notes (format 3 on)
# Income and spending are the lines on accounts of these classes (收入类, 支出类 and 成本类);
# the year-end closing vouchers only move the result between accounts and are left out.
SIDE_OF_CLASS = {"income": INCOME, "expense": SPENDING, "cost": SPENDING}
ANNOTATED = ("fund_source", "unit", "responsible")
MAX_NOTE = 2000
MAX_ITEMS = 200
MEETING_KEYS = ("step", "date", "body", "entitled", "present", "votes_for", "votes_against",
                "abstain", "minutes", "passed", "reason")


def canonical(content: Mapping[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Prepared:
    content: str
    position: int


def prepare(reader: BooksReader, org: str, kind: str, period: str, title: str,
            inputs: Mapping[str, Any]) -> Prepared:
    """Build the content from one snapshot of the books, and name that snapshot's position."""
    return Prepared(canonical(build(reader, org, kind, period, title, inputs)),
                    reader.position())


def build(reader: BooksReader, org: str, kind: str, period: str, title: str,
          inputs: Mapping[str, Any], *, format: str = FORMAT) -> dict[str, Any]:
    """The content in `format`: new disclosures are built in the newest, and the auditor's check
    rebuilds an old one in the format it names."""
    if kind not in KINDS:
        raise InvalidDisclosure(f"one of {', '.join(KINDS)}", field="kind")
    organization = reader.organization(org)
    if organization is None:
        raise InvalidDisclosure(f"no organization {org}", field="org")
    content: dict[str, Any] = {
        "format": format,
        "org": {"code": org, "name_zh": organization["name_zh"],
                "name_en": organization["name_en"],
                # Only a cooperative's content names its kind: a village's keeps its bytes.
                **({"kind": organization["kind"]} if organization["kind"] == COOPERATIVE
                   else {})},
        "kind": kind,
        "title": title.strip(),
        "notes": _text(inputs.get("notes", ""), "notes"),
    }
    desk = format not in FORMATS[:4]  # format 5 on: the statements read as the desk does
    start = end = date.min
    if kind in FROM_BOOKS or period:
        start, end = span_of(period)
        content["period"] = {"label": period, "start": start.isoformat(), "end": end.isoformat()}
    if kind == "income_expenditure" and format in FORMATS[:2]:
        content |= _income_expenditure(reader, org, start, end, inputs.get("annotations", {}))
    elif kind == "income_expenditure":
        # Format 5: from the books' first day, so the opening voucher is no receipt of money.
        content |= movements(reader, org, first_day_of_books(reader, org, start, end)
                             if desk else start, end, inputs.get("annotations", {}),
                             numbered=desk, red_ink=desk, marked=format not in FORMATS[:6])
    elif kind == "balance_sheet":
        content |= balance_sheet(reader, org, end, by_party=format not in FORMATS[:2],
                                 from_books_start=desk)
    elif kind == "income_statement":
        content |= income_statement(reader, org, start, end,
                                    range_brought_in=format == FORMATS[0],
                                    rows=format not in FORMATS[:2], from_books_start=desk,
                                    whole_years_only=format not in FORMATS[:7])
    elif kind == "distribution":
        content |= distribution(reader, org, period, inputs,
                                from_books_start=format not in FORMATS[:5],
                                members_numbered=format not in FORMATS[:8])
    elif kind in MATTER_KINDS:
        content |= _matter(reader, org, kind, inputs.get("matter"))
    else:
        content |= _special(inputs)
    if kind in STATEMENTS and format not in FORMATS[:2]:
        content["notes_to_statements"] = notes_to_statements(
            reader, org, start, end, inputs.get("notes_to_statements", {}),
            from_books_start=desk)
    if kind in STATEMENTS and end.month == 12 and end.day == 31 and is_cooperative(reader, org):
        # A cooperative's year statements include its 成员权益变动表; a village has none.
        content["equity_changes"] = equity_changes(reader, org, end, from_books_start=desk)
    if format not in FORMATS[:3]:
        content["merkle"] = merkle.summary(content)  # last: it covers everything above
    return content


def _text(value: Any, field: str, limit: int = MAX_NOTE) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidDisclosure(f"text of at most {limit} characters", field=field)
    return value.strip()


def _income_expenditure(reader: BooksReader, org: str, start: date, end: date,
                        annotations: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """Formats 1 and 2: the lines on income, expense and cost accounts only."""
    accounts = {row["code"]: row for row in reader.all_accounts(org)}
    rows = reader.sql.execute(
        """SELECT l.voucher_id, l.line_no, l.account, l.date, l.number, l.debit, l.credit,
            l.memo, v.summary, v.kind
        FROM books_lines l JOIN books_vouchers v ON v.id = l.voucher_id
        WHERE l.org = :org AND l.as_of >= :start AND l.as_of <= :end AND l.kind <> 'closing'
        ORDER BY l.date, l.seq, l.line_no""",
        {"org": org, "start": start.isoformat(), "end": end.isoformat()}).all()
    by_voucher: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_voucher.setdefault(row["voucher_id"], []).append(row)
    paid = _spending(reader).requests_paid_by(org, {row["number"] for row in rows})
    lines: list[dict[str, Any]] = []
    totals = {INCOME: 0, SPENDING: 0}
    for row in rows:
        account = accounts[row["account"]]
        side = SIDE_OF_CLASS.get(account["category"])
        if side is None:
            continue
        fen = (row["credit"] - row["debit"]) if side == INCOME else (row["debit"] - row["credit"])
        totals[side] += fen
        if side == SPENDING:
            # Where the money came from: the accounts the voucher credits (bank, subsidy funds).
            source = "、".join(sorted({accounts[o["account"]]["name_zh"] for o in by_voucher[
                row["voucher_id"]] if o["credit"] > 0 and o["account"] != row["account"]}))
        else:
            source = account["name_zh"]
        request = paid.get(row["number"]) if side == SPENDING else None
        lines.append(_line(len(lines) + 1, row, account, side, fen, source, request, annotations))
    unknown = set(annotations) - {line["ref"] for line in lines}
    if unknown:
        raise InvalidDisclosure("annotations name lines that are not in this disclosure",
                                field="annotations", lines=sorted(unknown))
    return {"lines": lines, "totals": {
        "income": amount(totals[INCOME]), "spending": amount(totals[SPENDING]),
        "net": amount(totals[INCOME] - totals[SPENDING])}}


def _line(no: int, row: Mapping[str, Any], account: Mapping[str, Any], side: str, fen: int,
          source: str, request: Mapping[str, Any] | None,
          annotations: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """One disclosed line; the accountant's note on it overrides where the money came from."""
    key = f"{row['number']}/{row['line_no']}"
    note = annotations.get(key, {})
    if request is not None:
        source = source_label(request)
    line = {
        "no": no,
        "ref": key,
        "date": row["date"],
        "voucher": row["number"],
        "side": side,
        "item": row["summary"] + (f"（{row['memo']}）" if row["memo"] else ""),
        "account": {"code": account["code"], "name_zh": account["name_zh"],
                    "name_en": account["name_en"]},
        **amount(fen),
        "fund_source": note.get("fund_source") or source,
        "unit": note.get("unit", ""),
        "responsible": note.get("responsible", ""),
    }
    if request is not None:
        # Only a line that paid a request has this key: the others keep their bytes.
        line["spending"] = {
            "request": request["number"], "matter": request["matter"] or "",
            "approvers": [{"login": a["by"], "role": a["role"]} for a in request["approvals"]],
            "resolution_no": request["resolution_no"],
            "fund_source": source_label(request)}
    return line


def _spending(reader: BooksReader) -> SpendingReader:
    """The spending rows of the same books view, read in the same snapshot."""
    return SpendingReader(reader.sql, reader._view)


def _matter(reader: BooksReader, org: str, kind: str, number: Any) -> dict[str, Any]:
    """A resolution (决议公开): the matter, its meetings with attendance and votes, the budget;
    its result (结果公开) adds what was paid, line by line and payment by payment."""
    matter = _spending(reader).matter(org, number) if isinstance(number, str) else None
    if matter is None:
        raise InvalidDisclosure(f"no matter {number}", field="inputs.matter")
    accounts = {row["code"]: row for row in reader.all_accounts(org)}
    result = kind == "matter_result"
    lines = []
    for line in matter["budget_lines"]:
        account = accounts.get(line["account"], {})
        lines.append({
            "no": line["no"], "item": line["item"],
            "account": {"code": line["account"], "name_zh": account.get("name_zh", ""),
                        "name_en": account.get("name_en", "")},
            **amount(line["amount"]),
            **({"spent": amount(line["spent"]), "remaining": amount(line["remaining"])}
               if result else {})})
    content: dict[str, Any] = {
        "matter": {key: matter[key] for key in ("number", "title", "category", "description",
                                                "date", "proposed_by", "reserved")},
        "meetings": [{"no": no, **{key: meeting[key] for key in MEETING_KEYS}}
                     for no, meeting in enumerate(matter["meetings"], start=1)],
        "resolution_no": matter["resolution_no"],
        "lines": lines,
        "totals": {"budget": amount(matter["budget_total"])},
    }
    if result:
        content["totals"] |= {"spent": amount(matter["spent"]),
                              "remaining": amount(matter["remaining"])}
        content["payments"] = [
            {"no": no, "request": p["request"], "voucher": p["voucher"], "date": p["date"],
             "payee": p["payee"], **amount(p["amount"])}
            for no, p in enumerate(matter["payments"], start=1)]
        content["carried_out"] = {"date": matter["carried_out_date"] or "",
                                  "summary": matter["carried_out_summary"]}
    return content


def _special(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A special notice: text, items the accountant lists, and the digests of attachments."""
    items = inputs.get("items", [])
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise InvalidDisclosure(f"at most {MAX_ITEMS} items", field="items")
    lines, total = [], 0
    for index, item in enumerate(items, start=1):
        try:
            fen = parse_fen(str(item.get("amount", "")))
        except AmountError as error:
            raise InvalidDisclosure(str(error), field="items", line=index) from None
        if not 0 <= fen <= MAX_FEN:
            raise InvalidDisclosure("not negative", field="items", line=index)
        total += fen
        lines.append({"no": index, "item": _text(item.get("item", ""), "items", 200),
                      **amount(fen),
                      **{name: _text(item.get(name, ""), "items", 100) for name in ANNOTATED}})
    attachments = []
    for attachment in inputs.get("attachments", []):
        digest = str(attachment.get("sha256", ""))
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise InvalidDisclosure("a SHA-256 of 64 lowercase hex digits", field="attachments")
        attachments.append({"name": _text(attachment.get("name", ""), "attachments", 200),
                            "sha256": digest})
    return {"body": _text(inputs.get("body", ""), "body", 20000), "lines": lines,
            "attachments": attachments, "totals": {"total": amount(total)}}
