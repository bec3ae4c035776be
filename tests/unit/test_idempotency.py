"""A request sent twice with the same Idempotency-Key is carried out once."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.books import Line, Organization, Period, UnbalancedVoucher, Voucher, VoucherDraft
from ledger.kernel.errors import IdempotencyKeyReused
from ledger.kernel.idempotency import IdempotencyKey, RequestKey


def sale(amount=500000):
    return VoucherDraft(date(2025, 1, 5), "收发包款",
                        (Line("102", debit=amount), Line("501", credit=amount)))


def test_the_same_request_twice_returns_the_first_result_and_writes_nothing(village):
    request = RequestKey("key-1", "digest-1")
    first = village.books.post_voucher("v1", sale(), actor="会计", request=request)
    head = village.log_head()

    again = village.books.post_voucher("v1", sale(), actor="会计", request=request)

    assert (first.replayed, again.replayed) == (False, True)
    assert (again.value.id, again.value.version) == (first.value.id, first.value.version)
    assert again.value.number == first.value.number == "2025-01-0001"
    # A replay cannot know its first write's position; the head is at or after it.
    assert again.position == head >= first.position
    assert village.log_head() == head
    assert village.books.of("v1").counters == {"2025-01": 1}


def test_the_key_is_recorded_in_the_same_write_as_the_commands_events(village):
    head = village.log_head()

    outcome = village.books.post_voucher("v1", sale(), actor="出纳",
                                         request=RequestKey("key-1", "digest-1"))

    events = [village.mapper.to_domain_event(n)
              for n in village.recorder.select_notifications(start=head + 1, limit=10)]
    assert [type(e).__qualname__ for e in events] == [
        "Books.VoucherEntered", "Voucher.Posted", "IdempotencyKey.Used"]
    used = events[-1]
    assert used.originator_id == IdempotencyKey.id_for("key-1")
    assert (used.key, used.digest, used.actor) == ("key-1", "digest-1", "出纳")
    assert (used.result_id, used.result_version) == (outcome.value.id, 1)
    assert outcome.position == village.log_head()


def test_the_same_key_with_a_different_request_is_refused_and_writes_nothing(village):
    village.books.post_voucher("v1", sale(), actor="会计", request=RequestKey("key-1", "digest-1"))
    head = village.log_head()

    with pytest.raises(IdempotencyKeyReused) as err:
        village.books.post_voucher("v1", sale(700), actor="会计",
                                   request=RequestKey("key-1", "digest-2"))
    assert err.value.field == "Idempotency-Key"
    assert village.log_head() == head


def test_a_refused_command_does_not_use_up_its_key(village):
    request = RequestKey("key-1", "digest-1")
    with pytest.raises(UnbalancedVoucher):
        village.books.post_voucher("v1", VoucherDraft(date(2025, 1, 5), "错",
                                                (Line("102", debit=2), Line("501", credit=1))),
                                   actor="会计", request=request)
    assert village.log_head() == 2

    outcome = village.books.post_voucher("v1", sale(), actor="会计", request=request)
    assert not outcome.replayed
    assert outcome.value.number == "2025-01-0001"


def test_different_keys_are_different_requests(village):
    first = village.books.post_voucher("v1", sale(), actor="会计", request=RequestKey("k1", "d"))
    second = village.books.post_voucher("v1", sale(), actor="会计", request=RequestKey("k2", "d"))
    assert not second.replayed
    assert (first.value.number, second.value.number) == ("2025-01-0001", "2025-01-0002")


def test_a_repeated_registration_returns_the_organization_instead_of_a_conflict(memory_ledger):
    request = RequestKey("reg-1", "digest-1")

    def register():
        return memory_ledger.books.register_organization(
            code="v1", name_zh="一村", kind="village_collective",
            books_start=date(2025, 1, 1), actor="会计", request=request)

    first = register()
    head = memory_ledger.log_head()
    again = register()

    assert again.replayed
    assert isinstance(again.value, Organization)
    assert (again.value.id, again.value.version) == (first.value.id, first.value.version)
    assert memory_ledger.log_head() == head


def test_a_repeated_reversal_returns_the_reversal_instead_of_already_reversed(village):
    village.books.post_voucher("v1", sale(), actor="会计")
    request = RequestKey("rev-1", "digest-1")

    def reverse():
        return village.books.reverse_voucher("v1", "2025-01-0001", on=date(2025, 1, 6),
                                             reason="记错", actor="会计", request=request)

    first = reverse()
    head = village.log_head()
    again = reverse()

    assert again.replayed
    assert isinstance(again.value, Voucher)
    assert (again.value.id, again.value.number, again.value.reverses) == (
        first.value.id, "2025-01-0002", "2025-01-0001")
    assert village.log_head() == head


def test_a_repeated_year_end_close_returns_the_closed_books_and_posts_nothing_twice(
    village, close_months
):
    village.books.post_voucher("v1", sale(), actor="会计")
    close_months(Period(2025, 1), Period(2025, 11))
    request = RequestKey("close-2025", "digest-1")

    first = village.books.close_year("v1", 2025, actor="会计", request=request)
    head = village.log_head()
    again = village.books.close_year("v1", 2025, actor="会计", request=request)

    assert again.replayed
    assert (again.value.id, again.value.version) == (first.value.id, first.value.version)
    assert again.value.closed_year == 2025
    assert village.log_head() == head


def test_a_replay_returns_the_result_as_it_was_even_after_later_changes(village):
    request = RequestKey("open-1", "digest-1")
    first = village.books.open_account("v1", parent="501", code="50101", name_zh="甲", actor="会计",
                                       request=request)
    village.books.open_account("v1", parent="501", code="50102", name_zh="乙", actor="会计")

    again = village.books.open_account("v1", parent="501", code="50101", name_zh="甲",
                                       actor="会计", request=request)

    assert again.replayed
    assert again.value.version == first.value.version
    assert "50102" not in again.value.accounts


def test_keys_are_shared_across_organizations(village):
    village.books.register_organization(code="v2", name_zh="二村", kind="village_collective",
                                        books_start=date(2025, 1, 1), actor="会计")
    village.books.post_voucher("v1", sale(), actor="会计", request=RequestKey("k", "post-v1"))
    with pytest.raises(IdempotencyKeyReused):
        village.books.post_voucher("v2", sale(), actor="会计", request=RequestKey("k", "post-v2"))


def test_keys_of_different_scopes_never_meet(village):
    first = village.books.post_voucher("v1", sale(), actor="会计",
                                       request=RequestKey("order-1", "digest-1", "wang|v1|POST v"))
    other = village.books.post_voucher("v1", sale(700), actor="会计",
                                       request=RequestKey("order-1", "digest-2", "li|v1|POST v"))
    assert not other.replayed and other.value.id != first.value.id


def test_a_retry_of_a_request_keyed_before_scopes_is_replayed(village):
    """Kept before keys were scoped: the same digest is the same method, path and body."""
    first = village.books.post_voucher("v1", sale(), actor="会计",
                                       request=RequestKey("order-1", "digest-1"))
    head = village.log_head()
    again = village.books.post_voucher("v1", sale(), actor="会计",
                                       request=RequestKey("order-1", "digest-1", "wang|v1|POST v"))
    assert again.replayed and again.value.id == first.value.id
    assert village.log_head() == head
    # A different request under the old key is simply another key now, told nothing.
    other = village.books.post_voucher("v1", sale(700), actor="会计",
                                       request=RequestKey("order-1", "digest-2", "li|v1|POST v"))
    assert not other.replayed


def test_a_key_kept_before_scopes_reads_with_an_empty_scope(village):
    from eventsourcing.persistence import StoredEvent

    state = (b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-11-01T08:00:00+00:00"},'
             b'"originator_topic":"ledger.idempotency:IdempotencyKey","actor":"a",'
             b'"request_id":"r","key":"k","digest":"d","result_id":{"_type_":"uuid_hex",'
             b'"_data_":"58fd3fc85ce75f14a98fea21d282dfb7"},"result_version":1}')
    stored = StoredEvent(originator_id=IdempotencyKey.id_for("k"), originator_version=1,
                         topic="ledger.idempotency:IdempotencyKey.Used", state=state)
    used = village.mapper.to_domain_event(stored)
    assert (used.key, used.digest, used.scope) == ("k", "d", "")
