"""The platform the village disclosure pages stand on: WeasyPrint PDFs whose Chinese text is both
in the text layer and really drawn (not empty boxes for lack of a CJK font), and a phone-sized
headless Chromium that shows Chinese and saves a screenshot.

Needs poppler-utils (pdftotext, pdftoppm, pdffonts), a CJK font and Debian's chromium; without
them these tests skip, unless SUNLIGHT_REQUIRE_BROWSER=1 (CI), when they fail.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from PIL import Image

from api.render.pdf import CJK_FONT_STACK, cjk_font_available, html_to_pdf
from tests.e2e.browser import (
    assert_no_horizontal_scroll,
    browser_required,
    phone,  # noqa: F401  (the fixture; pytest finds it in this module's namespace)
    save_screenshot,
)

pytestmark = pytest.mark.e2e

AMOUNT = "伍仟元整"
DIGEST = hashlib.sha256(b"sunlight ledger platform test").hexdigest()
POPPLER_HINT = "apt-get install -y poppler-utils fonts-noto-cjk"


def need(condition: bool, reason: str) -> None:
    if condition:
        return
    if browser_required():
        pytest.fail(f"{reason} (SUNLIGHT_REQUIRE_BROWSER=1): {POPPLER_HINT}", pytrace=False)
    pytest.skip(f"{reason}: {POPPLER_HINT}")


def tool(name: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"{name} is not installed")
    assert path is not None
    return path


def sheet(amount: str, size: str = "12pt") -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><style>
  @page {{ size: A4; margin: 15mm; }}
  body {{ font-family: {CJK_FONT_STACK}; }}
  .amount {{ font-size: {size}; }}
  .digest {{ font-family: monospace; font-size: 9pt; }}
</style></head><body>
  <h1 class="amount">{amount}</h1>
  <p class="digest">{DIGEST}</p>
</body></html>"""


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"
    return done.stdout


def first_page_png(pdf: bytes, workdir: Path, name: str) -> Image.Image:
    pdf_path = workdir / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    run(tool("pdftoppm"), "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile",
        str(pdf_path), str(workdir / name))
    return Image.open(workdir / f"{name}.png").convert("L")


def dark_pixels(image: Image.Image) -> int:
    return sum(image.convert("L").histogram()[:128])


def test_pdf_text_layer_has_chinese_and_the_digest(tmp_path: Path):
    pdf = html_to_pdf(sheet(AMOUNT))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    text = run(tool("pdftotext"), "-enc", "UTF-8", str(path), "-")
    assert AMOUNT in text
    assert DIGEST in text


def test_pdf_draws_chinese_glyphs_not_empty_boxes(tmp_path: Path):
    """The text layer is there even without a CJK font; so look at the page as a villager
    would: the Chinese must be drawn with a CJK font, and draw real ink."""
    need(cjk_font_available(), "no CJK font (fc-list :lang=zh finds nothing)")
    pdf = html_to_pdf(sheet(AMOUNT, size="40pt"))
    blank = html_to_pdf(sheet(" " * len(AMOUNT), size="40pt"))

    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    fonts = run(tool("pdffonts"), str(path))
    assert any(name in fonts for name in ("CJK", "WenQuanYi", "MicroHei")), (
        f"no CJK font embedded in the PDF:\n{fonts}")

    with_chinese = dark_pixels(first_page_png(pdf, tmp_path, "chinese"))
    without = dark_pixels(first_page_png(blank, tmp_path, "blank"))
    # Four 40 pt characters at 50 dpi are about 28 px square each; their strokes alone are
    # hundreds of dark pixels (the digest line is the same on both pages).
    assert with_chinese - without > 200, (with_chinese, without)


def test_phone_shows_a_chinese_page(phone):  # noqa: F811  (the imported fixture)
    html = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>村务公开</title>
<style>body {{ font-family: {CJK_FONT_STACK}; margin: 16px; }}
.digest {{ font-family: monospace; overflow-wrap: anywhere; }}</style></head>
<body><h1>村务公开</h1><p id="amount">{AMOUNT}</p><p class="digest">{DIGEST}</p></body></html>"""
    phone.goto("data:text/html;charset=utf-8," + quote(html))
    assert phone.title() == "村务公开"
    assert phone.inner_text("#amount") == AMOUNT
    width, ratio, language = phone.evaluate(
        "() => [window.innerWidth, window.devicePixelRatio, navigator.language]")
    assert (width, ratio, language) == (360, 2, "zh-CN")
    assert_no_horizontal_scroll(phone)

    path = save_screenshot(phone, "platform-phone")
    image = Image.open(io.BytesIO(path.read_bytes()))
    assert image.size[0] == 720  # 360 CSS px at device scale factor 2
    assert dark_pixels(image.convert("L")) > 500


def test_phone_catches_a_page_wider_than_the_phone(phone):  # noqa: F811
    html = ('<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
            '<div style="width: 600px">太宽了</div>')
    phone.goto("data:text/html;charset=utf-8," + quote(html))
    with pytest.raises(AssertionError):
        assert_no_horizontal_scroll(phone)
