"""The words of the administrator's desk page (机构与用户): what kinds, charts and roles are
called, and every refusal of its forms said in Chinese beside its field. Rule: the schema and the
ledger decide; this module only says what they decided, in the reader's language, and names the
field the refusal concerns (a conflict with no field of its own goes beside the field it is about).
"""

from __future__ import annotations

from api.disclosure.desk_forms import Problem
from api.forms import REQUIRED, FormRefused
from api.i18n import gettext as _
from api.i18n import lazy_gettext
from api.refusals import said
from ledger.books import InvalidOrganization, OrganizationExists
from ledger.identity import (
    EVERY_ORG,
    InvalidUser,
    RoleAlreadyHeld,
    RoleNotHeld,
    UserExists,
    UserNotFound,
)
from ledger.kernel.errors import LedgerError

KIND_LABELS = {"village_collective": lazy_gettext("Village collective"),
               "farmers_cooperative": lazy_gettext("Farmers' cooperative")}
CHART_LABELS = {"mof-2023-village": lazy_gettext("Village chart (Caikuai [2023] No. 14)"),
                "mof-2021-cooperative": lazy_gettext("Cooperative chart (Caikuai [2021] No. 37)"),
                "": lazy_gettext("No books here (members and member accounts only)")}
ROLE_LABELS = {"accountant": lazy_gettext("Accountant"),
               "committee": lazy_gettext("Committee member"),
               "supervisor": lazy_gettext("Supervisor"),
               "finance_lead": lazy_gettext("Finance lead"),
               "auditor": lazy_gettext("Auditor"),
               "admin": lazy_gettext("Centre administrator")}
LABELS = {"code": lazy_gettext("Organization code"), "name_zh": lazy_gettext("Chinese name"),
          "name_en": lazy_gettext("English name (optional)"),
          "kind": lazy_gettext("Kind of organization"),
          "chart": lazy_gettext("Chart of accounts"),
          "books_start": lazy_gettext("Books start on"), "login": lazy_gettext("Login name"),
          "display_name": lazy_gettext("Name"), "role": lazy_gettext("Role"),
          "org": lazy_gettext("Where"), "reason": lazy_gettext("Reason")}


def org_words(field: str, blank: bool) -> str:
    """What the registration form's field wants, for a blank or a refused value."""
    said_of = {
        "code": _("Give the organization a code.") if blank else _code_rule(),
        "name_zh": _("Give the organization's Chinese name.") if blank
        else _("A Chinese name of at most 100 characters."),
        "name_en": _("An English name of at most 100 characters."),
        "kind": _("Choose village collective or farmers' cooperative."),
        "chart": _chart_rule(),
        "books_start": _("The day the books start, such as 2025-01-01."),
    }
    return str(said_of.get(field, ""))


def user_words(field: str, blank: bool) -> str:
    said_of = {
        "login": _("Give a login name.") if blank else _login_rule(),
        "display_name": _("Give the person's name (at most 50 characters)."),
    }
    return str(said_of.get(field, ""))


def grant_words(field: str, blank: bool) -> str:
    said_of = {
        "login": _("Choose the user."),
        "role": _("Choose a role from the list."),
        "org": _("Choose an organization, or all organizations."),
        "reason": _("Say why (at most 200 characters): it is kept with the grant.") if blank
        else _("A reason of at most 200 characters."),
    }
    return str(said_of.get(field, ""))


WORDS = {"org": org_words, "user": user_words, "grant": grant_words, "revoke": grant_words}


def refused(form: str, refusal: FormRefused, anchor_form: str | None = None) -> Problem:
    """A field the schema refused, in Chinese beside it; `anchor_form` names the form on the
    page when several share one kind (a revocation per role held)."""
    field = refusal.field or ""
    words = WORDS[form](field, refusal.message == REQUIRED) or said(refusal)
    return _beside(anchor_form or form, field, words, anchor_form is None)


def problem(form: str, error: LedgerError, typed: dict[str, str],
            anchor_form: str | None = None) -> Problem:
    """The ledger's refusal, beside the field it names, in Chinese."""
    field = error.field or ""
    if isinstance(error, OrganizationExists):
        text = _("An organization with the code %(code)s is registered already; a code is "
                 "never used twice.", code=typed.get("code", ""))
    elif isinstance(error, InvalidOrganization) and "reserved" in error.message:
        text = _("%(code)s is a word the addresses use; choose another code.",
                 code=typed.get("code", ""))
    elif isinstance(error, InvalidOrganization) and field == "books_start":
        text = _("The books cannot start before 1980.")
    elif isinstance(error, InvalidOrganization) and field:
        text = org_words(field, blank=False)
    elif isinstance(error, UserExists):
        text = _("The login name %(login)s is taken; choose another.",
                 login=typed.get("login", ""))
    elif isinstance(error, UserNotFound):
        field, text = "login", _("There is no user %(login)s.", login=typed.get("login", ""))
    elif isinstance(error, (RoleAlreadyHeld, RoleNotHeld)):
        login = typed.get("login", "")
        field, text = "role", (_("%(login)s already holds this role there.", login=login)
                               if isinstance(error, RoleAlreadyHeld)
                               else _("%(login)s does not hold this role there.", login=login))
    elif isinstance(error, InvalidUser) and field == "org":
        text = _org_rule(error, typed)
    elif isinstance(error, InvalidUser) and field in ("login", "display_name"):
        text = user_words(field, blank=False)
    elif isinstance(error, InvalidUser) and field in ("role", "reason"):
        text = grant_words(field, blank=False)
    else:
        text = said(error)
    return _beside(anchor_form or form, field, text, anchor_form is None)


def _beside(name: str, field: str, text: str, own_fields: bool) -> Problem:
    """The refusal beside its field; a revocation's form is small, and is its own anchor."""
    return Problem(name, field, text, f"{name}-{field}-field" if field and own_fields else name)


def _org_rule(error: LedgerError, typed: dict[str, str]) -> str:
    role = str(ROLE_LABELS.get(typed.get("role", ""), typed.get("role", "")))
    if error.message.startswith("no organization"):
        return _("There is no organization %(org)s.", org=typed.get("org", ""))
    if typed.get("org") == EVERY_ORG:
        return _("%(role)s is granted in one organization; choose it.", role=role)
    return _("The centre administrator is granted for all organizations.")


def _code_rule() -> str:
    return _("2–40 lowercase letters, digits or hyphens, not starting or ending with a hyphen, "
             "such as dongshan.")


def _login_rule() -> str:
    return _("3–40 lowercase letters, digits, dots, hyphens or underscores, starting and "
             "ending with a letter or digit, such as wang.kuaiji.")


def _chart_rule() -> str:
    return _("A village keeps the village chart, a cooperative the cooperative chart; leave it "
             "at the kind's own.")
