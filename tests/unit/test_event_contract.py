"""Stored events name their class by topic and carry their fields as JSON for thirty years: a
renamed event class or a changed field would make old events unreadable. This test pins both.

If a change is intended, give the event `class_version = N` and an `upcast_vN-1_vN`, register
the old topic with `eventsourcing.utils.register_topic` on a rename, test reading an old event,
then regenerate the file with `UPDATE_EVENT_CONTRACT=1 pytest tests/unit/test_event_contract.py`.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from eventsourcing.utils import get_topic, resolve_topic

from ledger.books import (
    books,
    numbering,
    organizations,
    red_flags,
    sheet_imports,
    voucher_templates,
    vouchers,
)
from ledger.disclosure import disclosures, questions
from ledger.distribution import distributions
from ledger.identity import tokens, users
from ledger.kernel import idempotency
from ledger.kernel.aggregate import LedgerAggregate
from ledger.register import member_accounts, members, shares, trades
from ledger.spending import grants, matters, payments, receipts
from ledger.spending import spending_requests as spending

CONTRACT = Path(__file__).with_name("event_contract.json")
BASE = {f.name for f in dataclasses.fields(LedgerAggregate.Created)}


def current_contract() -> dict[str, dict[str, object]]:
    contract: dict[str, dict[str, object]] = {}
    for module in (organizations, books, vouchers, idempotency, users, tokens, disclosures,
                   questions, numbering, matters, spending, receipts, grants, payments,
                   red_flags, members, shares, member_accounts, trades, voucher_templates,
                   distributions, sheet_imports):
        for aggregate in vars(module).values():
            if not (isinstance(aggregate, type) and issubclass(aggregate, LedgerAggregate)
                    and aggregate is not LedgerAggregate):
                continue
            for name, event in vars(aggregate).items():
                if name in ("Event", "Created") or not (
                        isinstance(event, type) and issubclass(event, LedgerAggregate.Event)):
                    continue
                fields = {f.name: str(f.type) for f in dataclasses.fields(event)
                          if f.name not in BASE | {"originator_topic"}}
                contract[get_topic(event)] = {
                    "class_version": getattr(event, "class_version", 1), "fields": fields}
    return dict(sorted(contract.items()))


def test_event_topics_and_fields_are_unchanged():
    current = current_contract()
    if os.environ.get("UPDATE_EVENT_CONTRACT") == "1":
        CONTRACT.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")
    pinned = json.loads(CONTRACT.read_text())
    assert current == pinned, (
        "an event class or its fields changed: stored events would no longer read; "
        "see this module's docstring")


def test_every_pinned_topic_still_resolves_to_an_event_class():
    for topic in json.loads(CONTRACT.read_text()):
        assert issubclass(resolve_topic(topic), LedgerAggregate.Event), topic


def test_every_event_records_who_in_which_request_and_when():
    for topic in current_contract():
        names = {f.name for f in dataclasses.fields(resolve_topic(topic))}
        assert {"actor", "request_id", "timestamp"} <= names, topic
