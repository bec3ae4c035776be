"""The spreadsheet copy of a published disclosure: UTF-8 with a byte-order mark (so Excel reads
the Chinese), a header row, one row per line, the lines recorded with no money moving and the
totals (each after an empty row), then one empty row and three trailing rows — the SHA-256
digest, the event-log position and the address of the .json. A distribution's rows add
each holder's shares (a cooperative's: trade, return and remaining share) and, in its result,
whether and when the line was paid. Rule: the CSV only points to
the .json, which is what is verified; no text cell may run as a spreadsheet formula.
"""

from __future__ import annotations

from typing import Any

from api.disclosure.public_views import SECOND_COLUMN
from api.i18n import gettext
from api.sheets import csv_file, defused_cell

_ = gettext


def csv_rows(view: dict[str, Any], json_url: str) -> list[list[str]]:
    if view["statement"]:
        rows = [[_("No."), _("Line item"), view["first_header"], view["second_header"]]]
        rows += [[str(line["no"]), defused_cell(line["item"]), line["amount"],
                  line.get(SECOND_COLUMN[view["row"]["kind"]][0], "")] for line in view["lines"]]
    else:
        rows = [[_("No."), _("Item"), _("Category"), _("Amount (yuan)"), _("Amount in words"),
                 _("Fund source"), _("Spending unit"), _("Person responsible"),
                 _("Reviewer's opinion")]]
        rows += [[str(line["no"]), defused_cell(_item(line)), defused_cell(line["category"]),
                  line["amount"],
                  line["amount_capital"], defused_cell(line.get("fund_source", "")),
                  defused_cell(line.get("unit", "")), defused_cell(line.get("responsible", "")),
                  defused_cell("；".join(line["opinions"]))] for line in view["lines"]]
    if view["lines"] and view["lines"][0].get("movement"):
        _movement_columns(rows, view["lines"])
    if view["lines"] and "trade" in view["lines"][0]:
        _surplus_columns(rows, view["lines"])
    elif view["row"]["kind"] == "distribution":
        _share_columns(rows, view["lines"])
    if view["row"]["kind"] == "distribution" and view.get("stage") == "result":
        _paid_columns(rows, view["lines"])
    _accrued_and_totals(rows, view)
    rows.append([])
    rows.append([_("SHA-256 of the published .json"), view["row"]["digest"]])
    rows.append([_("Event-log position"), str(view["row"]["built_at_position"])])
    rows.append([_("The published .json"), json_url])
    return rows


def _item(line: dict[str, Any]) -> str:
    """A line's item, and the voucher that reversed it (format 7 on), as the page says it."""
    if not line.get("reversed_by"):
        return str(line["item"])
    return f"{line['item']}（{_('Reversed by voucher %(no)s', no=line['reversed_by'])}）"


def _accrued_and_totals(rows: list[list[str]], view: dict[str, Any]) -> None:
    """What the page and the sheet show below the lines: income and expense recorded with no
    money moving (depreciation, say), then the totals, so the copy leaves no yuan out."""
    if view.get("accrued"):
        rows.append([])
        rows.append([_("Recorded without money moving (earned or owed, not yet received or paid)")])
        rows.append([_("No."), _("Item"), _("Account"), _("Amount (yuan)")])
        rows += [[str(n), defused_cell(_item(line)),
                  defused_cell(f"{line['direction']} · {line['account']['name_zh']}"),
                  line["amount"]] for n, line in enumerate(view["accrued"], 1)]
    if view["totals"]:
        rows.append([])
        rows += [[defused_cell(total["label"]), total["amount"]] for total in view["totals"]]


def _movement_columns(rows: list[list[str]], lines: list[dict[str, Any]]) -> None:
    """A month's movements also say in or out, the voucher, and who approved each payment."""
    rows[0] += [_("In or out"), _("Voucher"), _("Approver")]
    for row, line in zip(rows[1:], lines, strict=True):
        row += [line["direction"], line["voucher"],
                _("No approval") if line["unapproved"] else defused_cell(line["approved_by"])]


def _surplus_columns(rows: list[list[str]], lines: list[dict[str, Any]]) -> None:
    """A cooperative's distribution also says each member's trade, return and remaining share."""
    rows[0] += [_("Trade amount"), _("Returned by trade"), _("Remaining share")]
    for row, line in zip(rows[1:], lines, strict=True):
        row += [line.get("trade", ""), line.get("return", ""), line.get("remaining", "")]


def _share_columns(rows: list[list[str]], lines: list[dict[str, Any]]) -> None:
    """A village's distribution says each holder's shares, as the page and the sheet do."""
    rows[0] += [_("Shares")]
    for row, line in zip(rows[1:], lines, strict=True):
        row += [str(line.get("shares", ""))]


def _paid_columns(rows: list[list[str]], lines: list[dict[str, Any]]) -> None:
    """A distribution's result says whether and when each line was paid."""
    rows[0] += [_("Paid?"), _("Paid on")]
    for row, line in zip(rows[1:], lines, strict=True):
        row += [_("Paid out") if line.get("paid") else _("Not yet"), line.get("paid_on") or ""]


def csv_bytes(view: dict[str, Any], json_url: str) -> bytes:
    return csv_file(csv_rows(view, json_url))
