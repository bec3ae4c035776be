"""The organization's local rules on the desk (/desk/<org>/settings, 本机构规则设置): every rule,
grouped as an accountant names them, with what it means, its value and whether it is the
default; for the centre administrator the same page is the form that changes them.

Rule: the form is read through the JSON route's own schema (SettingsIn) and only the rules it
changed go to the one ledger command PUT …/settings calls (books.change_settings), with the
reason; a refusal is said in Chinese beside its field, with what was typed kept and nothing
written. The page reads the organization itself, as the JSON route does, so a change shows at once.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from api.auth import ADMIN, READ_BOOKS, actor, principal, rule
from api.books import settings_values as values
from api.books import settings_words as words
from api.desk import as_page
from api.disclosure.desk_forms import Problem, form_key
from api.disclosure.settings_schemas import SettingsIn
from api.errors import status_of
from api.forms import FormRefused, load_form
from api.i18n import gettext as _
from api.services import services
from ledger.books import default_settings
from ledger.kernel.errors import LedgerError

pages = Blueprint("desk_settings", __name__, url_prefix="/desk")
pages.after_request(as_page)
COOPERATIVE = "farmers_cooperative"


@pages.get("/<org>/settings")
@rule(READ_BOOKS | ADMIN)
def settings(org: str) -> ResponseReturnValue:
    return _page(org)


@pages.post("/<org>/settings")
@rule(ADMIN)
def change(org: str) -> ResponseReturnValue:
    organization = services().ledger.books.organization(org)
    current = dict(organization.settings)
    names = _shown_names(organization.kind)
    try:
        loaded = load_form(SettingsIn(), request.form,
                           extra={**values.cleared(request.form, names, current),
                                  **values.listed(request.form, names)})
    except FormRefused as refusal:
        return _page(org, problem=words.refused(refusal), status=422)
    changed = {name: value for name, value in values.changes(loaded, current).items()
               if name in names}
    if not changed:
        return _page(org, problem=words.nothing_changed(), status=422)
    try:
        outcome = services().ledger.books.change_settings(
            org, changed, reason=loaded["reason"], actor=actor(), request=form_key())
    except LedgerError as error:
        return _page(org, problem=words.problem(error), status=status_of(error))
    return redirect(url_for("desk_settings.settings", org=org, done="changed",
                            after=outcome.position, changed=list(changed),
                            was=[values.typed(name, current[name]) for name in changed]),
                    code=303)


def _shown_names(kind: str) -> list[str]:
    """The rules this kind of organization has on the page: a village's share rules only for a
    village, the cooperative's group only for a cooperative."""
    cooperative = kind == COOPERATIVE
    return [name for group, _label, names in words.GROUPS
            if group != "cooperative" or cooperative
            for name in names if not (cooperative and name in words.VILLAGE_ONLY)]


def _groups(kind: str, current: dict[str, Any], typed: dict[str, str] | None,
            ) -> list[dict[str, Any]]:
    defaults = default_settings(kind)
    shown = set(_shown_names(kind))
    groups = []
    for group, label, names in words.GROUPS:
        rows = [{"name": name, "label": words.LABELS[name], "explain": words.EXPLAIN[name],
                 "value": values.shown(name, current[name]),
                 "default": current[name] == defaults[name], "kind": words.kind(name),
                 "choices": values.CHOICES.get(name, {}),
                 "boxes": values.CODES.get(name, {}),
                 "typed": typed[name] if typed is not None else values.typed(name,
                                                                            current[name])}
                for name in names if name in shown]
        if rows:
            groups.append({"id": group, "label": label, "rows": rows})
    return groups


def _page(org: str, *, problem: Problem | None = None, status: int = 200,
          ) -> tuple[str, int]:
    organization = services().ledger.books.organization(org)
    current = dict(organization.settings)
    # A refused form shows what was typed; the page otherwise shows the rules as they are.
    typed = ({name: request.form.get(name, "")[:200] for name in current}
             | values.listed(request.form, list(current)) if problem else None)
    page = render_template(
        "books/settings.html", org=org, name=organization.name_zh,
        groups=_groups(organization.kind, current, typed), problem=problem,
        can_change=principal().is_admin, notice=_notice(current),
        reason=request.form.get("reason", "")[:500] if problem else "",
        key=uuid.uuid4().hex, field_labels=words.LABELS)
    return page, status


def _notice(current: dict[str, Any]) -> str | None:
    """What the last change did, after its redirect: each rule, from what it was to what it is."""
    if request.args.get("done") != "changed":
        return None
    names = [n for n in request.args.getlist("changed") if n in current][:40]
    was = dict(zip(names, request.args.getlist("was"), strict=False))
    return _("Changed: %(changes)s", changes=values.change_words(words.LABELS, was, current))
