"""Disclosure (公开) to the villagers: disclosures drafted from the books, reviewed and signed by
the supervision committee, published and corrected; and villagers' questions (质询) on them."""

from ledger.disclosure.commands import VILLAGER, DisclosureCommands
from ledger.disclosure.disclosures import (
    ARCHIVED,
    CADENCES,
    DRAFTED,
    FROM_BOOKS,
    IN_REVIEW,
    KINDS,
    MATTER_KINDS,
    PUBLISHED,
    RETURNED,
    REVIEWED,
    SUPERSEDED,
    Disclosure,
    digest_of,
    majority,
    span_of,
)
from ledger.disclosure.errors import (
    DisclosureNotFound,
    DisclosureStateError,
    InvalidDisclosure,
    InvalidQuestion,
    NotOnPanel,
    QuestionStateError,
)
from ledger.disclosure.questions import MAX_NAME, MAX_TEXT, MIN_TEXT, Question, mask_name

__all__ = [
    "ARCHIVED",
    "CADENCES",
    "DRAFTED",
    "FROM_BOOKS",
    "IN_REVIEW",
    "KINDS",
    "MATTER_KINDS",
    "MAX_NAME",
    "MAX_TEXT",
    "MIN_TEXT",
    "PUBLISHED",
    "RETURNED",
    "REVIEWED",
    "SUPERSEDED",
    "VILLAGER",
    "Disclosure",
    "DisclosureCommands",
    "DisclosureNotFound",
    "DisclosureStateError",
    "InvalidDisclosure",
    "InvalidQuestion",
    "NotOnPanel",
    "Question",
    "QuestionStateError",
    "digest_of",
    "majority",
    "mask_name",
    "span_of",
]
