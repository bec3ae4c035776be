"""An account (会计科目) is named by its code: three digits for the chart's first level, then two
more digits per level of sub-account (明细科目), e.g. 501 → 50101 → 5010101.

Accounts are never deleted or renumbered. Only leaf accounts take postings, and an account that
has taken postings cannot be given sub-accounts, so every balance lives on exactly one leaf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ledger.books.errors import AccountExists, InvalidAccount

CODE = re.compile(r"[0-9]{3}(?:[0-9]{2})*")
MAX_NAME = 40
MAX_NAME_EN = 80


@dataclass(frozen=True)
class Account:
    code: str
    name_zh: str
    name_en: str
    category: str
    normal_balance: str
    parent: str | None
    leaf: bool
    closed: bool

    @property
    def level(self) -> int:
        return 1 + (len(self.code) - 3) // 2

    @classmethod
    def from_state(cls, code: str, state: dict) -> Account:
        return cls(code=code, **state)


def check_sub_account_code(parent: str, code: str) -> None:
    well_formed = isinstance(code, str) and CODE.fullmatch(code) is not None
    if not well_formed or len(code) != len(parent) + 2 or not code.startswith(parent):
        raise InvalidAccount(
            f"a sub-account of {parent} has the code {parent} followed by two digits",
            field="code",
            parent=parent,
            code=code,
        )
    if code.endswith("00"):
        raise InvalidAccount("sub-account digits 00 are not used", field="code", code=code)


def check_name(name_zh: str) -> str:
    name = (name_zh or "").strip()
    if not name:
        raise InvalidAccount("an account needs a Chinese name", field="name_zh")
    if len(name) > MAX_NAME:
        raise InvalidAccount(f"at most {MAX_NAME} characters", field="name_zh")
    return name


def check_new_sub_account(accounts: dict[str, dict[str, Any]], *, parent: str, code: str,
                          name_zh: str, name_en: str) -> str:
    """A well-formed new code and a name unique among its siblings; the name, trimmed."""
    check_sub_account_code(parent, code)
    if code in accounts:
        raise AccountExists(f"account {code} already exists", field="code", code=code)
    name = check_name(name_zh)
    for sibling, state in accounts.items():
        if state["parent"] == parent and state["name_zh"] == name:
            raise AccountExists(f"{parent} already has a sub-account named {name} ({sibling})",
                                field="name_zh", code=sibling)
    if len(name_en) > MAX_NAME_EN:
        raise InvalidAccount(f"at most {MAX_NAME_EN} characters", field="name_en")
    return name


def ancestors(code: str) -> list[str]:
    """Codes of the account's parents, nearest first: 5010101 → [50101, 501]."""
    return [code[:n] for n in range(len(code) - 2, 2, -2)]


def is_within(code: str, root: str) -> bool:
    return code.startswith(root)
