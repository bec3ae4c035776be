"""What the roll and share register desk's tests share (test_member_pages.py,
test_member_corrections.py, test_member_sheets.py): the sample village with one user per role,
and readers of the pages' rows, selects and the roll's CSV sheet."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from ledger.application import Ledger
from tests.api.conftest import make_user
from tests.registers import village_with_shares

ORG = "v1"
READERS = ("wang", "liu", "zhao", "fang", "shen")  # accountant, committee, supervisor, …
MASKED_ONLY = ("liu", "zhao", "fang")  # committee, supervisor, finance lead
SEE_WHOLE = ("wang", "shen")  # accountant, auditor
HEADER = ("户号,住址,户主,成员编号,姓名,性别,出生日期,身份证号,联系电话,确认依据,确认日期,决议文号,"
          "决议日期")
CSS = Path(__file__).resolve().parents[2] / "api" / "static" / "desk.css"
# A day is read by the JSON route's schema (api/fields.py DayIn), the desk's forms too.
NOT_A_DAY = "日期应写作 2026-11-03 的样子。"


def ledger_of(app: Flask) -> Ledger:
    return app.extensions["sunlight"].ledger


def set_up_village(app: Flask, project: Callable[[], int]) -> Flask:
    """The sample village of tests/registers.py, shares quantified per household; wang keeps
    its books, liu sits on the village committee, zhao on the supervision committee, fang is
    the finance lead and shen the auditor; nobody holds no role there."""
    ledger = ledger_of(app)
    village_with_shares(ledger)
    ledger.identity.grant_role("wang", org=ORG, role="accountant", reason="keeps the books",
                               actor="test")
    make_user(app, "liu", (ORG, "committee"))
    make_user(app, "zhao", (ORG, "supervisor"))
    make_user(app, "fang", (ORG, "finance_lead"))
    make_user(app, "shen", (ORG, "auditor"))
    make_user(app, "nobody")
    project()
    return app


def member_row(page: str, number: str) -> str:
    found = re.search(rf'<tr id="m-{number}"[^>]*>(.*?)</tr>', page, re.S)
    return found.group(1) if found else ""


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def sheet(*rows: str) -> dict[str, object]:
    """A CSV upload of the roll's columns (UTF-8 with BOM, as Excel saves it)."""
    text = "\r\n".join((HEADER, *rows)) + "\r\n"
    return {"file": (io.BytesIO(("\ufeff" + text).encode()), "roll.csv")}

