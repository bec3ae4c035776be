"""The accounts a voucher line may name, as the picker offers them: open leaf accounts, each with
its code, its name and the pinyin initials of its name (管理费用 → glf... `glfy`), so that an
accountant finds one by typing any of the three. Initials come from pypinyin, never a home-made
table: a name's characters are read in their most common reading.
"""

from __future__ import annotations

import functools
from typing import Any

from pypinyin import Style, lazy_pinyin


@functools.lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """The first letter of each character's pinyin, lowercase; letters and digits in the name
    are kept as they are (2号机井 → 2hjj), anything else dropped."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda text: list(text))
    return "".join(ch.lower() for part in letters for ch in part if ch.isascii() and ch.isalnum())


def postable(accounts: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The open leaf accounts of the books read model's rows, for the picker and the checks;
    each also under its parents' names (`above`, `above_initials`), so that 管理费用 or glf
    finds the sub-accounts of 513, where a line is posted, as its code does."""
    names = {row["code"]: row["name_zh"] for row in accounts}
    picked = []
    for row in accounts:
        if not row["leaf"] or row["closed"]:
            continue
        above = [names[code] for code in _parents(row["code"]) if code in names]
        picked.append({"code": row["code"], "name": row["name_zh"],
                       "initials": initials(row["name_zh"]), "above": " ".join(above),
                       "above_initials": " ".join(initials(name) for name in above)})
    return picked


def _parents(code: str) -> list[str]:
    """The codes above a sub-account: 3 digits, then 2 more per level (5130101 → 513, 51301)."""
    return [code[:end] for end in range(3, len(code), 2)]


def closed(accounts: list[dict[str, Any]]) -> frozenset[str]:
    """The closed (停用) accounts of the read model's rows: a line naming one is told so."""
    return frozenset(row["code"] for row in accounts if row["closed"])


def find(accounts: list[dict[str, str]], typed: str) -> list[dict[str, str]]:
    """The postable accounts `typed` may mean, best first: a code, a code's start, a part of the
    name, or the name's initials (`glf` finds 管理费用); then those found through a parent."""
    text = typed.strip().lower()
    if not text:
        return []
    exact = [a for a in accounts if a["code"] == text or a["name"] == typed.strip()]
    if exact:
        return exact
    mine = [a for a in accounts if _own(a, text)]
    # Its initials exactly (zjf: 折旧费) before them inside another's (村级组织运转经费补助).
    mine.sort(key=lambda a: a["initials"] != text)
    return mine + [a for a in accounts if not _own(a, text) and (
        text in a.get("above", "")
        or any(word.startswith(text) for word in a.get("above_initials", "").split()))]


def _own(account: dict[str, str], text: str) -> bool:
    """By its own code's start, a part of its name, or its initials (xj within kcxj, 库存现金:
    two letters at least inside them), not its parent's."""
    return (account["code"].startswith(text) or text in account["name"]
            or account["initials"].startswith(text)
            or (len(text) >= 2 and text in account["initials"]))
