"""A cooperative's reserve share over HTTP (2017 Law Art. 42–43), on the cooperative of
tests/application/test_cooperative_surplus.py: a share beyond the reserve there is to quantify
is 422 on `amount`, saying how much is left, and nothing is written."""

from __future__ import annotations

from flask import Flask

from ledger.application import Ledger
from tests.api.conftest import error_of
from tests.application.test_cooperative_surplus import COOP, cooperative, posted
from tests.conftest import Clock

R = f"/api/v1/orgs/{COOP}/member-accounts/0001/reserve-shares"


def test_a_share_beyond_the_reserve_is_422_on_amount_with_what_is_left(
        app: Flask, client, clock: Clock, log_head) -> None:
    ledger: Ledger = app.extensions["sunlight"].ledger
    cooperative(ledger, clock)
    ledger.identity.grant_role("wang", org=COOP, role="accountant", reason="会计", actor="admin")
    head = log_head()
    # The acceptance walk: 100,000.00 for 2025 while 322 盈余公积 is 0.00.
    response = client.post(R, json={"year": 2025, "amount": "100000.00"})
    assert response.status_code == 422, response.get_json()
    error = error_of(response)
    assert error["errors"][0]["field"] == "amount" and "at most 0 fen" in error["message"]
    assert error["context"] == {"left": 0, "drawn": 0, "quantified": 0}
    assert log_head() == head
    # Reserve brought over from before the books start here: up to it, and not a fen more.
    posted(ledger, "2025-01-02", "102", "322", 30_000)
    beyond = client.post(R, json={"year": 2024, "amount": "300.01"})
    assert (beyond.status_code, error_of(beyond)["context"]["left"]) == (422, 30_000)
    within = client.post(R, json={"year": 2024, "amount": "300.00"})
    assert within.status_code == 201, within.get_json()
    assert within.get_json()["reserve_share"] == "300.00"
