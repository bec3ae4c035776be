"""Every desk page of the demo village answers in Chinese: each GET route of the desk in the
app's URL map, filled from the demo's read models and read by the accountant, a supervisor, the
auditor and the admin, shows no English sentence outside codes and names; refused forms say why
in Chinese too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from demo.village import DEMO_ORG
from tests.api.desk_walk import demo_app, desk_rules, filled, samples, signed_in, visible_text
from tests.conftest import Clock

# Three or more words of Latin letters in a row is a sentence someone forgot to translate.
# Codes, logins, numbers, dates and file names break a run (digits, dots, dashes, slashes).
ENGLISH = re.compile(r"(?<![\w.@/-])[A-Za-z]+(?:[ ,;:'’]+[A-Za-z]+){2,}(?![\w.@/-])")
# Words the desk shows on purpose: the language switch, file kinds, and the demo's own names.
# The audit page also prints the commands that do its checks from a shell (sunlight audit
# verify …, sunlight disclosures verify …): a command is typed as it is, never translated.
ALLOWED = {"Excel", "PDF", "CSV", "English", "xlsx", "sunlight", "audit", "disclosures", "verify"}
# Query strings a page needs to show its content rather than ask for it.
# The reports' CSV downloads are read too: their headings are words a reader sees.
QUERIES = {"/desk/<org>/reports/ledger": ["?account=101", "?account=102&from=2025-01-01"
                                          "&to=2026-10-31&page=2", "?account=102&format=csv"],
           "/desk/<org>/reports/trial-balance": ["?period=2025-12&all=1", "?format=csv"],
           "/desk/<org>/reports/income-statement": ["?from=2025-01&to=2025-12",
                                                    "?format=csv"],
           "/desk/<org>/reports/balance-sheet": ["?date=2025-12-31", "?format=csv"]}
PEOPLE = ("kuaiji", "jiandu", "shenji", "admin")
# A Western comma beside Chinese ("王会计, 2026-12-08"): a list of parts joined for English.
WESTERN_COMMA = re.compile(r"[\u3400-\u9fff）],|,\s*[\u3400-\u9fff（]")
# An amount of a thousand yuan or more shown without its separators (25000.00 beside 25,000.00).
UNGROUPED = re.compile(r"(?<![\d,.A-Za-z_-])\d{4,}\.\d{2}(?![\d])")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    app, users = demo_app(Path(tmp_path_factory.mktemp("demo")), Clock())
    yield app, {login: password for login, (password, _) in users.items()}
    app.extensions["sunlight"].close()


def english_in(page: str) -> list[str]:
    return [run for text in visible_text(page) for run in ENGLISH.findall(text)
            if not set(re.findall(r"[A-Za-z]+", run)) <= ALLOWED]


def western_commas_in(page: str) -> list[str]:
    return [text for text in visible_text(page) if WESTERN_COMMA.search(text)]


def ungrouped_in(page: str) -> list[str]:
    # A field's placeholder shows how to type an amount (no separators): not a figure.
    typed = re.sub(r'placeholder="[^"]*"', "", page)
    return [text for text in visible_text(typed)
            if any(found != "1234.50" for found in UNGROUPED.findall(text))]


def walk(app: Flask, client: FlaskClient) -> Iterator[tuple[str, int, str]]:
    """(path, status, page) of every desk page; a route the demo cannot fill fails the test."""
    keys = samples(app, _token_client(app))
    for rule in desk_rules(app):
        for path in filled(rule, keys):
            for query in ["", *QUERIES.get(rule, [])]:
                response = client.get(path + query)
                if response.mimetype in ("text/html", "text/csv"):
                    yield path + query, response.status_code, response.get_data(as_text=True)


def _token_client(app: Flask) -> str:
    ledger = app.extensions["sunlight"].ledger
    _, token = ledger.identity.issue_token("kuaiji", label="walk", expires_at=None,
                                           actor="kuaiji")
    return token or ""


@pytest.mark.parametrize("login", PEOPLE)
def test_every_desk_page_is_chinese(demo, login):
    app, passwords = demo
    client = signed_in(app, login, passwords[login])

    pages = list(walk(app, client))

    assert len(pages) > 40
    statuses = {path: status for path, status, _ in pages}
    # The ledger without an account asks for one (422), and a village has no 成员权益变动表
    # (422 on org); the rest are for reading.
    assert set(statuses.values()) <= {200, 302, 403, 422}, statuses
    if login == "kuaiji":  # the accountant reads all but the audit page, as the API's rule says,
        # and the centre administrator's page (机构与用户)
        assert {path for path, status in statuses.items() if status == 403} <= {
            f"/desk/{DEMO_ORG}/audit", "/desk/admin"}, statuses
    if login == "admin":
        assert statuses["/desk/admin"] == 200
    # Only the village's desk address typed by hand leads elsewhere: to the desk's home.
    assert {path for path, status in statuses.items() if status == 302} <= {
        f"/desk/{DEMO_ORG}", f"/desk/{DEMO_ORG}/"}
    assert {path for path, status in statuses.items() if status == 422} <= {
        f"/desk/{DEMO_ORG}/reports/ledger", f"/desk/{DEMO_ORG}/reports/equity-changes"}
    english = {path: found for path, _, page in pages if (found := english_in(page))}
    assert not english, english
    commas = {path: found for path, _, page in pages
              if not path.endswith("format=csv") and (found := western_commas_in(page))}
    assert not commas, commas
    ungrouped = {path: found for path, _, page in pages
                 if not path.endswith("format=csv") and (found := ungrouped_in(page))}
    assert not ungrouped, ungrouped


def test_the_walk_finds_an_untranslated_sentence(demo):
    app, passwords = demo
    client = signed_in(app, "kuaiji", passwords["kuaiji"])

    english = english_in(client.get(f"/desk/{DEMO_ORG}/vouchers?lang=en").get_data(as_text=True))

    assert english  # the same page in English is full of sentences, so the check can fail


DESK = f"/desk/{DEMO_ORG}"
LEAVES = {"line-1-account": "101", "line-2-account": "51302"}  # leaf accounts of the demo
REFUSED = [  # (the page with the form, where it posts, what is typed, the status)
    ("blank voucher", "/vouchers/new", "/vouchers/new", {}, 422),
    ("unbalanced voucher", "/vouchers/new", "/vouchers/new",
     {"date": "2026-11-05", "summary": "村部办公用品", **LEAVES, "line-1-debit": "100",
      "line-2-credit": "50"}, 422),
    ("voucher in a closed month", "/vouchers/new", "/vouchers/new",
     {"date": "2025-03-05", "summary": "村部办公用品", **LEAVES, "line-1-debit": "100",
      "line-2-credit": "100"}, 422),
    ("month not ended", "/periods", "/periods/close", {"period": "2026-11", "confirm": "yes"},
     409),
    ("member without a name", "/members/new", "/members/new",
     {"household": "001", "sex": "male", "born": "1990-01-01", "basis": "original",
      "confirmed_on": "2026-01-01"}, 422),
    ("mistyped ID number", "/members/new", "/members/new",
     {"household": "001", "name": "张三", "sex": "male", "born": "1990-01-01",
      "basis": "original", "confirmed_on": "2026-01-01", "id_number": "110101199001011234"},
     422),
    ("disclosure of a month to come", "/disclosures/new", "/disclosures/new",
     {"kind": "income_expenditure", "period": "2030-01", "title": "2030年1月财务收支明细"}, 422),
    ("a voucher that is not there", "/vouchers", "/vouchers/2099-01-0001/reverse",
     {"date": "2026-11-05", "reason": "录错"}, 404),
    ("answer to no question", "/questions", "/questions/no-such/answer", {"text": "已答复"},
     404),
]
SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.S)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize(("page", "path", "typed", "status"),
                         [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_a_refused_form_says_why_in_chinese(demo, page, path, typed, status):
    app, passwords = demo
    client = signed_in(app, "kuaiji", passwords["kuaiji"])
    form = client.get(DESK + page).get_data(as_text=True)
    hidden = dict(re.findall(r'name="(csrf_token|key)" value="([^"]*)"', form))

    response = client.post(DESK + path, data={**hidden, **typed})

    assert response.status_code == status
    page_text = response.get_data(as_text=True)
    summary = SUMMARY.search(page_text) or re.search(r"<main>.*?</main>", page_text, re.S)
    assert summary, page_text
    said = " ".join(visible_text(summary.group(0)))
    assert re.search(r"[\u4e00-\u9fff]{4}", said), said
    assert not LATIN_WORD.findall(said), said
    assert not english_in(page_text)


@pytest.mark.parametrize(("path", "status"), [
    ("/vouchers/2099-01-0001", 404), ("/members/9999", 404), ("/spending/S2099-0001", 404),
    ("/disclosures/no-such", 404), ("/reports/ledger?account=zzz", 422),
    ("/reports/trial-balance?period=abc", 422), ("/reports/balance-sheet?date=2030-13-01", 422),
    ("/no-such-page", 404),
])
def test_an_address_the_desk_cannot_answer_says_why_in_chinese(demo, path, status):
    app, passwords = demo
    client = signed_in(app, "kuaiji", passwords["kuaiji"])

    response = client.get(DESK + path)

    assert response.status_code == status
    main = re.search(r"<main>.*?</main>", response.get_data(as_text=True), re.S)
    assert main
    said = " ".join(visible_text(main.group(0)))
    assert re.search(r"[\u4e00-\u9fff]{4}", said), said
    assert not LATIN_WORD.findall(said), said
    # The desk's own page, leading back to the desk, never the villagers' 这里没有这个村.
    assert "返回我的工作台" in said and "这里没有这个村" not in said


@pytest.mark.parametrize("typed", [DESK, DESK + "/"])
def test_a_villages_desk_address_typed_by_hand_leads_to_its_home(demo, typed):
    # Given the accountant signed in; when they type the village's desk address
    app, passwords = demo
    client = signed_in(app, "kuaiji", passwords["kuaiji"])
    response = client.get(typed)
    # Then they are taken to that village's home on the desk, not told it does not exist
    assert response.status_code == 302
    assert response.headers["Location"] == f"/desk/?org={DEMO_ORG}"
    home = client.get(response.headers["Location"])
    assert home.status_code == 200
    assert "阳光村股份经济合作社" in home.get_data(as_text=True)


@pytest.mark.parametrize("org", [DEMO_ORG, "sunlight-fruit"])
def test_every_public_page_groups_its_amounts(demo, org):
    # The villagers' pages (no sign-in): the organization's and every disclosure it links.
    app, _ = demo
    visitor = app.test_client()
    home = visitor.get(f"/{org}/", headers={"Accept": "text/html"}).get_data(as_text=True)
    pages = {f"/{org}/": home}
    for path in sorted(set(re.findall(rf'href="(/{org}/disclosures/[0-9a-f-]+)"', home))):
        pages[path] = visitor.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert len(pages) > 2
    ungrouped = {path: found for path, page in pages.items() if (found := ungrouped_in(page))}
    assert not ungrouped, ungrouped


def test_a_desk_where_the_user_holds_no_role_says_so(demo):
    # Given the village's accountant, who holds no role in the fruit cooperative
    app, passwords = demo
    client = signed_in(app, "kuaiji", passwords["kuaiji"])
    # When they type the cooperative's desk address
    home = client.get(client.get("/desk/sunlight-fruit").headers["Location"])
    page = home.get_data(as_text=True)
    # Then their own desk says why the cooperative's is not shown, naming it
    assert 'id="not-yours"' in page and "您在 阳光村果品专业合作社 没有担任任何角色" in page
    assert "阳光村股份经济合作社" in page  # and still offers their own village
    own = client.get(f"/desk/?org={DEMO_ORG}").get_data(as_text=True)
    assert 'id="not-yours"' not in own
