"""The HTTP edge of Sunlight Ledger: a Flask application factory with one blueprint per resource.

Routes parse with marshmallow, call one method of the ledger application or one query of the
read models, and serialize; the rules themselves live in `ledger/`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from flask import Flask, Response, g
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from api.errors import http_error, register_error_handlers
from api.fields import Amount, Month
from api.routes import accounts, meta, organizations, periods, reports, vouchers
from api.schemas.common import ErrorSchema
from api.services import Services
from ledger.storage import Storage, storage_from_environ
from projections.runner import create_tables, open_ledger, open_views


class LedgerApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        return http_error(error)


def create_app(storage: Storage | None = None, *, services: Services | None = None,
               clock: Callable[[], date] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        API_TITLE="Sunlight Ledger",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    # Chinese stays readable in JSON; keys stay sorted so the same figures give the same bytes.
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if services is None:
        storage = storage or storage_from_environ()
        if os.environ.get("SUNLIGHT_CREATE_TABLES", "y") != "n":
            create_tables(storage)
        options = {"clock": clock} if clock else {}
        services = Services(ledger=open_ledger(storage, **options), views=open_views(storage))
    app.extensions["sunlight"] = services

    api = LedgerApi(app)
    api.register_field(Amount, "string", None)
    api.register_field(Month, "string", None)
    for module in (organizations, accounts, vouchers, periods, reports, meta):
        api.register_blueprint(module.blp)
    app.register_blueprint(meta.pages)
    register_error_handlers(app)

    @app.after_request
    def _read_position(response: Response) -> Response:
        if "read_position" in g:
            response.headers["Sunlight-Read-Position"] = str(g.read_position)
        return response

    return app
