"""The village's public pages (村务公开): without signing in, anyone sees a village's published
(or archived) disclosures and the questions its supervision committee screened visible — never an
asker's phone number, and the name only masked (张**).

Also here: the ask form, the QR code of the village page, and the printable noticeboard sheet.

Downloads. `<ref>.json` is the published canonical content byte for byte, so its SHA-256 is the
disclosure's digest. `<ref>.csv` is a copy for spreadsheets: UTF-8 with a byte-order mark (so
Excel reads the Chinese), a header row, one row per line of the form, then one empty row and
three trailing rows — the SHA-256 digest, the event-log position, and the address of the .json
the digest is of. What is verified is always the .json; the CSV only points to it.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from api.auth import PUBLIC, csrf_ok, csrf_token, principal, rule
from api.i18n import current_locale, gettext, lazy_gettext
from api.pages.charts import bar_chart, grouped, yuan
from api.pages.pdf import CJK_FONT_STACK, html_to_pdf
from api.pages.qr import qr_png, qr_svg
from api.routes.signin import Attempts
from api.services import services
from ledger.application import CHINA
from ledger.disclosing import VILLAGER
from ledger.errors import LedgerError
from ledger.money import AmountError, parse_fen
from ledger.questions import MAX_NAME, MAX_TEXT, MIN_TEXT
from projections.disclosures import is_overdue

_ = gettext
pages = Blueprint("public", __name__, template_folder="../templates")

QUESTION_WINDOW = 3600.0
QUESTIONS_PER_WINDOW = 5
HONEYPOT = "website"  # a field people never see; form-filling robots fill it in
SHEET_SIZES = ("A4", "A3")
PUBLIC_URL = "SUNLIGHT_PUBLIC_URL"

KINDS = {
    "income_expenditure": lazy_gettext("Income and expenditure"),
    "balance_sheet": lazy_gettext("Balance sheet"),
    "income_statement": lazy_gettext("Income statement"),
    "special": lazy_gettext("Special disclosure"),
}
STATUSES = {"published": lazy_gettext("On the noticeboard"),
            "archived": lazy_gettext("Archived")}
SIDES = {"income": lazy_gettext("Income"), "spending": lazy_gettext("Spending")}
# The second figure of each statement line, by kind: what the content names it, and its header.
SECOND_COLUMN = {"balance_sheet": ("start_of_year", lazy_gettext("Start of year")),
                 "income_statement": ("year_to_date", lazy_gettext("Year to date"))}
FIRST_COLUMN = {"balance_sheet": lazy_gettext("End of period"),
                "income_statement": lazy_gettext("This period")}
TOTALS = {"income": lazy_gettext("Total income"), "spending": lazy_gettext("Total spending"),
          "net": lazy_gettext("Income less spending"), "total": lazy_gettext("Total")}


# --- reading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    row: dict[str, Any]
    content: dict[str, Any]

    @property
    def lines(self) -> list[dict[str, Any]]:
        return self.content.get("lines", [])

    @property
    def is_statement(self) -> bool:
        return self.row["kind"] in SECOND_COLUMN


def published(org: str, ref: str) -> Published | None:
    row = services().disclosures.public_disclosure(org, ref)
    return Published(row, json.loads(row["content"])) if row else None


def organization(org: str) -> dict[str, Any] | None:
    with services().queries.read() as reader:
        return reader.organization(org)


def not_found() -> tuple[str, int]:
    return render_template("public/not_found.html"), 404


def local(thing: dict[str, Any], zh: str, en: str) -> str:
    """The English text when the reader chose English and the data has it; else the Chinese."""
    if current_locale() == "en" and thing.get(en):
        return str(thing[en])
    return str(thing.get(zh, ""))


def shown_amount(text: str) -> str:
    try:
        return yuan(parse_fen(text))
    except AmountError:
        return text


def fen_of(text: str) -> int:
    try:
        return parse_fen(text)
    except AmountError:
        return 0


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute address for printing and QR codes: under SUNLIGHT_PUBLIC_URL when the server
    sits behind a name the village knows, else under the address this request came to."""
    base = os.environ.get(PUBLIC_URL, "").strip() or request.url_root
    path = url_for(endpoint, **values)[len(request.script_root):]
    return base.rstrip("/") + path


def china_day(timestamp: str | None) -> str:
    """The date in China of an event's UTC timestamp: the day the village saw it happen, the
    same calendar as the ledger's asked-on and due dates."""
    if not timestamp:
        return ""
    return datetime.fromisoformat(timestamp).astimezone(CHINA).date().isoformat()


def display_names() -> dict[str, str]:
    return {user["login"]: user["display_name"] for user in services().identity.users()}


# --- what a disclosure shows ---------------------------------------------------------------

def line_changes(old: Iterable[dict[str, Any]],
                 new: Iterable[dict[str, Any]]) -> dict[str, list[Any]]:
    """Lines added, removed and changed in amount from `old` to `new`, matched by their ledger
    reference (voucher/line) where they have one, else by their key or number."""
    def key(line: dict[str, Any]) -> str:
        return str(line.get("ref") or line.get("key") or line.get("no"))

    before, after = {key(line): line for line in old}, {key(line): line for line in new}
    return {
        "added": [line for k, line in after.items() if k not in before],
        "removed": [line for k, line in before.items() if k not in after],
        "changed": [(before[k], line) for k, line in after.items()
                    if k in before and before[k].get("amount") != line.get("amount")],
    }


def _opinions(reviews: list[dict[str, Any]], names: dict[str, str]) -> dict[int, list[str]]:
    """Each line's notes by the signers, as "name: note"."""
    notes: dict[int, list[str]] = {}
    for review in reviews:
        if review["verdict"] != "signed":
            continue
        for number, note in sorted(review["line_notes"].items(), key=lambda kv: int(kv[0])):
            notes.setdefault(int(number), []).append(
                f"{names.get(review['member'], review['member'])}：{note}")
    return notes


def form_lines(found: Published, names: dict[str, str]) -> list[dict[str, Any]]:
    notes = _opinions(found.row.get("reviews", []), names)
    lines = []
    for line in found.lines:
        category = ""
        if "account" in line:
            category = f"{SIDES.get(line.get('side', ''), '')} · " + local(
                line["account"], "name_zh", "name_en")
        lines.append({**line, "category": category, "shown": shown_amount(line["amount"]),
                      "opinions": notes.get(int(line["no"]), [])})
    return lines


def statement_lines(found: Published) -> list[dict[str, Any]]:
    second = SECOND_COLUMN[found.row["kind"]][0]
    return [{**line, "item": local(line, "item", "item_en"), "shown": shown_amount(line["amount"]),
             "second": shown_amount(line.get(second, ""))} for line in found.lines]


def totals(content: dict[str, Any]) -> list[dict[str, str]]:
    return [{"label": str(TOTALS.get(name, name)), "shown": shown_amount(value["amount"]),
             "amount": value["amount"], "capital": value["amount_capital"]}
            for name, value in content.get("totals", {}).items()]


def disclosure_view(found: Published) -> dict[str, Any]:
    """Everything the page, the CSV and the sheet show of one published disclosure."""
    row, content = found.row, found.content
    names = display_names()
    view: dict[str, Any] = {
        "row": row, "content": content, "ref": row["id"],
        "org": row["org"], "org_name": local(content["org"], "name_zh", "name_en"),
        "kind": str(KINDS.get(row["kind"], row["kind"])),
        "status": str(STATUSES.get(row["status"], row["status"])),
        "period": content.get("period"),
        "statement": found.is_statement, "totals": totals(content),
        "signers": [names.get(login, login) for login in row["signers"]],
        "reviews": [{"name": names.get(r["member"], r["member"]), "opinion": r["opinion"]}
                    for r in row.get("reviews", []) if r["verdict"] == "signed" and r["opinion"]],
        "line_count": len(found.lines),
    }
    if found.is_statement:
        view["lines"] = statement_lines(found)
        view["first_header"] = str(FIRST_COLUMN[row["kind"]])
        view["second_header"] = str(SECOND_COLUMN[row["kind"]][1])
    else:
        view["lines"] = form_lines(found, names)
    return view


def corrections(found: Published) -> list[dict[str, Any]]:
    """The published disclosure this one corrects, and the one that corrected it, each with the
    reason and the lines that differ (from the older content to the newer). A correction still
    in draft is not shown: the public sees published content only."""
    row, shown = found.row, []
    if row["corrects"] and (older := published(row["org"], row["corrects"])):
        shown.append({"direction": "corrects", "other": older.row,
                      "reason": row["correction_reason"],
                      "changes": line_changes(older.lines, found.lines)})
    if row["corrected_by"] and (newer := published(row["org"], row["corrected_by"])):
        shown.append({"direction": "corrected_by", "other": newer.row,
                      "reason": newer.row["correction_reason"],
                      "changes": line_changes(found.lines, newer.lines)})
    return shown


def question_view(row: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """What the public sees of a question: never the phone, the name only as masked."""
    return {"id": row["id"], "disclosure": row["disclosure_id"],
            "title": titles.get(row["disclosure_id"], ""), "line": row["line_no"],
            "text": row["text"], "asker": row["asker"], "asked_on": row["asked_on"],
            "due": row["due"], "answer": row["answer"],
            "answered_on": china_day(row["answered_at"]), "answered_at": row["answered_at"] or "",
            "overdue": is_overdue(row, services().ledger.clock())}


# --- the village page ----------------------------------------------------------------------

def village_view(org: str, organization_row: dict[str, Any]) -> dict[str, Any]:
    rows = services().disclosures.published(org)
    public_ids = {row["id"] for row in rows}
    # A disclosure corrected by a published one no longer counts in the totals and charts.
    current = [row for row in rows if row["corrected_by"] not in public_ids]
    accounts = [(row, json.loads(row["content"])) for row in current
                if row["kind"] == "income_expenditure"]
    periods = [{"row": row, "totals": {name: shown_amount(value["amount"])
                                       for name, value in content.get("totals", {}).items()}}
               for row, content in accounts]
    charts: dict[str, Markup] = {}
    chart_source = None
    if accounts:
        row, content = accounts[0]
        for side, title in (("spending", _("Spending by category")),
                            ("income", _("Income by source"))):
            bars = grouped(((local(line["account"], "name_zh", "name_en"),
                             fen_of(line["amount"])) for line in content.get("lines", [])
                            if line.get("side") == side), other=_("Other"))
            if bars:
                charts[side] = Markup(bar_chart(bars, title=title, ident=f"chart-{side}"))
        chart_source = row
    titles = {row["id"]: row["title"] for row in rows}
    questions = [question_view(q, titles) for q in services().disclosures.questions(org)]
    return {
        "org": org, "org_name": local(organization_row, "name_zh", "name_en"),
        "disclosures": [{**row, "kind_label": str(KINDS.get(row["kind"], row["kind"])),
                         "status_label": str(STATUSES.get(row["status"], row["status"])),
                         "corrected": row["corrected_by"] in public_ids} for row in rows],
        "periods": periods, "charts": charts, "chart_source": chart_source,
        "open_questions": [q for q in questions if not q["answer"]],
        "answered_questions": sorted((q for q in questions if q["answer"]),
                                     key=lambda q: q["answered_at"], reverse=True),
        "village_url": public_url("public.village", org=org),
    }


@pages.get("/<org>/")
@rule(PUBLIC)
def village(org: str) -> str | tuple[str, int]:
    found = organization(org)
    if found is None:
        return not_found()
    return render_template("public/village.html", **village_view(org, found))


# --- one disclosure and its questions ------------------------------------------------------

@dataclass(frozen=True)
class AskForm:
    """The ask form as typed, kept to show again beside its errors."""

    line: str = "0"
    text: str = ""
    name: str = ""
    phone: str = ""
    challenge: str = ""
    honeypot: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def typed(cls) -> AskForm:
        form = request.form
        return cls(line=form.get("line", "0").strip(), text=form.get("text", ""),
                   name=form.get("name", ""), phone=form.get("phone", ""),
                   challenge=form.get("challenge", "").strip(),
                   honeypot=form.get(HONEYPOT, ""))

    def with_errors(self, **errors: str) -> AskForm:
        return replace(self, errors={**self.errors, **errors})

    def spam(self, line_count: int) -> AskForm:
        """The checks against robots: the hidden field stays empty, and the asker counted the
        lines of the table they are asking about."""
        if self.honeypot.strip():
            return self.with_errors(form=_("The form could not be accepted; reload the page "
                                           "and try again."))
        try:
            counted = int(self.challenge)
        except ValueError:
            counted = -1
        if counted != line_count:
            return self.with_errors(challenge=_("That is not the number of lines; count the "
                                                "rows of the table above."))
        return self

    def line_number(self) -> int | None:
        try:
            return int(self.line)
        except ValueError:
            return None


def field_message(name: str | None) -> str | None:
    """What to tell the asker about a field the ledger refused, in the reader's language."""
    if name == "phone" and services().ledger.cipher is None:
        return _("This server keeps no phone numbers; leave it empty.")
    return {
        "text": _("Write between %(min)s and %(max)s characters.", min=MIN_TEXT, max=MAX_TEXT),
        "line": _("Choose a line of the table, or the whole disclosure."),
        "name": _("At most %(max)s characters.", max=MAX_NAME),
        "phone": _("A phone number of digits, or leave it empty."),
    }.get(name or "")


def ledger_message(error: LedgerError) -> dict[str, str]:
    """A domain error as a message next to the form field it concerns; one that concerns no
    field we show goes above the form in the domain's own words."""
    message = field_message(error.field)
    return {error.field: message} if error.field and message else {"form": error.message}


def question_limiter() -> Attempts:
    # One per app (so each test's app starts afresh) and per worker process: with several
    # workers the limit is per worker, which still turns a flood into a trickle.
    limiter: Attempts = current_app.extensions.setdefault(
        "sunlight.public.questions", Attempts(QUESTION_WINDOW, QUESTIONS_PER_WINDOW))
    return limiter


def disclosure_page(found: Published, form: AskForm, status: int = 200,
                    headers: dict[str, str] | None = None) -> Response:
    view = disclosure_view(found)
    titles = {found.row["id"]: found.row["title"]}
    questions = [question_view(q, titles) for q in services().disclosures.questions(
        found.row["org"], disclosure=found.row["id"])]
    # Only a signed-in browser has a session to protect; anonymous visitors get no cookie.
    csrf = csrf_token() if principal().via == "session" else ""
    html = render_template(
        "public/disclosure.html", **view, corrections=corrections(found), questions=questions,
        form=form, csrf=csrf, honeypot=HONEYPOT, asked=request.args.get("asked") == "1",
        json_url=url_for("public.disclosure_json", org=view["org"], ref=view["ref"]))
    return Response(html, status, headers)


@pages.get("/<org>/disclosures/<ref>")
@rule(PUBLIC)
def disclosure(org: str, ref: str) -> Response | tuple[str, int]:
    found = published(org, ref)
    return disclosure_page(found, AskForm()) if found else not_found()


@pages.post("/<org>/disclosures/<ref>/questions")
@rule(PUBLIC)
def ask(org: str, ref: str) -> Response | tuple[str, int]:
    """Ask a question; every question is an event kept forever, hence the limit per address."""
    found = published(org, ref)
    if found is None:
        return not_found()
    form = AskForm.typed()
    if principal().via == "session" and not csrf_ok():
        return disclosure_page(found, form.with_errors(
            form=_("The form is out of date; reload the page.")), 403)
    limiter, client = question_limiter(), request.remote_addr or ""
    wait = limiter.wait_for(client)
    if wait:
        return disclosure_page(found, form.with_errors(form=_(
            "Too many questions from this address; try again in %(minutes)s minutes.",
            minutes=int(wait / 60) + 1)), 429, {"Retry-After": str(int(wait) + 1)})
    checked = form.spam(len(found.lines))
    if checked.errors:
        if form.honeypot.strip():
            limiter.failed(client)  # only robots fill the hidden field; a miscount is human
        return disclosure_page(found, checked, 422)
    line = form.line_number()
    if line is None:
        return disclosure_page(found, form.with_errors(line=str(field_message("line"))), 422)
    try:
        services().ledger.ask_question(org, ref, line=line, text=form.text, name=form.name,
                                       phone=form.phone, actor=principal().login or VILLAGER)
    except LedgerError as error:
        return disclosure_page(found, form.with_errors(**ledger_message(error)), 422)
    limiter.failed(client)  # counts the question asked (the limiter counts events per key)
    return redirect(url_for("public.disclosure", org=org, ref=ref, asked=1,
                                  _anchor="ask"), code=303)


# --- downloads -----------------------------------------------------------------------------

def download(body: bytes, mimetype: str, filename: str, *, inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "inline" if inline else "attachment",
                         filename=filename)
    return response


@pages.get("/<org>/disclosures/<ref>.json")
@rule(PUBLIC)
def disclosure_json(org: str, ref: str) -> Response | tuple[str, int]:
    found = published(org, ref)
    if found is None:
        return not_found()
    # The stored text exactly, never re-serialized: its SHA-256 is the published digest.
    response = download(found.row["content"].encode("utf-8"), "application/json",
                        f"{org}-{ref}.json")
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.set_etag(found.row["digest"])
    return response


def _cell(value: Any) -> str:
    # Spreadsheets run a cell starting with = + - @ as a formula; text cells are defused with a
    # leading apostrophe. Amounts stay numbers (a leading minus there is a sign).
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(view: dict[str, Any], json_url: str) -> list[list[str]]:
    if view["statement"]:
        rows = [[_("No."), _("Line item"), view["first_header"], view["second_header"]]]
        rows += [[str(line["no"]), _cell(line["item"]), line["amount"],
                  line.get(SECOND_COLUMN[view["row"]["kind"]][0], "")] for line in view["lines"]]
    else:
        rows = [[_("No."), _("Item"), _("Category"), _("Amount (yuan)"), _("Amount in words"),
                 _("Fund source"), _("Spending unit"), _("Person responsible"),
                 _("Reviewer's opinion")]]
        rows += [[str(line["no"]), _cell(line["item"]), _cell(line["category"]), line["amount"],
                  line["amount_capital"], _cell(line.get("fund_source", "")),
                  _cell(line.get("unit", "")), _cell(line.get("responsible", "")),
                  _cell("；".join(line["opinions"]))] for line in view["lines"]]
    rows.append([])
    rows.append([_("SHA-256 of the published .json"), view["row"]["digest"]])
    rows.append([_("Event-log position"), str(view["row"]["built_at_position"])])
    rows.append([_("The published .json"), json_url])
    return rows


@pages.get("/<org>/disclosures/<ref>.csv")
@rule(PUBLIC)
def disclosure_csv(org: str, ref: str) -> Response | tuple[str, int]:
    found = published(org, ref)
    if found is None:
        return not_found()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        csv_rows(disclosure_view(found), public_url("public.disclosure_json", org=org, ref=ref)))
    return download(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv",
                    f"{org}-{ref}.csv")


@pages.get("/<org>/qr.png")
@rule(PUBLIC)
def village_qr_png(org: str) -> Response | tuple[str, int]:
    if organization(org) is None:
        return not_found()
    return download(qr_png(public_url("public.village", org=org)), "image/png",
                    f"{org}-qr.png")


@pages.get("/<org>/qr.svg")
@rule(PUBLIC)
def village_qr_svg(org: str) -> Response | tuple[str, int]:
    if organization(org) is None:
        return not_found()
    return download(qr_svg(public_url("public.village", org=org)), "image/svg+xml",
                    f"{org}-qr.svg")


@pages.get("/<org>/disclosures/<ref>/sheet.pdf")
@rule(PUBLIC)
def sheet(org: str, ref: str) -> Response | tuple[str, int]:
    """The printable noticeboard sheet, always in Chinese: it hangs in the village."""
    found = published(org, ref)
    if found is None:
        return not_found()
    size = request.args.get("size", "A4").upper()
    if size not in SHEET_SIZES:
        abort(400, description=f"size is one of {', '.join(SHEET_SIZES)}")
    g.locale = "zh"  # whatever language the person printing reads, the board is Chinese
    page_url = public_url("public.disclosure", org=org, ref=ref)
    qr = base64.b64encode(qr_png(page_url, scale=8)).decode("ascii")
    html = render_template("public/sheet.html", **disclosure_view(found), size=size,
                           font_stack=Markup(CJK_FONT_STACK), page_url=page_url,
                           qr=f"data:image/png;base64,{qr}")
    return download(html_to_pdf(html), "application/pdf", f"{org}-{ref}-{size}.pdf",
                    inline=True)
