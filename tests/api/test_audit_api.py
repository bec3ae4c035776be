"""An auditor verifies their village's hash chain over the API, and anyone reads the keys that sign
its checkpoints at /.well-known/sunlight-keys.json."""

from __future__ import annotations

import base64

from infra.cosigners import cosigner_key
from infra.signing import ALGORITHM, centre_key, fingerprint, public_bytes
from projections.audit import seals
from tests.api.conftest import make_user, signed_in, voucher


def test_an_auditor_verifies_the_villages_chain(app, client, org, project):
    # Given a village with vouchers, sealed
    for day in ("2025-01-05", "2025-01-06"):
        assert client.post(f"/api/v1/orgs/{org}/vouchers", json=voucher(day)).status_code == 201
    auditor = signed_in(app, make_user(app, "auditor-li", (org, "auditor")))
    project()
    # When the auditor asks for the verification
    response = auditor.get(f"/api/v1/orgs/{org}/audit/verification")
    # Then the chain is whole, and its head is the organization's newest seal
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    view = app.extensions["sunlight"].views["audit"]
    with view.sql() as sql:
        village = seals.every(sql, org)
    assert body == {"whole": True, "events": len(village), "head": village[-1][2],
                    "first_bad": None, "checkpoints": body["checkpoints"]}
    assert body["checkpoints"] >= 1  # the first batch sealed signs the village's head


def test_an_altered_seal_is_reported_with_its_position(app, client, org, project):
    auditor = signed_in(app, make_user(app, "auditor-li", (org, "auditor")))
    project()
    view = app.extensions["sunlight"].views["audit"]
    with view.sql(commit=True) as sql:
        # The village's newest seal overwritten in its block
        block = sql.execute("SELECT first, links FROM audit_seal_blocks WHERE chain = :o ORDER "
                            "BY first DESC LIMIT 1", {"o": org}).one()
        position = seals.every(sql, org)[-1][1]
        sql.execute("UPDATE audit_seal_blocks SET links = :l WHERE chain = :o AND first = :f",
                    {"l": block["links"][:-64] + "00" * 32, "o": org, "f": block["first"]})
    body = auditor.get(f"/api/v1/orgs/{org}/audit/verification").get_json()
    assert body["whole"] is False
    assert body["first_bad"]["position"] == position
    assert body["first_bad"]["kind"] in {"seal", "altered"}


def test_the_centres_key_is_published_without_signing_in(app, client, org, project, storage):
    project()  # the sealer signs, so the centre has its key
    cosigner_key(storage, "jiandu")  # and a supervisor has co-signed once
    response = app.test_client().get("/.well-known/sunlight-keys.json")
    assert response.status_code == 200
    centre, supervisor = response.get_json()["keys"]
    for entry in (centre, supervisor):
        public = base64.b64decode(entry["public_key"])
        assert entry == {"id": fingerprint(public), "algorithm": ALGORITHM,
                         "owner": entry["owner"], "public_key": entry["public_key"]}
    assert (centre["owner"], supervisor["owner"]) == ("centre", "supervisor:jiandu")
    assert base64.b64decode(centre["public_key"]) == public_bytes(centre_key(storage))
