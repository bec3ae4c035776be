"""`GET /api/v1/orgs/{org}/audit/verification`: the organization's hash chain recomputed from the
stored events and compared with its seals and signed checkpoints, for its auditors and
supervisors; and `GET /.well-known/sunlight-keys.json`: the keys whose signatures count, for
anyone (the fingerprint printed on the noticeboard sheet is the first 16 hex digits of
SHA-256 of a public key listed here).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from api.auth import PUBLIC, in_org, rule
from api.common import reading, require_org
from api.services import services
from infra.cosigners import cosigner_keys
from infra.signing import centre_key, key_entry, public_bytes
from projections.audit.checkpoints import known_keys
from projections.audit.verify import verify_chain

blp = Blueprint("audit", __name__, url_prefix="/api/v1/orgs/<org>/audit",
                description="Tamper-evident history: the organization's hash chain, verified "
                            "against its seals and signed checkpoints (docs/verification.md).")
pages = FlaskBlueprint("audit_keys", __name__)

AUDIT = in_org("auditor", "supervisor")


class FirstBadOut(Schema):
    position = fields.Integer(metadata={"description": "The first position of the event log "
                                                       "where history diverges."})
    kind = fields.String(metadata={
        "description": "How: altered, deleted, inserted, reordered, seal (a seal row changed "
                       "while the events are whole), rewritten (seals agree with the events but a "
                       "signed checkpoint does not), signature (a checkpoint's signature fails)."})
    detail = fields.String(metadata={"description": "The same, in a sentence."})


class VerificationOut(Schema):
    whole = fields.Boolean(metadata={"description": "True when every link, seal and signed "
                                                    "checkpoint of the chain agrees."})
    events = fields.Integer(metadata={"description": "The organization's events verified."})
    head = fields.String(metadata={"description": "The chain's head recomputed (SHA-256 hex) "
                                                  "up to the last event verified."})
    first_bad = fields.Nested(FirstBadOut, allow_none=True, metadata={
        "description": "Where and how history first diverges; null when whole."})
    checkpoints = fields.Integer(metadata={"description": "Signed checkpoints that agree."})


@blp.route("/verification")
class Verification(MethodView):
    @rule(AUDIT)
    @blp.response(200, VerificationOut)
    def get(self, org: str) -> dict[str, Any]:
        """Recompute this organization's hash chain and compare it with its seals and checkpoints"""
        with reading() as reader:
            require_org(reader, org)
        ledger, view = services().ledger, services().views["audit"]
        services().wait_for(ledger.log_head())  # what is written is sealed before it is judged
        return verify_chain(ledger, view, org=org,
                            keys=known_keys(view.storage)).as_dict()  # type: ignore[attr-defined]


@pages.route("/.well-known/sunlight-keys.json")
@rule(PUBLIC)
def sunlight_keys() -> dict[str, Any]:
    """The centre's public key, then the keys kept for supervisors who co-signed, as key_entry
    lists them."""
    storage = services().views["audit"].storage  # type: ignore[attr-defined]
    centre = [key_entry(public_bytes(centre_key(storage)), owner="centre")]
    return {"keys": centre + list(cosigner_keys(storage).values())}
