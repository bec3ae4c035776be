"""The monthly 收支明细 from format "sunlight-disclosure/3" on: every yuan that moved through a
money account (the chart's 库存现金 and 银行存款), one line per counter-entry of each voucher,
classified by the account on the other side, with who stands behind it; its totals tie to the
change in cash and bank over the period, and both balances are in the content to check that.

Income and expense recorded without money moving (rent earned but not yet collected, depreciation)
is not a receipt or a payment, yet leaving it out would hide what the village earned or spent:
it is listed apart, as `accrued`, outside the money totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ledger.disclosure import InvalidDisclosure
from ledger.kernel.chart import get_chart
from projections.books.queries import BooksReader
from projections.disclosure.statements import amount
from projections.spending.queries import SpendingReader

IN, OUT, TRANSFER = "income", "spending", "transfer"
# Where a paid request's money came from, as the disclosure names it (a grant by its own name).
SOURCE_LABELS = {"collective": "集体收入", "yishiyiyi": "一事一议资金"}
# Classes by the first-level code of the account on the other side of the money.
BY_HEAD = {"231": "yishi", "241": "grant", "201": "loan", "221": "loan", "322": "distribution"}
ASSETS = ("13", "15", "16", "17")  # 在建工程 and other assets the money bought or sold
ACCRUED = ("income", "expense", "cost")


def classify(code: str, category: str, distribution_payable: str) -> str:
    """The class of a movement, by the account the money came from or went to."""
    if code.startswith(distribution_payable) or code[:3] == "322":
        return "distribution"
    if category == "income":
        return "income"
    if category in ("expense", "cost"):
        return "spending"
    if code[:3] in BY_HEAD:
        return BY_HEAD[code[:3]]
    if code[:2] in ASSETS:
        return "project"
    if code[:3] in ("112", "113"):
        return "receivable"
    if code[:2] == "21":
        return "payable"
    return "other"


def source_label(request: Mapping[str, Any]) -> str:
    if request["fund_source"] == "grant":
        return str(request["grant_name"] or request["grant"])
    return SOURCE_LABELS.get(request["fund_source"], request["fund_source"])


def movements(reader: BooksReader, org: str, start: date, end: date,
              annotations: Mapping[str, Mapping[str, str]], *,
              numbered: bool = True, red_ink: bool = True,
              marked: bool = True) -> dict[str, Any]:
    """`numbered`: the accrued lines are numbered 1, 2, 3 … (format 5 on). Formats 3 and 4
    gave every accrued line of one voucher the same number, the count before that voucher
    (a depreciation voucher's two expense lines both 1), and are rebuilt so.
    `red_ink`: a reversal's red (negative) line stays on its side with a negative amount, so a
    payment reversed takes its amount off the payments (format 5 on). Formats 3 and 4 listed
    it as a receipt, which raised both totals by it (the net was right), and are rebuilt so.
    `marked` (format 7 on): a line of a voucher reversed by the time of drafting names its
    reversal (`reversed_by`), so a reader sees at the line that it was taken back; and a line's
    memo that its voucher's summary already says is not added to the item a second time
    (formats 1 to 6 wrote "摘要（摘要）", and a reversal "冲销…：摘要（摘要）")."""
    organization = reader.organization(org) or {}
    money = get_chart(organization["chart"]).money
    accounts = {row["code"]: row for row in reader.all_accounts(org)}
    vouchers = _vouchers(reader, org, start, end)
    basis = _Basis(reader, org, {v[0]["number"] for v in vouchers})
    payable = str(reader.settings(org)["distribution_payable"])
    lines: list[dict[str, Any]] = []
    accrued: list[dict[str, Any]] = []
    fen = {IN: 0, OUT: 0, TRANSFER: 0}
    for rows in vouchers:
        if marked:
            rows = [{**row, "memo": ""} if row["memo"] and row["memo"] in row["summary"]
                    else row for row in rows]
        moved = [row for row in rows if row["account"].startswith(money)]
        if not moved:
            plain = [row for row in rows if accounts[row["account"]]["category"] in ACCRUED]
            accrued += [_reversal(_plain(len(accrued) + (index if numbered else 1), row,
                                         accounts[row["account"]]), row, marked)
                        for index, row in enumerate(plain, start=1)]
            continue
        for line in _split(rows, moved, accounts, payable, red_ink):
            fen[line["side"]] += line["fen"]
            lines.append(_reversal(_annotated(len(lines) + 1, line, basis, annotations),
                                   line["row"], marked))
    unknown = set(annotations) - {line["ref"] for line in lines + accrued}
    if unknown:
        raise InvalidDisclosure("annotations name lines that are not in this disclosure",
                                field="annotations", lines=sorted(unknown))
    return {"lines": lines, "accrued": accrued,
            "totals": {"income": amount(fen[IN]), "spending": amount(fen[OUT]),
                       "net": amount(fen[IN] - fen[OUT])},
            "money": _balances(reader, org, start, end, money, accounts)}


def _vouchers(reader: BooksReader, org: str, start: date,
              end: date) -> list[list[dict[str, Any]]]:
    """The period's vouchers, each as its lines, in the order they were posted."""
    rows = reader.sql.execute(
        """SELECT l.voucher_id, l.line_no, l.account, l.date, l.number, l.debit, l.credit,
            l.memo, v.summary, v.posted_by, v.reversed_by
        FROM books_lines l JOIN books_vouchers v ON v.id = l.voucher_id
        WHERE l.org = :org AND l.as_of >= :start AND l.as_of <= :end AND l.kind <> 'closing'
        ORDER BY l.date, l.seq, l.line_no""",
        {"org": org, "start": start.isoformat(), "end": end.isoformat()}).all()
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["voucher_id"], []).append(row)
    return list(grouped.values())


def _reversal(line: dict[str, Any], row: Mapping[str, Any], marked: bool) -> dict[str, Any]:
    if marked and row["reversed_by"]:
        line["reversed_by"] = row["reversed_by"]
    return line


def _account(row: Mapping[str, Any]) -> dict[str, str]:
    return {"code": row["code"], "name_zh": row["name_zh"], "name_en": row["name_en"]}


def _item(row: Mapping[str, Any]) -> str:
    return row["summary"] + (f"（{row['memo']}）" if row["memo"] else "")


def _plain(no: int, row: Mapping[str, Any], account: Mapping[str, Any]) -> dict[str, Any]:
    """An income or expense recorded with no money moving."""
    income = account["category"] == "income"
    fen = row["credit"] - row["debit"] if income else row["debit"] - row["credit"]
    return {"no": no, "ref": f"{row['number']}/{row['line_no']}", "date": row["date"],
            "voucher": row["number"], "side": IN if income else OUT, "item": _item(row),
            "account": _account(account), **amount(fen)}


def _split(rows: list[dict[str, Any]], moved: list[dict[str, Any]],
           accounts: Mapping[str, Mapping[str, Any]], payable: str,
           red_ink: bool) -> list[dict[str, Any]]:
    """One movement per line on the other side of the money; money moved between cash and bank
    within the voucher is one transfer. A reversal's negated lines keep their side, negative
    (`red_ink`), or move the other way (formats 3 and 4)."""
    nets: dict[str, int] = {}
    for row in moved:
        nets[row["account"]] = nets.get(row["account"], 0) + row["debit"] - row["credit"]
    via = "、".join(accounts[code]["name_zh"] for code in sorted(nets))
    found, money = [], {row["line_no"] for row in moved}
    for row in rows:
        fen = row["credit"] - row["debit"]
        if row["line_no"] in money or fen == 0:
            continue
        account = accounts[row["account"]]
        red = red_ink and (row["debit"] < 0 or row["credit"] < 0)
        # A red debit on the other side is a payment taken back: on the payments, negative.
        side = (OUT if row["debit"] else IN) if red else IN if fen > 0 else OUT
        found.append({"row": row, "side": side, "fen": -abs(fen) if red else abs(fen), "via": via,
                      "class": classify(row["account"], account["category"], payable),
                      "account": _account(account)})
    paid = sum(-n for n in nets.values() if n < 0)
    transferred = min(sum(n for n in nets.values() if n > 0), paid)
    if transferred:
        source = next(row for row in moved if nets[row["account"]] < 0)
        into = sorted(code for code, n in nets.items() if n > 0)[0]
        found.append({"row": source, "side": TRANSFER, "fen": transferred, "class": TRANSFER,
                      "via": accounts[source["account"]]["name_zh"],
                      "account": _account(accounts[into])})
    return found


class _Basis:
    """What stands behind a voucher that moved money: the spending request it paid, the receipt
    or grant it recorded, the distribution it paid out — else only the voucher and its poster."""

    def __init__(self, reader: BooksReader, org: str, numbers: set[str]) -> None:
        listed = sorted(numbers)
        self.requests = SpendingReader(reader.sql, reader._view).requests_paid_by(org, listed)
        self.receipts = self._by_voucher(reader, org, listed, "SELECT voucher, number, payer, "
                                         "issued_by FROM books_receipts r")
        self.grants = self._by_voucher(reader, org, listed, "SELECT voucher, number, name, "
                                       "grantor, received_by FROM books_grants r")
        self.distributions = self._by_voucher(
            reader, org, listed, "SELECT DISTINCT l.paid_voucher AS voucher, d.number, d.matter "
            "FROM books_distribution_lines l JOIN books_distributions d ON "
            "d.id = l.distribution_id AND d.org = l.org", column="l.paid_voucher", alias="l")

    @staticmethod
    def _by_voucher(reader: BooksReader, org: str, numbers: list[str], select: str, *,
                    column: str = "r.voucher", alias: str = "r") -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for at in range(0, len(numbers), 500):
            params = {f"v{i}": n for i, n in enumerate(numbers[at:at + 500])}
            if not params:
                continue
            for row in reader.sql.execute(
                    f"{select} WHERE {alias}.org = :org AND {column} IN "
                    f"({', '.join(':' + key for key in params)})", params | {"org": org}).all():
                found.setdefault(row["voucher"], row)
        return found


def _annotated(no: int, found: Mapping[str, Any], basis: _Basis,
               annotations: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """One movement as disclosed: the accountant's annotations override what the books say of
    its source, unit and person responsible; a payment nothing approved is marked."""
    row, side = found["row"], found["side"]
    number = row["number"]
    line: dict[str, Any] = {
        "no": no, "ref": f"{number}/{row['line_no']}", "date": row["date"], "voucher": number,
        "side": side, "class": found["class"], "item": _item(row), "via": found["via"],
        "account": found["account"], **amount(found["fen"]),
        "fund_source": found["via"] if side == OUT else found["account"]["name_zh"],
        "unit": "", "handler": row["posted_by"], "handled_as": "voucher"}
    request = basis.requests.get(number) if side == OUT else None
    if request is not None:
        line |= {"fund_source": source_label(request), "unit": request["payee"],
                 "handler": request["requested_by"], "handled_as": "request",
                 "spending": _spending(request)}
    elif side == OUT and number in basis.distributions:
        paid = basis.distributions[number]
        line |= {"handled_as": "distribution",
                 "distribution": {"number": paid["number"], "matter": paid["matter"]}}
    elif side == IN and number in basis.receipts:
        receipt = basis.receipts[number]
        line |= {"unit": receipt["payer"], "handler": receipt["issued_by"],
                 "handled_as": "receipt", "receipt": receipt["number"]}
    elif side == IN and number in basis.grants:
        grant = basis.grants[number]
        line |= {"fund_source": grant["name"], "unit": grant["grantor"],
                 "handler": grant["received_by"], "handled_as": "grant", "grant": grant["number"]}
    if side == OUT and line["handled_as"] == "voucher" and found["fen"] > 0:
        line["unapproved"] = True  # money paid out with no request or decision behind it
    note = annotations.get(line["ref"], {})
    return line | {"fund_source": note.get("fund_source") or line["fund_source"],
                   "unit": note.get("unit") or line["unit"],
                   "responsible": note.get("responsible", "")}


def _spending(request: Mapping[str, Any]) -> dict[str, Any]:
    return {"request": request["number"], "matter": request["matter"] or "",
            "approvers": [{"login": a["by"], "role": a["role"], "note": a["note"]}
                          for a in request["approvals"]],
            "resolution_no": request["resolution_no"], "fund_source": source_label(request)}


def _balances(reader: BooksReader, org: str, start: date, end: date, money: tuple[str, ...],
              accounts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Cash and bank at the start and the end of the period, each account and together."""
    listed, first, last = [], 0, 0
    for code, sums in sorted(reader.sums(org, start, end).items()):
        if not code.startswith(money):
            continue
        closing = sums.before + sums.debit - sums.credit
        first, last = first + sums.before, last + closing
        listed.append({"account": _account(accounts[code]), "start": amount(sums.before),
                       "end": amount(closing)})
    return {"accounts": listed, "start": amount(first), "end": amount(last),
            "change": amount(last - first)}
