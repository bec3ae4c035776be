"""A signed-in reader sees every write acknowledged before the read began.

A read by a signed-in user (the desk, an API token) that names no position (`?after=`,
`Sunlight-Position`) waits, briefly, for the read models to reach the event log's head as it
stood when the request began: a script that posts a voucher and then asks for the trial balance
sees the voucher without knowing about positions, whichever worker answers. Anonymous reads (the
villagers' public pages) do not wait: a page a moment behind is fine there, and a QR-scan peak
costs no query of the log's head. When the read models do not come within
`SUNLIGHT_FRESH_READ_SECONDS` (the projection process stopped, say), the read is answered as it
stands and `Sunlight-Read-Position` says which position it reflects; a reader who names a
position is refused instead (503), as before.
"""

from __future__ import annotations

import time

from flask import Flask, g, request

from api.auth import principal
from api.replica_reads import REPLICA_READS, requested_position
from api.services import services

# Endpoints that read no read model, or report how far behind the read models are: no waiting.
NOT_READS = frozenset({"static", "pages.health", "pages.docs"})
NOT_READ_PARTS = frozenset({"status"})


def wait_for_earlier_writes() -> None:
    service = services()
    if (request.method not in ("GET", "HEAD") or service.fresh_read_seconds <= 0
            or time.monotonic() < service.fresh_paused_until
            or request.endpoint is None or request.endpoint in NOT_READS
            or request.blueprint in NOT_READ_PARTS
            or principal().login is None or requested_position() is not None):
        return
    head = service.ledger.log_head()
    if (request.blueprint or "") in REPLICA_READS:
        g.head_at_start = head  # the routing waits for it, on a replica or on the primary
        return
    service.wait_fresh(head)


def init_fresh_reads(app: Flask) -> None:
    """After the access check (a stranger waits for nothing), before the replicas' routing."""
    app.before_request(wait_for_earlier_writes)
