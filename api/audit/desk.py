"""The audit page of the desk (/desk/<org>/audit, 审计核验): an auditor or a supervisor replays the
organization's tamper-evident history from the browser, with no shell: the chain verified as
`GET …/audit/verification` verifies it, the signed checkpoints, and each published disclosure's
check file (.bundle) checked as the offline verifier checks it.

Rule: thin, and no looser than the API. The access rule is the API's (AUDIT), the chain is judged
by the same call (projections.audit.verify.verify_chain), each bundle by verify_bundle.check_bundle;
the full rebuild of every disclosure from event one (`sunlight disclosures verify`) replays the
whole history, so it runs only when asked (?rebuild=1). The seconds each check took are shown.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

import verify_bundle
from api.audit.verification import AUDIT
from api.auth import rule
from api.common import reading, require_org
from api.desk import as_page
from api.disclosure.public_anchor import bundle_of
from api.disclosure.public_views import published
from api.services import services
from projections.audit.checkpoints import checkpoints_of, known_keys, signatures_hold
from projections.audit.verify import verify_chain
from projections.disclosure.verify import verify

pages = Blueprint("desk_audit", __name__, url_prefix="/desk")
# The desk's answer to a browser: a refused access check is an error page or the sign-in page.
pages.after_request(as_page)

SHOWN_CHECKPOINTS = 30  # the newest; the rest are counted (the CLI and the API see them all)


@pages.get("/<org>/audit")
@rule(AUDIT)
def audit(org: str) -> ResponseReturnValue:
    with reading() as reader:
        name = require_org(reader, org)["name_zh"]
    return render_template("audit/audit.html", org=org, name=name, **audit_view(
        org, rebuild=request.args.get("rebuild") == "1"))


def audit_view(org: str, *, rebuild: bool) -> dict[str, Any]:
    """The chain's verification and its checkpoints, each published disclosure's bundle check,
    and (when asked) the rebuild of each from the events; each with the seconds it took."""
    ledger, view = services().ledger, services().views["audit"]
    storage = view.storage  # type: ignore[attr-defined]
    started = time.monotonic()
    services().wait_for(ledger.log_head())  # what is written is sealed before it is judged
    keys = known_keys(storage)
    chain = verify_chain(ledger, view, org=org, keys=keys)
    chain_seconds = time.monotonic() - started
    with view.sql() as sql:  # type: ignore[attr-defined]
        marks = checkpoints_of(sql, org)
    checkpoints = [{"position": m["payload"]["position"], "at": m["payload"]["at"],
                    "head": m["payload"]["head"], "reason": m["reason"].split(":")[0],
                    "signers": [(s.get("signer", ""), s.get("key", "")) for s in m["signatures"]],
                    "holds": signatures_hold(m, keys)} for m in reversed(marks)]
    started = time.monotonic()
    disclosures = [bundle_check(org, row) for row in services().disclosures.of_org(org)
                   if row["status"] in ("published", "archived")]
    bundle_seconds = time.monotonic() - started
    return {"chain": chain, "chain_seconds": chain_seconds, "keys": sorted(keys),
            "checkpoints": checkpoints[:SHOWN_CHECKPOINTS], "checkpoint_count": len(checkpoints),
            "disclosures": disclosures, "bundle_seconds": bundle_seconds,
            **(rebuilt(org) if rebuild else {"rebuild": None})}


def bundle_check(org: str, row: dict[str, Any]) -> dict[str, Any]:
    """One published disclosure's check file, checked as `python verify_bundle.py` checks it:
    the content's digest, its Merkle root, the signed checkpoint and the publication re-hashed
    into the signed head. None when whole, else the verifier's first complaint."""
    found = published(org, str(row["id"]))
    problem: str | None = None
    if found is None:
        problem = "not found"
    else:
        try:
            verify_bundle.check_bundle(bundle_of(found))
        except verify_bundle.Bad as bad:
            problem = str(bad)
        except (KeyError, TypeError, ValueError) as error:  # a bundle too broken to read
            problem = f"{type(error).__name__}: {error}"
    return {"id": str(row["id"]), "title": row["title"], "period": row.get("period"),
            "status": row["status"], "digest": row.get("digest"), "problem": problem}


def rebuilt(org: str) -> dict[str, Any]:
    """Every published disclosure rebuilt from event one and compared byte for byte, as
    `GET …/disclosures/verification` and `sunlight disclosures verify` do: slow on long books."""
    started = time.monotonic()
    findings = {f.disclosure: f for f in verify(services().ledger, org)}
    return {"rebuild": findings, "rebuild_seconds": time.monotonic() - started}
