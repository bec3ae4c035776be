"""The HTTP edge of Sunlight Ledger: a Flask application factory with one blueprint per resource.

Routes parse with marshmallow, call one method of the ledger application or one query of the
read models, and serialize; the rules themselves live in `ledger/`.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response, g, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from api import (
    arguments,  # noqa: F401 - installs the parser every blueprint reads with
    desk,
    desk_format,
    meta,
)
from api.audit import desk as audit_desk
from api.audit import verification as audit
from api.auth import init_auth
from api.books import (
    accounts,
    desk_reports,
    desk_settings,
    desk_vouchers,
    organizations,
    periods,
    reports,
    voucher_sheets,
    vouchers,
)
from api.books import desk_account_close as books_chart_close  # noqa: F401 - desk_reports
from api.books import desk_accounts as books_chart  # noqa: F401 - attach to desk_reports
from api.books import desk_periods as books_desk  # noqa: F401 - its pages attach to desk_reports
from api.clean_input import init_clean_input
from api.common_schemas import ErrorSchema
from api.cooperative import desk as cooperative_desk
from api.disclosure import desk as disclosure_desk  # noqa: F401 - its pages attach to desk
from api.disclosure import (
    disclosures,
    public,
    public_bundle,  # noqa: F401 - its pages attach to public
)
from api.disclosure import public_lookup as household_lookup  # noqa: F401 - pages attach to public
from api.distribution import desk as distribution_desk
from api.distribution import routes as distributions
from api.errors import http_error, register_error_handlers
from api.fields import Amount, Month
from api.fresh_reads import init_fresh_reads
from api.i18n import init_i18n
from api.identity import admin_desk, signin, users
from api.json_body import LedgerJSONProvider, refuse_deep_json
from api.openapi import ErrorResponses
from api.public_errors import init_public_errors
from api.rate_limits import init_rate_limits
from api.register import desk as register_desk
from api.register import member_accounts, member_files, members, shares
from api.replica_reads import init_replica_reads, open_replicas
from api.services import Services
from api.sessions import WebSessionInterface
from api.spending import desk as spending_desk
from api.spending import desk_matters, matters, receipts, requests
from api.web_state import create_web_tables, open_web_state
from infra.keys import personal_data_cipher, session_key
from infra.storage import Storage, storage_from_environ
from projections.runner import create_tables, open_ledger, open_views


class LedgerApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        return http_error(error)


API_DESCRIPTION = (
    "The books of village collectives and farmers' cooperatives, kept as events. Amounts are "
    "decimal strings (\"1234.50\"). Every text is clean text: no control character (tab and "
    "line breaks only where a field spans lines) and no lone surrogate. That holds for the keys "
    "of a map as well, which OpenAPI 3.0 cannot state: a key that breaks it is refused with a "
    "reason beginning 键：.")


def create_app(storage: Storage | None = None, *, services: Services | None = None,
               **ledger_options: Any) -> Flask:
    """The web application. `ledger_options` (clock, now, passwords) are for tests."""
    app = Flask(__name__)
    _configure(app)
    storage = storage or storage_from_environ()
    app.secret_key = session_key(storage)
    app.extensions["sunlight_storage"] = storage  # the centre's key for bundles and the sheet
    services = _services(storage, services, ledger_options)
    app.extensions["sunlight"] = services
    # Sessions in the web state, so that ending one ends it on every worker and host.
    app.session_interface = WebSessionInterface(services.web)
    _register_parts(app)
    register_error_handlers(app)
    init_public_errors(app)
    init_rate_limits(app, services.web, storage)  # after the blueprints: it wraps their views
    app.before_request(_upload_limit)
    init_auth(app)
    app.before_request(refuse_deep_json)  # after the access check: strangers get their 401
    init_clean_input(app)
    init_fresh_reads(app)  # a signed-in read sees the writes before it
    init_replica_reads(app)  # last: a refused request waits for no replica

    @app.after_request
    def _read_position(response: Response) -> Response:
        if "read_position" in g:
            response.headers["Sunlight-Read-Position"] = str(g.read_position)
        return response

    return app


def _configure(app: Flask) -> None:
    app.config.update(
        API_TITLE="Sunlight Ledger",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": API_DESCRIPTION}},
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_NAME="sunlight_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SUNLIGHT_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
    )
    init_i18n(app)
    if os.environ.get("SUNLIGHT_BEHIND_PROXY") == "1":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.json = LedgerJSONProvider(app)
    # Chinese stays readable in JSON; keys stay sorted so the same figures give the same bytes.
    app.json.ensure_ascii = False  # type: ignore[attr-defined]


def _services(storage: Storage, services: Services | None,
              ledger_options: dict[str, Any]) -> Services:
    """The ledger, the read models and the web state of this process, opened once."""
    creates_tables = os.environ.get("SUNLIGHT_CREATE_TABLES", "y") != "n"
    if services is None:
        if creates_tables:
            create_tables(storage)
        ledger_options.setdefault("cipher", personal_data_cipher(storage))
        services = Services(ledger=open_ledger(storage, **ledger_options),
                            views=open_views(storage))
        open_replicas(storage, services)
    if services.web is None:
        if creates_tables:
            create_web_tables(storage)
        services.web = open_web_state(storage)
    return services


def _register_parts(app: Flask) -> None:
    """Each part's JSON API and pages, in one order (the OpenAPI document follows it)."""
    api = LedgerApi(app, spec_kwargs={"extra_plugins": [ErrorResponses()],
                                      "security": [{"bearer": []}]})
    api.spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "An API token (slt_…): sunlight tokens create, or POST users/me/tokens."})
    api.register_field(Amount, "string", None)
    api.register_field(Month, "string", None)
    for part in (organizations, accounts, vouchers, voucher_sheets, periods, reports,  # books
                 disclosures, users, matters, requests, receipts,  # disclosure, identity, spending
                 distributions,  # the year-end distribution
                 members, shares, member_accounts, member_files,  # the register
                 audit, meta):  # the hash chain's verification; the service itself
        api.register_blueprint(part.blp)
    # The disclosure desk's pages (imported above) attach to the desk's own blueprint.
    for page in (desk_format.formats,  # the filters every template may use
                 meta.pages, audit.pages, signin.pages, desk.pages, spending_desk.pages,
                 desk_matters.pages,
                 register_desk.pages,
                 desk_reports.pages, desk_vouchers.pages, distribution_desk.pages,
                 cooperative_desk.pages, audit_desk.pages, admin_desk.pages, desk_settings.pages,
                 public.pages):  # last: its /<org>/ addresses must not shadow anyone else's
        app.register_blueprint(page)


def _upload_limit() -> None:
    # Before the access check, which may read the form: a roll's sheet may be up to 5 MB, a
    # year of vouchers up to 16 MB.
    endpoint = request.endpoint or ""
    limit = member_files.UPLOAD_LIMITS.get(endpoint, voucher_sheets.UPLOAD_LIMITS.get(endpoint))
    if limit is not None:
        request.max_content_length = limit
