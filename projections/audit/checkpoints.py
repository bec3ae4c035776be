"""Signed checkpoints: a chain's head at a position, at a time, signed with the centre's key.

The sealer records one on an organization's chain at each published disclosure (its "at" the
publication's own time, so sealing again gives the same bytes and the same signature), and one
on the global chain and on each organization's chain that moved, every N minutes while events
arrive (SUNLIGHT_CHECKPOINT_MINUTES, default 60; "at" the time of signing). The payload signed is
canonical JSON {"format", "org", "position", "head", "at"}; org "" is the global chain. A
checkpoint already kept at a position is never replaced: it is the evidence.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from projections.audit import seals
from projections.audit.chain import at_text
from projections.db import Sql

FORMAT = "sunlight-checkpoint/1"
MINUTES_VARIABLE = "SUNLIGHT_CHECKPOINT_MINUTES"
DEFAULT_MINUTES = 60.0
INTERVAL = "interval"
CENTRE = "centre"


def payload(org: str, position: int, head: str, at: str) -> dict[str, Any]:
    """What a checkpoint's signatures cover (infra.signing.canonical of it)."""
    return {"format": FORMAT, "org": org, "position": int(position), "head": head, "at": at}


def interval_from_environ() -> timedelta:
    return timedelta(minutes=float(os.environ.get(MINUTES_VARIABLE) or DEFAULT_MINUTES))


@dataclass
class Checkpoints:
    """How the sealer signs: with which key, how often, by which clock."""

    key: Callable[[], Any]  # the centre's Ed25519 private key, read when first needed
    interval: timedelta = field(default_factory=interval_from_environ)
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _last_interval: str | None = None

    @classmethod
    def for_storage(cls, storage: Any) -> Checkpoints:
        from infra.signing import centre_key

        if storage is None:
            raise RuntimeError("the sealer was opened without its storage: it cannot sign")
        cached: list[Any] = []

        def key() -> Any:
            if not cached:
                cached.append(centre_key(storage))
            return cached[0]

        return cls(key=key)

    def record(self, sql: Sql, org: str, position: int, head: str, at: str,
               reason: str) -> bool:
        """Sign and keep a checkpoint, unless one is kept at this position already."""
        from infra.signing import sign

        if sql.execute("SELECT 1 FROM audit_checkpoints WHERE org = :org AND position = :position",
                       {"org": org, "position": position}).scalar() is not None:
            return False
        signature = sign(self.key(), payload(org, position, head, at), signer=CENTRE)
        sql.execute("INSERT INTO audit_checkpoints (org, position, head, at, reason, signatures) "
                    "VALUES (:org, :position, :head, :at, :reason, :signatures)",
                    {"org": org, "position": position, "head": head, "at": at,
                     "reason": reason, "signatures": json.dumps([signature])})
        return True

    def record_many(self, sql: Sql, marks: list[tuple[str, int, str, str, str]]) -> None:
        """A batch's checkpoints (org, position, head, at, reason), each signed, in one write;
        one kept already at its place is left as it is."""
        from infra.signing import sign

        if not marks:
            return
        kept = {(row["org"], int(row["position"])) for row in sql.execute(
            "SELECT org, position FROM audit_checkpoints WHERE position >= :lo AND "
            "position <= :hi", {"lo": min(m[1] for m in marks),
                                "hi": max(m[1] for m in marks)}).all()}
        key = self.key()
        sql.insert("audit_checkpoints", ("org", "position", "head", "at", "reason", "signatures"),
                   [(org, position, head, at, reason, json.dumps(
                       [sign(key, payload(org, position, head, at), signer=CENTRE)]))
                    for org, position, head, at, reason in marks if (org, position) not in kept])

    def on_interval(self, sql: Sql, position: int, head: str) -> None:
        """Every `interval`, while events arrive: the global head and each organization's head
        that moved since its last checkpoint."""
        if self._last_interval is None:
            self._last_interval = sql.execute(
                "SELECT MAX(at) FROM audit_checkpoints WHERE org = '' AND reason = :reason",
                {"reason": INTERVAL}).scalar() or ""
        now = self.now()
        if self._last_interval and now < _parse(self._last_interval) + self.interval:
            return
        at = at_text(now)
        self.record(sql, "", position, head, at, INTERVAL)
        signed = {row["org"]: int(row["position"]) for row in sql.execute(
            "SELECT org, MAX(position) AS position FROM audit_checkpoints GROUP BY org").all()}
        for org, (position, org_link) in seals.heads(sql).items():
            if position > signed.get(org, 0):
                self.record(sql, org, position, org_link.hex(), at, INTERVAL)
        self._last_interval = at


def _parse(at: str) -> datetime:
    return datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    return {"payload": payload(row["org"], row["position"], row["head"], row["at"]),
            "reason": row["reason"], "signatures": json.loads(row["signatures"])}


def checkpoint_at(sql: Sql, org: str, position: int) -> dict[str, Any] | None:
    """The checkpoint kept on `org`'s chain ("" global) at exactly `position`: its signed
    payload, its reason and its list of signatures."""
    row = sql.execute("SELECT org, position, head, at, reason, signatures FROM audit_checkpoints "
                      "WHERE org = :org AND position = :position",
                      {"org": org, "position": position}).one()
    return None if row is None else _entry(row)


def checkpoints_of(sql: Sql, org: str | None) -> list[dict[str, Any]]:
    """Every checkpoint of one chain ("" global), or of every chain (None), in position order."""
    where = "" if org is None else "WHERE org = :org "
    return [_entry(row) for row in sql.execute(
        "SELECT org, position, head, at, reason, signatures FROM audit_checkpoints "
        f"{where}ORDER BY position, org", {"org": org}).all()]


def checkpoints_in(sql: Sql, org: str | None, after: int, until: int) -> list[dict[str, Any]]:
    """The checkpoints of one chain ("" global), or of every chain (None), at positions after
    `after` up to `until`."""
    where = "" if org is None else " AND org = :org"
    return [_entry(row) for row in sql.execute(
        "SELECT org, position, head, at, reason, signatures FROM audit_checkpoints WHERE "
        f"position > :lo AND position <= :hi{where} ORDER BY position, org",
        {"org": org, "lo": after, "hi": until}).all()]


def add_signature(sql: Sql, org: str, position: int, entry: dict[str, str]) -> None:
    """A co-signature (a supervisor's, say) appended to a checkpoint's list; the same key
    signing twice replaces nothing and adds nothing."""
    kept = sql.execute("SELECT signatures FROM audit_checkpoints WHERE org = :org AND "
                       "position = :position", {"org": org, "position": position}).scalar()
    if kept is None:
        raise LookupError(f"no checkpoint on chain {org or '(global)'} at position {position}")
    signatures = json.loads(kept)
    if any(s.get("key") == entry.get("key") for s in signatures):
        return
    sql.execute("UPDATE audit_checkpoints SET signatures = :signatures WHERE org = :org AND "
                "position = :position", {"signatures": json.dumps([*signatures, entry]),
                                         "org": org, "position": position})


def signatures_hold(mark: dict[str, Any], keys: dict[str, bytes]) -> bool:
    """Every signature by a known key verifies, and at least one is by a known key."""
    from infra.signing import verify

    known = [s for s in mark["signatures"] if s.get("key") in keys]
    return bool(known) and all(verify(keys[s["key"]], mark["payload"], s) for s in known)


def known_keys(storage: Any) -> dict[str, bytes]:
    """The public keys whose signatures count, by fingerprint: the centre's, if it has one (read,
    never made here: a verification must not mint the key it checks against), and the keys kept
    for supervisors who co-signed (infra/cosigners.py)."""
    import base64

    from infra.cosigners import cosigner_keys
    from infra.signing import VARIABLE, centre_key, fingerprint, public_bytes

    found = {key: base64.b64decode(entry["public_key"])
             for key, entry in cosigner_keys(storage).items()}
    if os.environ.get(VARIABLE) or (storage.data_dir / "signing.key").exists():
        public = public_bytes(centre_key(storage))
        found[fingerprint(public)] = public
    return found


def kept_until(sql: Sql, position: int) -> list[dict[str, Any]]:
    """Every checkpoint at or before `position`, as stored (for a backup)."""
    return sql.execute("SELECT org, position, head, at, reason, signatures FROM "
                       "audit_checkpoints WHERE position <= :p ORDER BY position, org",
                       {"p": position}).all()


def keep(sql: Sql, rows: list[dict[str, Any]]) -> int:
    """Checkpoints from a backup kept again, before the sealer runs over the restored events
    (which it then checks against them); one kept already gains the signatures it lacks.
    Returns how many were kept."""
    for row in rows:
        kept = checkpoint_at(sql, row["org"], int(row["position"]))
        if kept is None:
            sql.execute("INSERT INTO audit_checkpoints (org, position, head, at, reason, "
                        "signatures) VALUES (:org, :position, :head, :at, :reason, :signatures)",
                        {key: row[key] for key in ("org", "position", "head", "at", "reason",
                                                   "signatures")})
            continue
        for entry in json.loads(row["signatures"]):
            add_signature(sql, row["org"], int(row["position"]), entry)
    return len(rows)

