"""HTML to PDF for the printable disclosure sheet.

The noticeboard sheet is printed on A4 or A3 and pinned up in the village, so the pages render
to PDF with WeasyPrint (the page size comes from the stylesheet's `@page` rule). Chinese text
needs a CJK font on the machine: without one WeasyPrint still writes the text layer, so
`pdftotext` finds the characters, but they print as empty boxes. Stylesheets should use
`CJK_FONT_STACK`, and callers can check `cjk_font_available()`.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

import weasyprint

CJK_FONT_STACK = '"Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", sans-serif'

# WeasyPrint logs every unsupported CSS property and font fallback at INFO/DEBUG; keep warnings.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The HTML document rendered to PDF bytes; `base_url` resolves relative links and images."""
    pdf = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return pdf


def cjk_font_available() -> bool:
    """Whether fontconfig knows a font that covers Chinese (e.g. fonts-noto-cjk)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        done = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                              timeout=30, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and bool(done.stdout.strip())
