"""What disclosure refuses: disclosures out of turn or by someone not on the panel, and
questions."""

from __future__ import annotations

from ledger.kernel.errors import Conflict, InvalidCommand, NotFound


class InvalidDisclosure(InvalidCommand):
    """A disclosure command breaks a rule of the disclosure workflow."""

    code = "invalid_disclosure"


class DisclosureStateError(Conflict):
    """The disclosure's stage in its workflow forbids the command (e.g. it is published)."""

    code = "disclosure_state"


class NotOnPanel(Conflict):
    """Only the committee members the disclosure was submitted to may sign or refuse it."""

    code = "not_on_panel"


class DisclosureNotFound(NotFound):
    code = "disclosure_not_found"


class InvalidQuestion(InvalidCommand):
    code = "invalid_question"


class QuestionStateError(Conflict):
    code = "question_state"


class QuestionNotFound(NotFound):
    code = "question_not_found"
