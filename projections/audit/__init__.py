"""Tamper-evident history: the hash chain over the event log, its seals, the signed checkpoints,
and the verification that recomputes them (docs/verification.md)."""

from projections.audit.chain import GENESIS, MAGIC, Row, link, read_log
from projections.audit.checkpoints import (
    FORMAT,
    add_signature,
    checkpoint_at,
    checkpoints_of,
    payload,
)
from projections.audit.seals import positions_of
from projections.audit.view import AuditProjection, AuditView, org_head, seal

__all__ = ["FORMAT", "GENESIS", "MAGIC", "AuditProjection", "AuditView", "Row", "add_signature",
           "checkpoint_at", "checkpoints_of", "link", "org_head", "payload", "positions_of",
           "read_log", "seal"]
