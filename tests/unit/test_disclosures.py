"""The disclosure workflow as small stories: given a draft (and its review so far), when a
command, then the new events or the domain error. Quorum, refusal, supersede, and no change
after publication."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ledger.disclosure import (
    Disclosure,
    DisclosureStateError,
    InvalidDisclosure,
    NotOnPanel,
    digest_of,
    majority,
    span_of,
)

TODAY = date(2026, 11, 22)
CONTENT = '{"format":"sunlight-disclosure/1","lines":[{"no":1}]}'
PANEL = ["zhang", "liu", "chen"]


def drafted(**overrides: object) -> Disclosure:
    args = {"org": "v1", "kind": "income_expenditure", "period": "2026-10",
            "title": "2026年10月财务收支明细", "inputs": {}, "content": CONTENT, "position": 42,
            "actor": "kuaiji", "today": TODAY} | overrides
    disclosure = Disclosure.draft(**args)  # type: ignore[arg-type]
    disclosure.collect_events()
    return disclosure


def in_review(quorum_setting: int = 0, panel: list[str] | None = None) -> Disclosure:
    disclosure = drafted()
    disclosure.submit(panel=panel or PANEL, quorum_setting=quorum_setting, actor="kuaiji")
    disclosure.collect_events()
    return disclosure


def signed_by(*members: str) -> Disclosure:
    disclosure = in_review()
    for member in members:
        disclosure.sign(member=member, opinion="属实", line_notes={})
    disclosure.collect_events()
    return disclosure


def publish(disclosure: Disclosure, days: int = 5) -> None:
    disclosure.publish(posting_from=TODAY, posting_to=TODAY + timedelta(days=days - 1),
                       min_posting_days=5, objection_days=5, today=TODAY, actor="kuaiji")


def published() -> Disclosure:
    disclosure = signed_by("zhang", "liu")
    publish(disclosure)
    disclosure.collect_events()
    return disclosure


def test_a_draft_records_its_content_digest_and_position() -> None:
    disclosure = Disclosure.draft(org="v1", kind="balance_sheet", period="2026-Q3",
                                  title="资产负债表", inputs={}, content=CONTENT, position=7,
                                  actor="kuaiji", today=TODAY)
    [event] = disclosure.collect_events()
    assert isinstance(event, Disclosure.Drafted)
    assert event.digest == digest_of(CONTENT) and event.position == 7


@pytest.mark.parametrize("period", ["2026-11", "2026-Q4", "2026", "2026-13", "26-1", ""])
def test_a_draft_covers_a_period_that_has_ended(period: str) -> None:
    with pytest.raises(InvalidDisclosure) as error:
        drafted(period=period)
    assert error.value.field == "period"


def test_periods_span_months_quarters_and_years() -> None:
    assert span_of("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert span_of("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert span_of("2025") == (date(2025, 1, 1), date(2025, 12, 31))


def test_the_quorum_defaults_to_a_majority_of_the_committee() -> None:
    assert [majority(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 2, 3, 3]
    assert in_review().quorum == 2
    assert in_review(quorum_setting=3).quorum == 3


def test_the_accountant_who_drafted_it_is_never_on_its_panel() -> None:
    disclosure = in_review(panel=["kuaiji", "zhang"])
    assert disclosure.panel == ["zhang"] and disclosure.quorum == 1
    with pytest.raises(InvalidDisclosure):
        drafted().submit(panel=["kuaiji"], quorum_setting=0, actor="kuaiji")


def test_a_quorum_larger_than_the_committee_is_refused() -> None:
    with pytest.raises(InvalidDisclosure) as error:
        drafted().submit(panel=PANEL, quorum_setting=4, actor="kuaiji")
    assert error.value.context["members"] == 3


def test_it_cannot_be_published_without_the_quorum_of_signatures() -> None:
    disclosure = signed_by("zhang")
    with pytest.raises(DisclosureStateError):
        publish(disclosure)
    disclosure.sign(member="liu", opinion="", line_notes={})
    publish(disclosure)
    [*_, event] = disclosure.collect_events()
    assert isinstance(event, Disclosure.Published)
    assert event.signers == ["liu", "zhang"] and event.digest == digest_of(CONTENT)
    assert event.position == 42 and event.objection_until == TODAY + timedelta(days=9)


def test_a_draft_that_was_never_submitted_cannot_be_published() -> None:
    with pytest.raises(DisclosureStateError):
        publish(drafted())


def test_only_the_panel_signs_and_each_member_once() -> None:
    disclosure = signed_by("zhang")
    with pytest.raises(NotOnPanel):
        disclosure.sign(member="wang", opinion="", line_notes={})
    with pytest.raises(DisclosureStateError):
        disclosure.sign(member="zhang", opinion="", line_notes={})
    with pytest.raises(DisclosureStateError):
        disclosure.refuse(member="zhang", reason="改主意")


def test_a_refusal_needs_a_reason_and_sends_the_draft_back() -> None:
    disclosure = signed_by("zhang")
    with pytest.raises(InvalidDisclosure):
        disclosure.refuse(member="liu", reason=" ")
    disclosure.refuse(member="liu", reason="第3行金额与原始凭证不符")
    assert disclosure.status == "returned"
    with pytest.raises(DisclosureStateError):
        disclosure.sign(member="chen", opinion="", line_notes={})
    with pytest.raises(DisclosureStateError):
        publish(disclosure)


def test_a_returned_draft_is_superseded_never_edited() -> None:
    disclosure = signed_by("zhang")
    disclosure.refuse(member="liu", reason="不完整")
    replacement = drafted(supersedes=str(disclosure.id))
    disclosure.supersede(by=replacement.id, reason="", actor="kuaiji")
    assert disclosure.status == "superseded" and disclosure.content == CONTENT
    with pytest.raises(DisclosureStateError):
        disclosure.submit(panel=PANEL, quorum_setting=0, actor="kuaiji")


def test_posting_lasts_at_least_the_minimum_and_does_not_start_in_the_past() -> None:
    disclosure = signed_by("zhang", "liu")
    with pytest.raises(InvalidDisclosure) as short:
        publish(disclosure, days=4)
    assert short.value.field == "posting_to"
    with pytest.raises(InvalidDisclosure):
        disclosure.publish(posting_from=TODAY - timedelta(days=1), posting_to=TODAY + timedelta(
            days=10), min_posting_days=5, objection_days=5, today=TODAY, actor="kuaiji")


@pytest.mark.parametrize("command", [
    lambda d: d.sign(member="chen", opinion="", line_notes={}),
    lambda d: d.refuse(member="chen", reason="迟到的反对"),
    lambda d: d.submit(panel=PANEL, quorum_setting=0, actor="kuaiji"),
    lambda d: publish(d),
    lambda d: d.supersede(by=drafted().id, reason="", actor="kuaiji"),
])
def test_nothing_in_a_published_disclosure_changes(command) -> None:
    disclosure = published()
    before = (disclosure.content, disclosure.digest, disclosure.position,
              sorted(disclosure.signatures), disclosure.posting, disclosure.version)
    with pytest.raises(DisclosureStateError):
        command(disclosure)
    assert disclosure.collect_events() == []
    assert before == (disclosure.content, disclosure.digest, disclosure.position,
                      sorted(disclosure.signatures), disclosure.posting, disclosure.version)


def test_a_correction_is_a_new_disclosure_and_the_original_only_learns_of_it() -> None:
    original = published()
    correction = drafted(corrects=str(original.id), correction_reason="第2行经办人写错")
    original.mark_corrected(by=correction.id, reason="第2行经办人写错", actor="kuaiji")
    [event] = original.collect_events()
    assert isinstance(event, Disclosure.Corrected)
    assert original.status == "published" and original.content == CONTENT
    with pytest.raises(DisclosureStateError):
        original.mark_corrected(by=correction.id, reason="again", actor="kuaiji")
    with pytest.raises(InvalidDisclosure) as error:
        drafted(corrects=str(original.id))
    assert error.value.field == "correction_reason"


def test_a_draft_cannot_be_marked_corrected() -> None:
    with pytest.raises(DisclosureStateError):
        drafted().mark_corrected(by=drafted().id, reason="x", actor="kuaiji")


def test_archiving_waits_for_the_objection_window_to_close() -> None:
    disclosure = published()
    assert disclosure.objection_until == TODAY + timedelta(days=9)
    with pytest.raises(DisclosureStateError):
        disclosure.archive(today=TODAY + timedelta(days=9), actor="kuaiji")
    disclosure.archive(today=TODAY + timedelta(days=10), actor="kuaiji")
    assert disclosure.status == "archived" and disclosure.is_published


def test_a_note_on_a_line_the_content_does_not_have_is_refused():
    # Given a disclosure of one line in review
    disclosure = in_review()
    # When a member notes line 99, then nothing is signed and the field is named
    with pytest.raises(InvalidDisclosure) as refused:
        disclosure.sign(member="zhang", opinion="", line_notes={"99": "无此行"})
    assert refused.value.field == "line_notes" and "lines 1–1" in refused.value.message
    assert disclosure.collect_events() == []
    # while line "01", as typed, is line 1
    disclosure.sign(member="zhang", opinion="", line_notes={"01": "已核对"})
    (signed,) = disclosure.collect_events()
    assert signed.line_notes == {"1": "已核对"}


def test_a_disclosure_without_numbered_lines_takes_no_line_notes():
    disclosure = drafted(content='{"format":"sunlight-disclosure/1","body":"通知"}')
    disclosure.submit(panel=PANEL, quorum_setting=0, actor="kuaiji")
    with pytest.raises(InvalidDisclosure, match="no numbered lines"):
        disclosure.sign(member="zhang", opinion="", line_notes={"1": "看过"})
