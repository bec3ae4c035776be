"""How the desk shows what it shows, in every template: times in Beijing time (the events keep
UTC), amounts grouped by thousands with two decimals, people by their names rather than their
logins, a disclosure period as a reader says it (2026年9月, 2026年第3季度, 2026年), and a
warning's text in the reader's language from its kind and what triggered it (the
event keeps the ledger's English sentence, which the desk no longer shows as it is). Also the
standard title of a disclosure, which the draft form follows while the title is the proposed one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint, g

from api.disclosure.desk_forms import default_title, titles
from api.i18n import _, current_locale
from api.services import services
from ledger.disclosure import InvalidDisclosure, parse_period
from ledger.kernel.clock import CHINA

formats = Blueprint("desk_format", __name__)


@formats.app_template_filter("beijing")
def beijing(timestamp: str | None, *, day: bool = False) -> str:
    """"2026-11-22T02:05:00+00:00" → "2026-11-22 10:05", the time the village saw it."""
    if not timestamp:
        return ""
    try:
        moment = datetime.fromisoformat(str(timestamp))
    except ValueError:
        return str(timestamp)
    if moment.tzinfo is None:  # every event time is UTC; a bare one is too
        moment = moment.replace(tzinfo=UTC)
    shown = moment.astimezone(CHINA)
    return shown.date().isoformat() if day else shown.strftime("%Y-%m-%d %H:%M")


@formats.app_template_filter("beijing_day")
def beijing_day(timestamp: str | None) -> str:
    return beijing(timestamp, day=True)


@formats.app_template_filter("money")
def money(amount: int | str | Decimal | None) -> str:
    """Fen (an int) or a decimal string ("1234.5") → "1,234.50"; anything else as it is."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(amount).scaleb(-2) if isinstance(amount, int) else Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    return f"{value:,.2f}"


@formats.app_template_filter("person")
def person(login: str | None) -> str:
    """A user's name as the centre registered it; the login only for someone not known."""
    if not login:
        return ""
    if "display_names" not in g:
        g.display_names = {u["login"]: u["display_name"] for u in services().identity.users()}
    return str(g.display_names.get(login) or login)


@formats.app_template_filter("signer")
def signer(name: str) -> str:
    """Who signed a checkpoint, as people say it: the centre's key as 农经站（中心密钥）, a
    supervisor's as 监委会成员 and their name; the stored id ("supervisor:zhao") is left for
    the element's title."""
    if name == "centre":
        return _("the township centre (its key)")
    kind, _sep, login = name.partition(":")
    if kind == "supervisor" and login:
        return _("supervisor %(name)s", name=person(login))
    return name


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


@formats.app_template_filter("period")
def period(label: str | None) -> str:
    """"2026-09" → "2026年9月", "2026-Q3" → "2026年第3季度", "2026" → "2026年" (in English
    "September 2026", "2026 Q3", "2026"); a label that names no period as it is."""
    try:
        parsed = parse_period(str(label or ""))
    except InvalidDisclosure:
        return str(label or "")
    year, month = parsed.start.year, parsed.start.month
    english = current_locale() == "en"
    if parsed.cadence == "month":
        return f"{MONTHS_EN[month - 1]} {year}" if english else f"{year}年{month}月"
    if parsed.cadence == "quarter":
        quarter = (month + 2) // 3
        return f"{year} Q{quarter}" if english else f"{year}年第{quarter}季度"
    return str(year) if english else f"{year}年"


@formats.app_template_global("warning_text")
def warning_text(warning: dict[str, Any]) -> str:
    """The warning's sentence in the reader's language, from its kind and its trigger."""
    t = warning.get("trigger") or {}
    kind = warning.get("kind")
    if kind == "cash_over_limit":
        return _("Cash on hand %(after)s is above the limit of %(limit)s.",
                 after=money(t.get("after")), limit=money(t.get("limit")))
    if kind == "cash_negative":
        return _("Cash on hand is %(after)s, below zero: money was paid out that the till did not "
                 "hold.", after=money(t.get("after")))
    if kind == "no_receipt" and not t.get("request"):  # a voucher the accountant posted
        return _("Voucher %(voucher)s pays %(amount)s for spending with no receipt attached "
                 "(白条).", voucher=t.get("voucher", ""), amount=money(t.get("amount")))
    if kind == "no_receipt":
        return _("%(request)s was paid with no receipt attached (白条).",
                 request=t.get("request", ""))
    if kind == "split_payment":
        return _("Payments to one payee or for one purpose within %(days)s days total "
                 "%(total)s, each at most %(threshold)s.", days=t.get("window_days", ""),
                 total=money(t.get("total")), threshold=money(t.get("threshold")))
    if kind == "spent_before_decision":
        return _("%(request)s paid for matter %(matter)s before it was decided.",
                 request=t.get("request", ""), matter=t.get("matter", ""))
    return str(warning.get("message", ""))


@formats.app_template_global("disclosure_titles")
def disclosure_titles(cooperative: bool = False) -> dict[str, str]:
    """Kind → the end of its standard title, for the draft form's script to follow."""
    return dict(titles(cooperative))


@formats.app_template_global("disclosure_title")
def disclosure_title(kind: str, period: str, stage: str = "", cooperative: bool = False) -> str:
    return default_title(kind, period, stage, cooperative)
