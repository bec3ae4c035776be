"""QR codes for the disclosure sheets.

The printed sheet hangs on the village noticeboard; villagers scan its QR code with a phone, often
from a step or two away, at an angle, under glare or through a plastic sleeve. So the code uses
error correction level "M" (about 15 % of it may be damaged or dirty and it still reads) and keeps
the standard quiet zone of four modules around it, which phone scanners need to find the code on
a busy board. The output is deterministic: the same URL always gives the same bytes, so a sheet
can be regenerated and compared.
"""

from __future__ import annotations

import io

import segno

ERROR_CORRECTION = "m"
QUIET_ZONE = 4  # modules of white border, the minimum the QR standard asks for


def _make(url: str) -> segno.QRCode:
    if not url:
        raise ValueError("a QR code needs a non-empty URL")
    # boost_error=False: the level stays "M" whatever the URL's length, so output is predictable.
    return segno.make_qr(url, error=ERROR_CORRECTION, boost_error=False)


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The URL as a black-on-white PNG QR code, `scale` pixels per module."""
    out = io.BytesIO()
    _make(url).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def qr_svg(url: str, *, scale: int = 10) -> bytes:
    """The URL as an SVG QR code (UTF-8 bytes, with an XML declaration), for print."""
    out = io.BytesIO()
    _make(url).save(out, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=True,
                    encoding="utf-8")
    return out.getvalue()
