"""The QR code on the noticeboard sheet: a real PNG and SVG, the same bytes every time, and a
scanner reads the URL back."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
import segno
from PIL import Image

from api.render.qr import QUIET_ZONE, qr_png, qr_svg

URL = "https://sunlight.example/v/xinhua-cun/2025-03?lang=zh"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_png_is_a_png_with_a_quiet_zone():
    png = qr_png(URL, scale=10)
    assert png.startswith(PNG_SIGNATURE)
    modules = segno.make_qr(URL, error="m", boost_error=False).symbol_size(border=0)[0]
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == ((modules + 2 * QUIET_ZONE) * 10,) * 2
    border = QUIET_ZONE * 10
    width, _ = image.size
    for x in range(width):  # the top and left quiet zones are all white
        for y in range(border):
            assert image.getpixel((x, y)) == 255
            assert image.getpixel((y, x)) == 255
    assert image.getpixel((border, border)) == 0  # the finder pattern's corner is black


def test_error_correction_is_m():
    assert segno.make_qr(URL, error="m", boost_error=False).error == "M"


def test_same_url_same_bytes():
    assert qr_png(URL) == qr_png(URL)
    assert qr_svg(URL) == qr_svg(URL)
    assert qr_png(URL) != qr_png(URL + "x")


def test_scale_changes_the_size():
    small = Image.open(io.BytesIO(qr_png(URL, scale=2)))
    large = Image.open(io.BytesIO(qr_png(URL, scale=10)))
    assert large.size[0] == 5 * small.size[0]


def test_svg_is_xml_with_an_svg_root():
    svg = qr_svg(URL)
    assert svg.startswith(b"<?xml")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_empty_url_is_refused():
    with pytest.raises(ValueError):
        qr_png("")


def test_png_decodes_back_to_the_url():
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (a QR decoder) not installed")
    for scale in (3, 10):
        image = Image.open(io.BytesIO(qr_png(URL, scale=scale))).convert("L")
        found = zxingcpp.read_barcodes(image)
        assert [barcode.text for barcode in found] == [URL]
        assert found[0].format == zxingcpp.BarcodeFormat.QRCode
