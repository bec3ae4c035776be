"""The public bundle, receipts and verifier routes over the demo village, sealed by the sealer:
every published disclosure's `.bundle` passes verify_bundle.py with the fingerprint the sheet
prints; a household's receipt passes with it; the sheet prints the signed head; the verifier and
its page are served to anyone."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import verify_bundle
from demo.village import DEMO_ORG
from projections.audit.checkpoints import known_keys
from projections.audit.verify import verify_chain
from projections.disclosure.content import FORMATS, build, canonical
from tests.api.desk_walk import _hidden, demo_app, signed_in
from tests.api.public_village import poppler, publish
from tests.api.test_public_pages import village  # noqa: F401 - a fixture
from tests.conftest import Clock


@pytest.fixture(scope="module")
def demo_and_passwords(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Any]]:
    app, passwords = demo_app(Path(tmp_path_factory.mktemp("demo")), Clock())
    yield app, passwords
    app.extensions["sunlight"].close()


@pytest.fixture(scope="module")
def demo(demo_and_passwords: tuple[Flask, Any]) -> Flask:
    return demo_and_passwords[0]


def published(app: Flask) -> list[dict[str, Any]]:
    return app.extensions["sunlight"].disclosures.published(DEMO_ORG)


def fetch(app: Flask, url: str) -> Any:
    response = app.test_client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return json.loads(response.get_data())


def check(tmp_path: Path, bundle: dict[str, Any], *args: str,
          receipt: dict[str, Any] | None = None) -> int:
    (tmp_path / "it.bundle").write_text(json.dumps(bundle, ensure_ascii=False), "utf-8")
    if receipt is not None:
        (tmp_path / "it.receipt").write_text(json.dumps(receipt, ensure_ascii=False), "utf-8")
        args = (*args, "--receipt", str(tmp_path / "it.receipt"))
    return verify_bundle.main([str(tmp_path / "it.bundle"), *args])


def fingerprint_on_the_page(app: Flask) -> str:
    page = app.test_client().get("/verify").get_data(as_text=True)
    found = re.search(r"--fingerprint ([0-9a-f]{16})", page)
    assert found, page
    return found.group(1)


def test_every_published_disclosures_bundle_verifies_with_the_centres_fingerprint(
        demo, tmp_path, capsys) -> None:
    rows = published(demo)
    assert len(rows) >= 5
    key = fingerprint_on_the_page(demo)
    for row in rows:
        bundle = fetch(demo, f"/{DEMO_ORG}/disclosures/{row['id']}.bundle")
        assert bundle["content"] == row["content"] and bundle["digest"] == row["digest"]
        assert check(tmp_path, bundle, "--fingerprint", key) == 0, (
            row["title"], capsys.readouterr().out)
        # the head it vouches for is the one the sealer signed at the publication itself, so
        # the proof is that one event: no other stored event of the village is handed out
        assert [e["position"] for e in bundle["publication"]["events"]] == [
            bundle["chain"]["position"]]


def test_a_bundle_checked_without_the_sheets_fingerprint_says_the_signer_was_not_compared(
        demo, tmp_path, capsys) -> None:
    # Given a published disclosure's bundle
    row = published(demo)[0]
    bundle = fetch(demo, f"/{DEMO_ORG}/disclosures/{row['id']}.bundle")
    capsys.readouterr()
    # When it is checked without the fingerprint printed on the sheet
    assert check(tmp_path, bundle) == 0
    said = capsys.readouterr().out
    # Then the answer warns that anyone's key would have passed, in both languages
    assert said.startswith("OK") and "WARNING" in said and "未与公告纸上的指纹比对" in said
    # And with the fingerprint it says no such thing
    assert check(tmp_path, bundle, "--fingerprint", fingerprint_on_the_page(demo)) == 0
    assert "WARNING" not in capsys.readouterr().out


def test_a_households_receipt_verifies_and_not_for_another_line(demo, tmp_path, capsys) -> None:
    row = next(r for r in published(demo) if r["kind"] == "distribution")
    bundle = fetch(demo, f"/{DEMO_ORG}/disclosures/{row['id']}.bundle")
    page = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}").get_data(as_text=True)
    link = f"/{DEMO_ORG}/disclosures/{row['id']}/lines/2/receipt"
    assert link in page  # beside the household's line
    receipt = fetch(demo, link)
    assert json.loads(receipt["line"])["line"]["no"] == 2
    assert check(tmp_path, bundle, receipt=receipt) == 0, capsys.readouterr().out
    other = fetch(demo, f"/{DEMO_ORG}/disclosures/{row['id']}/lines/1/receipt")
    assert check(tmp_path, bundle, receipt=receipt | {"path": other["path"]}) == 1
    assert "Merkle path" in capsys.readouterr().out
    assert demo.test_client().get(
        f"/{DEMO_ORG}/disclosures/{row['id']}/lines/{len(bundle['lines']) + 1}/receipt"
    ).status_code == 404


def test_the_sheet_prints_the_signed_head_and_the_key_fingerprint(demo, tmp_path) -> None:
    row = next(r for r in published(demo) if r["kind"] == "income_expenditure")
    bundle = fetch(demo, f"/{DEMO_ORG}/disclosures/{row['id']}.bundle")
    response = demo.test_client().get(f"/{DEMO_ORG}/disclosures/{row['id']}/sheet.pdf")
    text = "".join(poppler("pdftotext", response.get_data(), tmp_path, "-raw").split())
    assert bundle["chain"]["head"][:16] in text
    assert fingerprint_on_the_page(demo) in text


def test_the_verifier_and_its_page_are_served_to_anyone(demo) -> None:
    script = demo.test_client().get("/verify_bundle.py")
    assert script.status_code == 200
    assert script.get_data() == Path(verify_bundle.__file__).read_bytes()
    assert len(script.get_data(as_text=True).splitlines()) <= 150
    home = demo.test_client().get(f"/{DEMO_ORG}/").get_data(as_text=True)
    assert 'href="/verify_bundle.py"' in home and 'href="/verify"' in home


def test_a_supervisor_co_signs_a_checkpoint_and_the_bundle_carries_both_keys(
        demo_and_passwords, tmp_path, capsys) -> None:
    app, passwords = demo_and_passwords
    row = published(app)[-1]
    desk = f"/desk/{DEMO_ORG}/disclosures/{row['id']}"
    supervisor = signed_in(app, "jiandu", passwords["jiandu"][0])
    page = supervisor.get(desk)
    assert 'id="form-cosign"' in page.get_data(as_text=True)
    done = supervisor.post(f"{desk}/cosign", data=_hidden(page))
    assert done.status_code == 303, done.get_data(as_text=True)
    again = supervisor.get(desk).get_data(as_text=True)
    assert 'id="form-cosign"' not in again and "supervisor:jiandu" in again  # once is enough
    # The signers as people say them, the stored ids only in the titles.
    said = re.sub(r"<[^>]+>", "", re.search(r'id="cosigners">(.*?)</p>', again, re.S).group(1))
    assert "农经站（中心密钥）、监委会成员" in said and "centre" not in said, said
    bundle = fetch(app, f"/{DEMO_ORG}/disclosures/{row['id']}.bundle")
    signers = [entry["signer"] for entry in bundle["checkpoints"][0]["signatures"]]
    assert signers == ["centre", "supervisor:jiandu"]
    theirs = next(key["id"] for key in bundle["keys"] if key["owner"] == "supervisor:jiandu")
    assert check(tmp_path, bundle, "--fingerprint", theirs) == 0, capsys.readouterr().out
    assert check(tmp_path, bundle, "--fingerprint", fingerprint_on_the_page(app)) == 0
    # the co-signature changes nothing the chain's verification judges: the history is whole
    views = app.extensions["sunlight"]
    checked = verify_chain(views.ledger, views.views["audit"], org=DEMO_ORG,
                           keys=known_keys(views.views["audit"].storage))
    assert checked.whole and checked.checkpoints >= 1, checked.as_dict()
    # an accountant may not co-sign
    accountant = signed_in(app, "kuaiji", passwords["kuaiji"][0])
    page = accountant.get(desk)
    assert accountant.post(f"{desk}/cosign", data=_hidden(page)).status_code == 403


def test_on_either_database_a_published_month_bundles_and_verifies(
        village, tmp_path, capsys) -> None:  # noqa: F811
    """The sealer's tables read back on SQLite and PostgreSQL: the bundle of a village's month,
    and a receipt for each of its lines, pass the standalone verifier."""
    bundle = fetch(village.app, f"/v1/disclosures/{village.published}.bundle")
    assert bundle["chain"]["org"] == "v1" and len(bundle["lines"]) >= 3
    assert check(tmp_path, bundle) == 0, capsys.readouterr().out
    page = village.app.test_client().get(f"/v1/disclosures/{village.published}")
    for no in range(1, len(json.loads(bundle["content"])["lines"]) + 1):  # beside each movement
        assert f"/v1/disclosures/{village.published}/lines/{no}/receipt" in page.get_data(
            as_text=True)
    for leaf in range(1, len(bundle["lines"]) + 1):
        receipt = fetch(village.app, f"/v1/disclosures/{village.published}/lines/{leaf}/receipt")
        assert check(tmp_path, bundle, receipt=receipt) == 0, capsys.readouterr().out


def test_a_disclosure_of_format_3_bundles_without_lines_and_verifies(
        village, tmp_path, capsys) -> None:  # noqa: F811
    """Published before format 4, a content has no root: its bundle has no lines and no
    receipts, and still proves its digest published in the signed chain."""
    services = village.app.extensions["sunlight"]
    with services.queries.read() as reader:
        content = canonical(build(reader, "v1", "income_expenditure", "2025-02", "2月", {},
                                  format=FORMATS[2]))
        position = reader.position()
    ref = str(services.ledger.disclosure.draft_disclosure(
        "v1", kind="income_expenditure", period="2025-02", title="2月", inputs={},
        content=content, position=position, actor="wang",
        supersedes=village.draft).value.id)
    publish(village.app, ref)
    village.project()
    bundle = fetch(village.app, f"/v1/disclosures/{ref}.bundle")
    assert json.loads(bundle["content"])["format"] == "sunlight-disclosure/3"
    assert (bundle["merkle"], bundle["lines"]) == (None, [])
    assert check(tmp_path, bundle) == 0, capsys.readouterr().out
    assert village.app.test_client().get(
        f"/v1/disclosures/{ref}/lines/1/receipt").status_code == 404
