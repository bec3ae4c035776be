"""The village's public pages (村务公开): without signing in, anyone sees a village's published
(or archived) disclosures and the questions its supervision committee screened visible — never an
asker's phone number, and the name only masked (张**).

Also here: the ask form, the QR code of the village page, and the printable noticeboard sheet.
The page data is prepared in api/pages/public_*.py; these routes parse, call, and render.

Downloads. `<ref>.json` is the published canonical content byte for byte, so its SHA-256 is the
disclosure's digest. `<ref>.csv` is a copy for spreadsheets (see api/pages/public_csv.py): what
is verified is always the .json; the CSV only points to it.
"""

from __future__ import annotations

import base64

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import NotFound, RequestEntityTooLarge, UnprocessableEntity

from api.auth import PUBLIC, csrf_token, form_out_of_date, principal, rule
from api.disclosure.deadlines import overdue_of
from api.disclosure.public_anchor import anchor_of
from api.disclosure.public_ask import (
    HONEYPOT,
    AskForm,
    challenge_for,
    field_message,
    ledger_message,
    unclean_form,
)
from api.disclosure.public_csv import csv_bytes
from api.disclosure.public_text import large_type, remember, text_switch_url
from api.disclosure.public_views import (
    Published,
    corrections,
    disclosure_questions,
    disclosure_view,
    organization,
    printable_url,
    public_url,
    published,
)
from api.disclosure.public_village import village_view
from api.errors import http_error
from api.i18n import DEFAULT_LOCALE, force_locale, gettext
from api.rate_limits import RateLimit, limited, minutes
from api.render.pdf import CJK_FONT_STACK, html_to_pdf
from api.render.qr import qr_png, qr_svg
from api.services import services
from ledger.disclosure import VILLAGER
from ledger.kernel.errors import LedgerError

_ = gettext
pages = Blueprint("public", __name__)
pages.after_request(remember)  # the large-type choice, when the reader made one


@pages.context_processor
def _text_size() -> dict[str, object]:
    return {"large_type": large_type(), "text_switch_url": text_switch_url}


QUESTION_WINDOW = 3600.0
QUESTIONS_PER_WINDOW = 5
SHEET_SIZES = ("A4", "A3")


def not_found() -> tuple[str, int]:
    return render_template("public/not_found.html"), 404


@pages.app_errorhandler(NotFound)
def _no_such_address(error: NotFound) -> tuple[str, int] | Response:
    """An address no route knows, opened in a browser (a mistyped village code, a link cut
    short on a phone), is the public 未找到 page in the reader's language, not the API's English
    JSON; a program (JSON or */*), anything under /api/ and a route's own 404 keep the JSON."""
    wants_page = request.accept_mimetypes.best_match(
        ["application/json", "text/html"]) == "text/html"
    if request.url_rule is None and wants_page and request.path.startswith("/desk/"):
        # The desk's own error page, under the desk's header: the village is there, the page
        # is not (the public 这里没有这个村 said otherwise).
        from api.desk import as_page
        return as_page(http_error(error))
    if request.url_rule is None and wants_page and not request.path.startswith("/api/"):
        # Outside the blueprint its context processor has not run: give the page its words.
        page = render_template("public/not_found.html", **_text_size())
        return page, 404
    return http_error(error)


def not_configured() -> tuple[str, int]:
    """A QR code download when no phone could open its address: see api/public_address.py."""
    return render_template("public/not_configured.html"), 409


def download(body: bytes, mimetype: str, filename: str, *, inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "inline" if inline else "attachment",
                         filename=filename)
    return response


# --- the village page ----------------------------------------------------------------------

@pages.get("/<org>/")
@rule(PUBLIC)
def village(org: str) -> str | tuple[str, int]:
    found = organization(org)
    if found is None:
        return not_found()
    return render_template("public/village.html", **village_view(org, found),
                           overdue=overdue_of(found, services().ledger.clock()))


# --- one disclosure and its questions ------------------------------------------------------

def disclosure_page(found: Published, form: AskForm, status: int = 200) -> Response:
    view = disclosure_view(found)
    questions = disclosure_questions(found)
    # Only a signed-in browser has a session to protect; anonymous visitors get no cookie.
    csrf = csrf_token() if principal().via == "session" else ""
    html = render_template(
        "public/disclosure.html", **view, corrections=corrections(found), questions=questions,
        form=form, csrf=csrf, honeypot=HONEYPOT, challenge=challenge_for(view["ref"]),
        asked=request.args.get("asked") == "1",
        json_url=url_for("public.disclosure_json", org=view["org"], ref=view["ref"]))
    return Response(html, status)


@pages.get("/<org>/disclosures/<ref>")
@rule(PUBLIC)
def disclosure(org: str, ref: str) -> Response | tuple[str, int]:
    found = published(org, ref)
    # ?line=5 (from a household's own line, 查我家的分红) opens the ask form on that line.
    line = request.args.get("line", "0")
    return disclosure_page(found, AskForm(line=line if line.isdigit() else "0")) \
        if found else not_found()


def _too_many_questions(wait: int) -> Response | tuple[str, int]:
    args = request.view_args or {}
    found = published(args.get("org", ""), args.get("ref", ""))
    if found is None:
        return not_found()
    return disclosure_page(found, AskForm.typed().with_errors(form=_(
        "Too many questions from this address; try again in %(minutes)s minutes.",
        minutes=minutes(wait))), 429)


# Every question asked counts, and so does a robot's form (the hidden field filled); a
# villager's miscount does not. Counted across every worker and host.
QUESTIONS_ASKED = RateLimit(
    QUESTIONS_PER_WINDOW, QUESTION_WINDOW, key=lambda: request.remote_addr or "",
    counts=lambda response: bool(g.get("question_counted")), refuse=_too_many_questions)


@pages.post("/<org>/disclosures/<ref>/questions")
@rule(PUBLIC)
@limited(QUESTIONS_ASKED)
def ask(org: str, ref: str) -> Response | tuple[str, int]:
    """Ask a question; every question is an event kept forever, hence the limit per address."""
    found = published(org, ref)
    if found is None:
        return not_found()
    form = AskForm.typed()
    checked = form.spam(found.row["id"])
    if checked.errors:
        if form.honeypot.strip():
            g.question_counted = True  # only robots fill the hidden field; a miscount is human
        return disclosure_page(found, checked, 422)
    line = form.line_number()
    if line is None:
        return disclosure_page(found, form.with_errors(line=str(field_message("line"))), 422)
    try:
        services().ledger.disclosure.ask_question(org, ref, line=line, text=form.text,
                                                  name=form.name,
                                                  phone=form.phone,
                                                  actor=principal().login or VILLAGER)
    except LedgerError as error:
        return disclosure_page(found, form.with_errors(**ledger_message(error)), 422)
    g.question_counted = True
    return redirect(url_for("public.disclosure", org=org, ref=ref, asked=1,
                                  _anchor="ask"), code=303)


@pages.errorhandler(CSRFError)
def form_out_of_date_page(error: CSRFError) -> Response | tuple[str, int]:
    """A signed-in visitor's question without the form's token (refused in api/auth.py): the
    page again, with what they typed and why it was not taken."""
    if request.endpoint != "public.ask":
        return form_out_of_date(error)
    args = request.view_args or {}
    asked_on = published(args.get("org", ""), args.get("ref", ""))
    if asked_on is None:
        return form_out_of_date(error)  # no page to show the form on: the refusal alone
    return disclosure_page(asked_on, AskForm.typed().with_errors(
        form=_("The form is out of date; reload the page.")), 403)


@pages.errorhandler(UnprocessableEntity)
def unclean_question_page(error: UnprocessableEntity) -> Response:
    """A question holding a NUL or another control character, refused before any route
    (api/clean_input.py): the page again, in the reader's language, the reason beside the field,
    nothing stored. Any other 422 here keeps the JSON refusal."""
    args = request.view_args or {}
    asked_on = (published(args.get("org", ""), args.get("ref", ""))
                if request.endpoint == "public.ask" else None)
    if asked_on is None:
        return http_error(error)
    messages = (getattr(error, "data", None) or {}).get("messages") or {}
    return disclosure_page(asked_on, unclean_form(messages), 422)


@pages.errorhandler(RequestEntityTooLarge)
def too_large_question_page(error: RequestEntityTooLarge) -> Response:
    """A question whose form is over the size limit (api/__init__.py, refused before any route
    reads it): the page again in the reader's language, with 413 and the reason above the form;
    what was typed cannot be shown back, as it was never read. Elsewhere the JSON refusal."""
    args = request.view_args or {}
    asked_on = (published(args.get("org", ""), args.get("ref", ""))
                if request.endpoint == "public.ask" else None)
    if asked_on is None:
        return http_error(error)
    return disclosure_page(asked_on, AskForm().with_errors(form=_(
        "The question was too long to send (a form may carry at most 2 MB); shorten it and "
        "send it again.")), 413)


# --- downloads -----------------------------------------------------------------------------

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


@pages.get("/<org>/disclosures/<ref>.csv")
@rule(PUBLIC)
def disclosure_csv(org: str, ref: str) -> Response | tuple[str, int]:
    found = published(org, ref)
    if found is None:
        return not_found()
    body = csv_bytes(disclosure_view(found),
                     public_url("public.disclosure_json", org=org, ref=ref))
    return download(body, "text/csv", f"{org}-{ref}.csv")


@pages.get("/<org>/qr.png")
@rule(PUBLIC)
def village_qr_png(org: str) -> Response | tuple[str, int]:
    if organization(org) is None:
        return not_found()
    if (url := printable_url("public.village", org=org)) is None:
        return not_configured()
    return download(qr_png(url), "image/png", f"{org}-qr.png")


@pages.get("/<org>/qr.svg")
@rule(PUBLIC)
def village_qr_svg(org: str) -> Response | tuple[str, int]:
    if organization(org) is None:
        return not_found()
    if (url := printable_url("public.village", org=org)) is None:
        return not_configured()
    return download(qr_svg(url), "image/svg+xml", f"{org}-qr.svg")


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
    # Outside the demo a loopback address is never printed: the sheet says it is not configured.
    page_url = printable_url("public.disclosure", org=org, ref=ref)
    anchor = anchor_of(found)
    # The chain head rides in the address's fragment: a phone still opens the page (a fragment
    # never reaches the server), and a photo of the code keeps the whole head, not 16 digits.
    payload = page_url and page_url + (f"#head={anchor['head']}" if anchor else "")
    qr = payload and base64.b64encode(qr_png(payload, scale=8)).decode("ascii")
    with force_locale(DEFAULT_LOCALE):  # whoever prints it, the board is read in Chinese
        html = render_template("public/sheet.html", **disclosure_view(found), size=size,
                               anchor=anchor,
                               font_stack=Markup(CJK_FONT_STACK),
                               page_url=page_url or url_for("public.disclosure", org=org,
                                                            ref=ref),
                               qr=qr and f"data:image/png;base64,{qr}")
    return download(html_to_pdf(html), "application/pdf", f"{org}-{ref}-{size}.pdf",
                    inline=True)
