"""A voucher (记账凭证) records one transaction: two or more lines, each debiting or crediting one
account, whose debits equal their credits. Once posted nothing about it changes.

A mistake is corrected by reversal (红字冲销): a new voucher with the same lines in red (negated
amounts) that names the original, which in turn records that it was reversed, once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from ledger.books.errors import (
    AlreadyReversed,
    InvalidVoucherLine,
    NotReversible,
    UnbalancedVoucher,
)
from ledger.kernel.aggregate import LedgerAggregate, stable_id
from ledger.kernel.money import MAX_FEN, format_fen
from ledger.kernel.topics import stored_as

KINDS = ("regular", "opening", "reversal", "closing")
MAX_LINES = 200  # what a person enters; a distribution's voucher has a line per holder
MAX_GENERATED_LINES = 50_000
MAX_SUMMARY = 200
MAX_MEMO = 200
MAX_DIGESTS = 50
SHA256 = re.compile(r"[0-9a-f]{64}")
PARTY = re.compile(r"(member|household|outside):[^\s:]{1,20}")


def voucher_id(org: str, number: str) -> UUID:
    """A voucher's id follows from its number, so two vouchers can never share a number."""
    return stable_id("voucher", org, number)


@dataclass(frozen=True)
class Line:
    account: str
    debit: int = 0
    credit: int = 0
    memo: str = ""
    # The member or household the line is with (member:0012, household:003), so that each one's
    # balance with the organization is a query; "" for a line with nobody in particular.
    party: str = ""

    @property
    def net_debit(self) -> int:
        return self.debit - self.credit

    def negated(self) -> Line:
        return Line(self.account, -self.debit, -self.credit, self.memo, self.party)

    def as_dict(self) -> dict[str, Any]:
        data = {"account": self.account, "debit": self.debit, "credit": self.credit,
                "memo": self.memo}
        if self.party:
            # Only when named, so every voucher posted before parties existed keeps its bytes.
            data["party"] = self.party
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Line:
        return cls(data["account"], data["debit"], data["credit"], data.get("memo", ""),
                   data.get("party", ""))


@dataclass(frozen=True)
class VoucherDraft:
    """What the accountant writes; the books give it a number when it is posted."""

    date: date
    summary: str
    lines: tuple[Line, ...]
    attachments: int = 0
    receipt_digests: tuple[str, ...] = ()
    kind: str = "regular"

    def check(self) -> None:
        check_summary(self.summary)
        check_lines(self.lines, red_ink=False)
        if not 0 <= self.attachments <= 9999:
            raise InvalidVoucherLine("between 0 and 9999", field="attachments")
        if len(self.receipt_digests) > MAX_DIGESTS:
            raise InvalidVoucherLine(f"at most {MAX_DIGESTS} digests", field="receipt_digests")
        for i, digest in enumerate(self.receipt_digests):
            if not SHA256.fullmatch(digest):
                raise InvalidVoucherLine(
                    "a SHA-256 digest is 64 lowercase hexadecimal characters",
                    field=f"receipt_digests[{i}]",
                )
        if len(set(self.receipt_digests)) != len(self.receipt_digests):
            raise InvalidVoucherLine("the same receipt is listed twice", field="receipt_digests")
        if self.kind not in ("regular", "opening"):
            raise InvalidVoucherLine("must be regular or opening", field="kind")
        if not moves_a_balance(self.lines):
            raise InvalidVoucherLine(NOTHING_MOVED, field="lines")


NOTHING_MOVED = "the voucher moves no balance: each account is debited and credited alike"


def moves_a_balance(lines: Sequence[Line]) -> bool:
    """Some account (and party) is left with another balance. A voucher debiting and crediting
    one account by the same amount changes nothing but swells both turnover columns of the
    trial balance; a receipt and a fee on one bank account (gross, as the bank slip shows it)
    still moves its balance and is kept."""
    net: dict[tuple[str, str], int] = {}
    for line in lines:
        key = (line.account, line.party)
        net[key] = net.get(key, 0) + line.debit - line.credit
    return any(net.values())


def check_summary(summary: str) -> None:
    if not summary or not summary.strip():
        raise InvalidVoucherLine("a voucher needs a summary (摘要)", field="summary")
    if len(summary) > MAX_SUMMARY:
        raise InvalidVoucherLine(f"at most {MAX_SUMMARY} characters", field="summary")


def check_lines(lines: Sequence[Line], *, red_ink: bool, max_lines: int = MAX_LINES) -> None:
    """Each line is one side only; the sides balance. Red-ink (reversal) lines are negative."""
    if len(lines) < 2:
        raise InvalidVoucherLine("a voucher has at least two lines", field="lines")
    if len(lines) > max_lines:
        raise InvalidVoucherLine(f"at most {max_lines} lines", field="lines")
    for i, line in enumerate(lines):
        for side, amount in (("debit", line.debit), ("credit", line.credit)):
            if type(amount) is not int:
                raise InvalidVoucherLine("an amount is a whole number of fen",
                                         field=f"lines[{i}].{side}")
        sides = [amount for amount in (line.debit, line.credit) if amount != 0]
        if len(sides) != 1:
            raise InvalidVoucherLine(
                "each line has either a debit or a credit amount", field=f"lines[{i}]"
            )
        amount = sides[0]
        if (red_ink and amount >= 0) or (not red_ink and amount <= 0):
            side = "debit" if line.debit else "credit"
            reason = "a reversal line is negative" if red_ink else "must be greater than zero"
            raise InvalidVoucherLine(reason, field=f"lines[{i}].{side}")
        if abs(amount) > MAX_FEN:
            raise InvalidVoucherLine("amount too large", field=f"lines[{i}]")
        if len(line.memo) > MAX_MEMO:
            raise InvalidVoucherLine(f"at most {MAX_MEMO} characters", field=f"lines[{i}].memo")
        if line.party and not PARTY.fullmatch(line.party):
            raise InvalidVoucherLine("member:<成员编号>, household:<户号> or outside:<编号>",
                                     field=f"lines[{i}].party")
    debits = sum(line.debit for line in lines)
    credits = sum(line.credit for line in lines)
    if debits != credits:
        raise UnbalancedVoucher(
            f"debits {format_fen(debits)} do not equal credits {format_fen(credits)}",
            field="lines",
            debit_total=format_fen(debits),
            credit_total=format_fen(credits),
        )


@stored_as("ledger.vouchers")
class Voucher(LedgerAggregate):
    class Posted(LedgerAggregate.Created):
        org: str
        number: str
        date: date
        kind: str
        summary: str
        lines: list[dict[str, Any]]
        attachments: int
        receipt_digests: list[str]
        reverses: str | None  # the number of the voucher this one reverses
        reason: str | None

    class Reversed(LedgerAggregate.Event):
        reversal_number: str
        reason: str

        def apply(self, voucher: Voucher) -> None:
            voucher.reversed_by = self.reversal_number
            voucher.reversal_reason = self.reason

    def __init__(
        self,
        org: str,
        number: str,
        date: date,
        kind: str,
        summary: str,
        lines: list[dict[str, Any]],
        attachments: int,
        receipt_digests: list[str],
        reverses: str | None,
        reason: str | None,
        actor: str,
    ) -> None:
        self.org = org
        self.number = number
        self.date = date
        self.kind = kind
        self.summary = summary
        self.lines = lines
        self.attachments = attachments
        self.receipt_digests = receipt_digests
        self.reverses = reverses
        self.reason = reason
        self.posted_by = actor
        self.reversed_by: str | None = None
        self.reversal_reason: str | None = None

    @classmethod
    def post(
        cls,
        *,
        org: str,
        number: str,
        draft: VoucherDraft,
        actor: str,
        reverses: str | None = None,
        reason: str | None = None,
        max_lines: int = MAX_LINES,
    ) -> Voucher:
        """Create the voucher the books have just numbered; its own rules were checked."""
        check_summary(draft.summary)
        check_lines(draft.lines, red_ink=draft.kind == "reversal", max_lines=max_lines)
        return cls._create(
            cls.Posted,
            id=voucher_id(org, number),
            org=org,
            number=number,
            date=draft.date,
            kind=draft.kind,
            summary=draft.summary,
            lines=[line.as_dict() for line in draft.lines],
            attachments=draft.attachments,
            receipt_digests=list(draft.receipt_digests),
            reverses=reverses,
            reason=reason,
            actor=actor,
        )

    @property
    def line_items(self) -> tuple[Line, ...]:
        return tuple(Line.from_dict(line) for line in self.lines)

    def check_reversible(self) -> None:
        if self.kind in ("reversal", "closing"):
            raise NotReversible(
                f"a {self.kind} voucher cannot be reversed; post a new voucher instead",
                number=self.number,
                kind=self.kind,
            )
        if self.reversed_by is not None:
            raise AlreadyReversed(
                f"voucher {self.number} was already reversed by {self.reversed_by}",
                number=self.number,
                reversed_by=self.reversed_by,
            )

    def reversal_draft(self, on: date, reason: str) -> VoucherDraft:
        self.check_reversible()
        if not reason or not reason.strip():
            raise InvalidVoucherLine("a reversal needs a reason", field="reason")
        if len(reason) > MAX_SUMMARY:
            raise InvalidVoucherLine(f"at most {MAX_SUMMARY} characters", field="reason")
        return VoucherDraft(
            date=on,
            summary=f"冲销{self.number}：{self.summary}"[:MAX_SUMMARY],
            lines=tuple(line.negated() for line in self.line_items),
            kind="reversal",
        )

    def mark_reversed(self, reversal: Voucher, reason: str, actor: str) -> None:
        self.check_reversible()
        self.trigger_event(
            self.Reversed,
            reversal_number=reversal.number,
            reason=reason,
            actor=actor,
        )
