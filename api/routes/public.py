"""The village's public pages (村务公开), without signing in: published disclosures, their
questions and answers, the QR code and the printable noticeboard sheet."""

from __future__ import annotations

from flask import Blueprint

pages = Blueprint("public", __name__)
