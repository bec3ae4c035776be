"""A balance sheet disclosed with its notes: the desk's draft form asks for the contingent matters,
the public page and the noticeboard sheet show the 行次 of each line and, under the statement, the
notes to the statements (会计报表附注) drafted from the books."""

from __future__ import annotations

import html
import re
from pathlib import Path

from api.disclosure.public_notes import party_label
from tests.api.desk_browser import browser, form_of, ref_of
from tests.api.public_village import ORG, poppler, publish
from tests.api.test_public_pages import village as public_village  # noqa: F401  (a fixture)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CONTINGENT = "为邻村修路贷款担保 100,000.00 元"
VOUCHERS = (
    {"date": "2025-01-10", "summary": "借给农机合作社",
     "lines": [{"account": "112", "debit": "700.00"}, {"account": "102", "credit": "700.00"}]},
    {"date": "2025-01-15", "summary": "收到道路硬化专项资金",
     "lines": [{"account": "102", "debit": "3000.00"}, {"account": "241", "credit": "3000.00"}]},
    {"date": "2025-01-25", "summary": "支付道路硬化工程款",
     "lines": [{"account": "241", "debit": "1200.00"}, {"account": "102", "credit": "1200.00"}]},
)


def test_a_balance_sheet_shows_its_rows_and_notes(public_village, client, project,  # noqa: F811
                                                  tmp_path):
    # Given January with a loan to a cooperative and a road grant received and partly spent,
    for body in VOUCHERS:
        assert client.post(f"/api/v1/orgs/{ORG}/vouchers", json=body).status_code == 201
    project()
    # when the accountant drafts its balance sheet on the desk with the contingent matters,
    wang = browser(public_village.app, project, "wang")
    new = wang.get(f"/desk/{ORG}/disclosures/new")
    assert 'name="contingent"' in new and "或有事项（选填）" in new
    form = {**form_of(new), "kind": "balance_sheet", "period": "2025-01",
            "title": "2025年1月资产负债表", "contingent": CONTINGENT}
    ref = ref_of(wang.post(f"/desk/{ORG}/disclosures/new", form))
    publish(public_village.app, ref)
    project()

    # then the published content, its page and its sheet show the rows and the notes.
    content = client.get(f"/{ORG}/disclosures/{ref}.json").get_json()
    assert content["notes_to_statements"]["contingent"] == CONTINGENT
    assert [line["row"] for line in content["lines"]] == list(range(1, 40))

    page = html.unescape(client.get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True))
    assert '<th scope="col">行次</th>' in page
    assert re.search(r'id="line-1".*?<span class="v">1</span>.*?货币资金', page, re.S)
    notes = page[page.index("会计报表附注"):]
    for shown in ("财会〔2023〕14号", "权责发生制", "112 应收款", "700.00", "241 专项应付款",
                  "3,000.00", "1,200.00", "1,800.00", CONTINGENT):
        assert shown in notes, shown

    sheet = client.get(f"/{ORG}/disclosures/{ref}/sheet.pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "balance-sheet-notes-sheet.pdf").write_bytes(sheet.get_data())  # to look at
    text = "".join(poppler("pdftotext", sheet.get_data(), tmp_path, "-raw").split())
    for shown in ("行次", "会计报表附注", "或有事项", "".join(CONTINGENT.split())):
        assert shown in text, shown


def test_parties_are_named_by_their_number_on_the_roll(app):
    with app.test_request_context("/?lang=zh"):
        assert party_label("member:0012") == "成员 0012"
        assert party_label("household:003") == "户 003"



def test_the_json_api_drafts_the_notes_and_refuses_them_too_long(client, org, project):
    project()
    body = {"kind": "income_statement", "period": "2025-01", "title": "2025年1月收益表"}
    response = client.post(f"/api/v1/orgs/{ORG}/disclosures", json={
        **body, "notes_to_statements": {"contingent": "担" * 2001}})
    assert response.status_code == 422
    assert "notes_to_statements" in str(response.get_json()["error"])
    created = client.post(f"/api/v1/orgs/{ORG}/disclosures", json={
        **body, "notes_to_statements": {"contingent": CONTINGENT}}).get_json()
    notes = created["content"]["notes_to_statements"]
    assert notes["contingent"] == CONTINGENT and notes["receivables"]["by_party"] == []
    assert [line["row"] for line in created["content"]["lines"]] == list(range(1, 21))
