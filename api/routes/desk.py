"""The signed-in pages where disclosures are made: the accountant drafts and submits, the
supervision committee signs or refuses, questions are screened and answered."""

from __future__ import annotations

from flask import Blueprint

pages = Blueprint("desk", __name__, url_prefix="/desk")
