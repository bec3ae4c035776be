"""The rules of a matter's meetings and budget that need no matter's history: whether a count
meets a rule such as ">=2/3" (at least two thirds) or ">1/2" (more than half), why a meeting did
not carry (Chinese for the noticeboard first, then English), and what a budget's lines may be.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ledger.books import parse_fraction
from ledger.kernel.money import MAX_FEN, format_fen
from ledger.spending.errors import InvalidMatter

MAX_LINES = 50
MAX_COUNT = 100_000


def meets(count: int, of: int, rule: str) -> bool:
    """Whether `count` of `of` satisfies ">=2/3" (at least) or ">1/2" (more than)."""
    inclusive, num, den = parse_fraction(rule)
    return count * den >= num * of if inclusive else count * den > num * of


def fraction_zh(rule: str) -> str:
    """">=2/3" → 三分之二以上 (以上 includes the figure itself), ">1/2" → 过半数 and the like."""
    inclusive, num, den = parse_fraction(rule)
    digits = "零一二三四五六七八九十"
    fraction = f"{digits[den] if den <= 10 else den}分之{digits[num] if num <= 10 else num}"
    if (num, den) == (1, 2) and not inclusive:
        return "过半数"
    return f"{fraction}以上" if inclusive else f"超过{fraction}"


def check_counts(counts: dict[str, int]) -> None:
    """A meeting's attendance and votes add up."""
    for name, value in counts.items():
        if type(value) is not int or value < 0 or value > MAX_COUNT:
            raise InvalidMatter("a whole number, not negative", field=name)
    if counts["entitled"] == 0:
        raise InvalidMatter("a meeting has members", field="entitled")
    if counts["present"] > counts["entitled"]:
        raise InvalidMatter("more present than entitled to attend", field="present")
    if counts["votes_for"] + counts["votes_against"] + counts["abstain"] > counts["present"]:
        raise InvalidMatter("more votes than people present", field="votes_for")


def failure(meeting: str, counts: dict[str, int], rules: dict[str, str], *,
            reserved: bool) -> str:
    """Why the meeting did not carry, or "": its quorum, then its vote, or for a matter the Law
    reserves to the members' meeting the vote of all members."""
    quorum = rules[f"{meeting}_quorum"]
    entitled, present, votes_for = counts["entitled"], counts["present"], counts["votes_for"]
    if not meets(present, entitled, quorum):
        return (f"到会人数不足：应到{entitled}人，实到{present}人，须{fraction_zh(quorum)} "
                f"(quorum not met: {present} of {entitled} present, {quorum} needed)")
    if reserved:
        rule = rules["reserved_majority"]
        if not meets(votes_for, entitled, rule):
            return (f"未获通过：全体{entitled}名成员中{votes_for}人赞成，法律保留事项须全体成员"
                    f"{fraction_zh(rule)}同意 (not carried: {votes_for} of all {entitled} members "
                    f"for, {rule} of all members needed for a matter the Law reserves)")
        return ""
    majority = rules[f"{meeting}_majority"]
    if not meets(votes_for, present, majority):
        return (f"未获通过：到会{present}人中{votes_for}人赞成，"
                f"须到会人员{fraction_zh(majority)}同意 "
                f"(not carried: {votes_for} of {present} present for, {majority} needed)")
    return ""


def checked_budget(budget_lines: list[dict[str, Any]], total: int,
                   text: Callable[..., str]) -> list[dict[str, Any]]:
    """A resolution's budget lines, each an account, an item and an amount, adding up to the
    total: a budget's lines are the whole of it, so that line and total can never disagree."""
    if len(budget_lines) > MAX_LINES:
        raise InvalidMatter(f"at most {MAX_LINES} lines", field="budget_lines")
    lines = []
    for i, line in enumerate(budget_lines):
        amount = line.get("amount")
        if type(amount) is not int or not 0 < amount <= MAX_FEN:
            raise InvalidMatter("a whole number of fen above zero",
                                field=f"budget_lines[{i}].amount")
        lines.append({"account": text(line.get("account", ""), f"budget_lines[{i}].account",
                                      limit=20),
                      "item": text(line.get("item", ""), f"budget_lines[{i}].item", limit=100),
                      "amount": amount})
    if lines and sum(line["amount"] for line in lines) != total:
        raise InvalidMatter(
            f"the lines add up to {format_fen(sum(line['amount'] for line in lines))}, "
            f"not the total {format_fen(total)}", field="budget_lines")
    return lines
