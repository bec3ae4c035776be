"""The village of the public pages' tests (test_public_pages.py, test_public_questions.py and
others): January 2025 posted and its 收支明细 published, February's drafted; drafting and
publishing a disclosure; the ask form's data; poppler's tools on a PDF."""


import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.disclosure.public_ask import challenge_for
from projections.disclosure.content import prepare
from tests.api.conftest import make_user

ORG = "v1"
PHONE = "13812345678"
PANEL = ("jian1", "jian2", "jian3")


@dataclass
class Village:
    app: Flask
    project: Any
    published: str  # the id of the published income and expenditure disclosure
    draft: str  # a disclosure drafted and never published
    row: dict[str, Any]

    @property
    def ledger(self) -> Any:
        return self.app.extensions["sunlight"].ledger

    @property
    def page(self) -> str:
        return f"/{ORG}/disclosures/{self.published}"

    def questions(self) -> list[dict[str, Any]]:
        self.project()
        return self.app.extensions["sunlight"].disclosures.questions(ORG, public=False)

    def screen(self, question: str, visible: bool, reason: str = "") -> None:
        self.ledger.disclosure.screen_question(ORG, question, visible=visible, reason=reason,
                                               actor=PANEL[0])
        self.project()


def draft(app: Flask, kind: str, period: str, title: str, inputs: dict[str, Any] | None = None,
          **extra: Any) -> str:
    services = app.extensions["sunlight"]
    with services.queries.read() as reader:
        prepared = prepare(reader, ORG, kind, period, title, inputs or {})
    outcome = services.ledger.disclosure.draft_disclosure(
        ORG, kind=kind, period=period, title=title, inputs=inputs or {},
        content=prepared.content, position=prepared.position, actor="wang", **extra)
    return str(outcome.value.id)


def publish(app: Flask, ref: str, notes: dict[str, str] | None = None) -> None:
    ledger = app.extensions["sunlight"].ledger
    ledger.disclosure.submit_disclosure(ORG, ref, panel=list(PANEL), actor="wang")
    ledger.disclosure.sign_disclosure(ORG, ref, member=PANEL[0], opinion="账实相符，同意公开",
                                      line_notes=notes or {})
    ledger.disclosure.sign_disclosure(ORG, ref, member=PANEL[1])
    ledger.disclosure.publish_disclosure(ORG, ref, actor="wang")


def make_village(app: Flask, client: FlaskClient, project: Any) -> Village:
    """v1 with January 2025 posted (5,000 contracting income, 1,200 cadre allowances, 300.50
    office costs in cash), its income and expenditure published, and a draft for February."""
    for body in (
        {"date": "2025-01-05", "summary": "收取一组发包款",
         "lines": [{"account": "102", "debit": "5000.00"},
                   {"account": "50101", "credit": "5000.00"}]},
        {"date": "2025-01-20", "summary": "发放1月干部报酬",
         "lines": [{"account": "51301", "debit": "1200.00"},
                   {"account": "102", "credit": "1200.00"}]},
        {"date": "2025-01-25", "summary": "购买办公用品",
         "lines": [{"account": "51301", "debit": "300.50"},
                   {"account": "101", "credit": "300.50"}]},
        {"date": "2025-02-05", "summary": "收取二组发包款",
         "lines": [{"account": "102", "debit": "800.00"},
                   {"account": "50101", "credit": "800.00"}]},
    ):
        response = client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body)
        assert response.status_code == 201, response.get_json()
    for login in PANEL:
        make_user(app, login, (ORG, "supervisor"))
    project()
    ref = draft(app, "income_expenditure", "2025-01", "2025年1月收支明细",
                {"annotations": {"2025-01-0002/1": {"unit": "村委会", "responsible": "李主任"}}})
    publish(app, ref, notes={"1": "已核对发包合同"})
    unpublished = draft(app, "income_expenditure", "2025-02", "2025年2月收支明细")
    project()
    row = app.extensions["sunlight"].disclosures.public_disclosure(ORG, ref)
    assert row is not None
    return Village(app, project, ref, unpublished, row)


def page_of(response: Any) -> str:
    assert response.content_type.startswith("text/html"), response.content_type
    return response.get_data(as_text=True)


def ask_data(village: Village, **fields: Any) -> dict[str, Any]:
    return {"line": "1", "text": "这笔发包款是哪一年的合同？", "name": "", "phone": "",
            "challenge": str(sum(challenge_for(village.published))), "website": "", **fields}


def poppler(name: str, pdf: bytes, tmp_path: Any, *args: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        if os.environ.get("SUNLIGHT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{name} is missing: apt-get install -y poppler-utils")
        pytest.skip(f"{name} is missing: apt-get install -y poppler-utils")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if name == "pdftotext" else [])],
                          capture_output=True, check=True, text=True,
                          stdin=subprocess.DEVNULL).stdout
