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


ART_22 = "2017 Law Art. 22, 第二十二条"


def check_additional_votes(counts: dict[str, int], granted: int) -> dict[str, int]:
    """A cooperative's additional votes (附加表决权, 2017 Law Art. 22): the charter grants
    `granted` in all, at most 20 % of the members' basic votes (one each, `entitled`); those
    cast at a meeting are at most those granted. The counts to record: none when none cast."""
    cast_for = counts.get("additional_votes_for", 0)
    cast_against = counts.get("additional_votes_against", 0)
    for name, value in (("additional_votes_for", cast_for),
                        ("additional_votes_against", cast_against)):
        if type(value) is not int or value < 0 or value > MAX_COUNT:
            raise InvalidMatter("a whole number, not negative", field=name)
    if granted * 5 > counts["entitled"] and (granted or cast_for or cast_against):
        raise InvalidMatter(
            f"the charter's {granted} additional votes exceed 20 % of the {counts['entitled']} "
            f"members' basic votes ({ART_22})", field="additional_votes", granted=granted)
    if cast_for + cast_against > granted:
        raise InvalidMatter(f"at most the {granted} additional votes the charter grants "
                            f"({ART_22})", field="additional_votes_for", granted=granted)
    if not cast_for and not cast_against:
        return {}
    return {"additional_votes_for": cast_for, "additional_votes_against": cast_against}


def failure(meeting: str, counts: dict[str, int], rules: dict[str, str], *,
            reserved: bool, granted: int = 0) -> str:
    """Why the meeting did not carry, or "": its quorum, then its vote, or for a matter the Law
    reserves to the members' meeting the vote of all members. A cooperative's additional votes
    (Art. 22) count in the vote: those cast beside the basic votes present, and all `granted`
    beside the members' basic votes for a reserved matter."""
    quorum = rules[f"{meeting}_quorum"]
    entitled, present, votes_for = counts["entitled"], counts["present"], counts["votes_for"]
    if not meets(present, entitled, quorum):
        return (f"到会人数不足：应到{entitled}人，实到{present}人，须{fraction_zh(quorum)} "
                f"(quorum not met: {present} of {entitled} present, {quorum} needed)")
    extra_for = counts.get("additional_votes_for", 0)
    if extra_for or counts.get("additional_votes_against", 0) or granted:
        return _weighted(meeting, counts, rules, reserved=reserved, granted=granted)
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


def _weighted(meeting: str, counts: dict[str, int], rules: dict[str, str], *, reserved: bool,
              granted: int) -> str:
    """The vote with the additional votes: basic votes for + additional votes for, of all the
    votes (reserved matter) or of the votes present and cast additionally."""
    votes = counts["votes_for"] + counts.get("additional_votes_for", 0)
    if reserved:
        rule, of = rules["reserved_majority"], counts["entitled"] + granted
        where = "全体成员表决权"
    else:
        rule = rules[f"{meeting}_majority"]
        of = (counts["present"] + counts.get("additional_votes_for", 0)
              + counts.get("additional_votes_against", 0))
        where = "到会表决权"
    if meets(votes, of, rule):
        return ""
    return (f"未获通过：{where}{of}票中{votes}票赞成，须{fraction_zh(rule)}同意 "
            f"(not carried: {votes} of {of} votes for, {rule} needed; {ART_22})")
