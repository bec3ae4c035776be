"""What anyone downloads to check a published disclosure offline, without trusting this server:
its bundle (`<ref>.bundle`: the content byte for byte, its digest, the Merkle root and lines, the
organization's chain head, the signed checkpoints and the keys), a receipt for one line, the
standalone verifier `verify_bundle.py`, and the page (/verify) that tells an auditor how.

Rule: these routes only read back what was published and sealed (projections/disclosure/bundle.py
puts it together); the keys are the centre's and those of whoever co-signed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Response, render_template

import verify_bundle
from api.auth import PUBLIC, rule
from api.disclosure.public import download, not_found, pages
from api.disclosure.public_anchor import bundle_of, centre_public
from api.disclosure.public_views import published
from infra import signing
from projections.disclosure import bundle as bundles

VERIFIER = Path(verify_bundle.__file__)  # installed beside the packages (pyproject py-modules)


def as_file(payload: dict[str, Any], name: str) -> Response:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    response = download(body, "application/json", name)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


@pages.get("/<org>/disclosures/<ref>.bundle")
@rule(PUBLIC)
def disclosure_bundle(org: str, ref: str) -> Response | tuple[str, int]:
    found = published(org, ref)
    if found is None:
        return not_found()
    return as_file(bundle_of(found), f"{org}-{ref}.bundle")


@pages.get("/<org>/disclosures/<ref>/lines/<int:leaf>/receipt")
@rule(PUBLIC)
def line_receipt(org: str, ref: str, leaf: int) -> Response | tuple[str, int]:
    """Line `leaf` (from 1, in the Merkle tree's order, where a disclosure's own lines come
    first: a household's line number is its leaf number) with all that vouches for it."""
    found = published(org, ref)
    if found is None:
        return not_found()
    receipt = bundles.receipt(bundle_of(found), leaf)
    if receipt is None:
        return not_found()
    return as_file(receipt, f"{org}-{ref}-line-{leaf}.receipt")


@pages.get("/verify_bundle.py")
@rule(PUBLIC)
def verifier_script() -> Response:
    response = download(VERIFIER.read_bytes(), "text/x-python", "verify_bundle.py")
    response.headers["Content-Type"] = "text/x-python; charset=utf-8"
    return response


@pages.get("/verify")
@rule(PUBLIC)
def verify_page() -> str:
    fingerprint = signing.fingerprint(centre_public())
    return render_template("public/verify.html", fingerprint=fingerprint)
