"""Outside the demo nothing printed carries a loopback address: the noticeboard sheet prints a
"not configured" mark instead of a QR code no phone could open, the village page offers no QR
download, and the admin's desk says what to set. With SUNLIGHT_PUBLIC_URL (or in the demo) the
QR codes read back as the address."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from api.public_address import is_loopback
from tests.api.conftest import make_user, signed_in
from tests.api.public_village import ORG, poppler
from tests.api.test_public_pages import village  # noqa: F401 - a fixture

MARK_ZH = "公开地址未配置"
MARK_EN = "public address not configured"


@pytest.fixture(autouse=True)
def unconfigured(monkeypatch):
    """A default install: no public address, not the demo."""
    monkeypatch.delenv("SUNLIGHT_PUBLIC_URL", raising=False)
    monkeypatch.delenv("SUNLIGHT_DEMO", raising=False)


def sheet_pdf(village, **get) -> bytes:  # noqa: F811
    response = village.app.test_client().get(f"{village.page}/sheet.pdf", **get)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.get_data()


def qr_codes_on(pdf: bytes, tmp_path: Path) -> list[str]:
    """The QR codes a phone would read on the first page, rendered at 150 dpi."""
    zxingcpp = pytest.importorskip("zxingcpp")
    poppler("pdfinfo", pdf, tmp_path)  # skips (or fails in CI) without poppler; writes sheet.pdf
    subprocess.run([shutil.which("pdftoppm") or "pdftoppm", "-r", "150", "-png", "-f", "1",
                    "-l", "1", "-singlefile", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True, stdin=subprocess.DEVNULL)
    image = Image.open(tmp_path / "page.png")
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_loopback_addresses_are_recognised():
    for url in ("http://127.0.0.1:8000/", "http://localhost/", "http://LOCALHOST:8000",
                "http://127.8.9.10/", "http://[::1]:8000/", "http://0.0.0.0:8000/",
                "http://app.localhost/", "", "/relative/path"):
        assert is_loopback(url), url
    for url in ("https://cunwu.example.cn", "http://192.168.1.20:8000/", "http://10.0.0.5/",
                "http://[2001:db8::1]/"):
        assert not is_loopback(url), url


def test_a_default_install_prints_the_mark_instead_of_a_loopback_qr(village, tmp_path):  # noqa: F811
    # Given a default install printing from the server itself (the request came to localhost)
    pdf = sheet_pdf(village)
    # Then the sheet carries the mark, and no QR code at all
    text = poppler("pdftotext", pdf, tmp_path, "-raw")
    assert MARK_ZH in "".join(text.split()) and MARK_EN in " ".join(text.split())
    assert qr_codes_on(pdf, tmp_path) == []
    # and the footer gives the path, not an address only this machine opens
    assert "localhost" not in text and f"/{ORG}/disclosures/{village.published}" in text


def test_a_public_address_that_is_loopback_is_no_better(village, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "http://127.0.0.1:8000")
    pdf = sheet_pdf(village, base_url="http://yicun.example.cn")
    assert MARK_ZH in "".join(poppler("pdftotext", pdf, tmp_path, "-raw").split())
    assert qr_codes_on(pdf, tmp_path) == []


def test_with_a_public_address_the_sheet_carries_its_qr_code(village, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "https://cunwu.example.cn/")
    pdf = sheet_pdf(village)
    page = f"https://cunwu.example.cn/{ORG}/disclosures/{village.published}"
    # The page's address, and the organization's chain head anchored on paper (step 12).
    [code] = qr_codes_on(pdf, tmp_path)
    assert re.fullmatch(re.escape(page) + r"#head=[0-9a-f]{64}", code), code
    text = poppler("pdftotext", pdf, tmp_path, "-raw")
    assert MARK_ZH not in "".join(text.split()) and page in "".join(text.split())


def test_the_demo_prints_its_loopback_qr_code(village, tmp_path, monkeypatch):  # noqa: F811
    # `sunlight serve --demo` exports SUNLIGHT_DEMO=1 to its workers
    monkeypatch.setenv("SUNLIGHT_DEMO", "1")
    [code] = qr_codes_on(sheet_pdf(village), tmp_path)
    page = f"http://localhost/{ORG}/disclosures/{village.published}"
    assert re.fullmatch(re.escape(page) + r"#head=[0-9a-f]{64}", code), code


def test_no_loopback_qr_download_outside_the_demo(village, monkeypatch):  # noqa: F811
    browser = village.app.test_client()
    page = browser.get(f"/{ORG}/").get_data(as_text=True)
    assert MARK_ZH in page and f"/{ORG}/qr.png" not in page
    for path in (f"/{ORG}/qr.png", f"/{ORG}/qr.svg"):
        refused = browser.get(path)
        assert refused.status_code == 409 and refused.mimetype == "text/html"
        assert MARK_ZH in refused.get_data(as_text=True)
    monkeypatch.setenv("SUNLIGHT_DEMO", "1")
    assert browser.get(f"/{ORG}/qr.png").status_code == 200
    assert f"/{ORG}/qr.png" in browser.get(f"/{ORG}/").get_data(as_text=True)


def test_the_admins_desk_says_the_public_address_is_missing(app, client, org, monkeypatch):
    # Given the centre's admin (client) and an accountant of v1
    accountant = signed_in(app, make_user(app, "lili", (org, "accountant")))

    def banner(browser) -> bool:
        page = browser.get("/desk/?lang=zh").get_data(as_text=True)
        return 'id="public-address"' in page and MARK_ZH in page

    # When no public address is set, the admin is told, in Chinese, what to set; nobody else
    assert banner(client) and not banner(accountant)
    assert "SUNLIGHT_PUBLIC_URL" in client.get("/desk/").get_data(as_text=True)
    assert "Public address not configured" in client.get("/desk/?lang=en").get_data(as_text=True)
    # A loopback address is as good as none; one that phones reach ends the warning
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "http://localhost:8000")
    assert banner(client)
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "https://cunwu.example.cn")
    assert not banner(client)
    # And the demo needs none
    monkeypatch.delenv("SUNLIGHT_PUBLIC_URL")
    monkeypatch.setenv("SUNLIGHT_DEMO", "1")
    assert not banner(client)


class Started(Exception):
    """Stands for the projection process: the test stops serve where it would start it."""


@pytest.fixture
def serve(monkeypatch, tmp_path):
    """`sunlight serve` up to the moment it starts its first child, whose environment is kept."""
    from click.testing import CliRunner

    from api import cli

    children: list[dict[str, str]] = []

    def popen(command, env):
        children.append(env)
        raise Started

    monkeypatch.setenv("SUNLIGHT_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(cli, "create_tables", lambda store: None)
    monkeypatch.setattr(cli, "_load_demo", lambda store: None)
    monkeypatch.setattr(cli.subprocess, "Popen", popen)
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)  # pytest keeps its Ctrl-C

    def run(*args: str) -> tuple[str, dict[str, str]]:
        result = CliRunner().invoke(cli.main, ["serve", *args])
        assert isinstance(result.exception, Started), result.output
        return result.output, children[-1]
    return run


def test_serve_says_loudly_that_the_public_address_is_missing(serve, monkeypatch):
    output, child = serve()
    assert "SUNLIGHT_PUBLIC_URL is not set" in output and "公开地址未配置" in output
    assert "SUNLIGHT_DEMO" not in child
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "http://127.0.0.1:8000")
    assert "only reaches this machine" in serve()[0]
    monkeypatch.setenv("SUNLIGHT_PUBLIC_URL", "https://cunwu.example.cn")
    assert "SUNLIGHT_PUBLIC_URL" not in serve()[0]


def test_serve_demo_needs_no_public_address_and_tells_its_workers(serve, monkeypatch):
    output, child = serve("--demo")
    assert "SUNLIGHT_PUBLIC_URL" not in output and child["SUNLIGHT_DEMO"] == "1"
    # Only --demo says it: a SUNLIGHT_DEMO left in the environment does not reach the workers
    monkeypatch.setenv("SUNLIGHT_DEMO", "1")
    output, child = serve()
    assert "SUNLIGHT_PUBLIC_URL is not set" in output and "SUNLIGHT_DEMO" not in child
