"""The chart of accounts of one organization: list it, open a sub-account, close an account."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.books.schemas import AccountCloseIn, AccountIn, AccountOut, AccountPage
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import PageQuery, WriteQuery
from api.idempotency import request_key
from api.presenters import account_from_books, account_from_row
from api.services import services

blp = Blueprint("accounts", __name__, url_prefix="/api/v1/orgs/<org>/accounts",
                description="科目: the chart's accounts and the sub-accounts opened under them.")


@blp.route("")
class Accounts(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, AccountPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """List the accounts, in code order"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            require_org(reader, org)
            rows, total = reader.accounts(org, page)
        return paged([account_from_row(row) for row in rows], total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(AccountIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, AccountOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Open a sub-account (明细科目) under an account that has not taken postings"""
        outcome = services().ledger.books.open_account(org, **data, actor=actor(),
                                                       request=request_key())
        return written(outcome, account_from_books(outcome.value, data["code"]), 201, wait)


@blp.route("/<code>/close")
class CloseAccount(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(AccountCloseIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(200, AccountOut)
    def post(self, data: dict[str, Any], wait: bool, org: str, code: str) -> Any:
        """Close an account (and its sub-accounts) to new postings; its balance must be zero"""
        outcome = services().ledger.books.close_account(org, code, **data, actor=actor(),
                                                        request=request_key())
        return written(outcome, account_from_books(outcome.value, code), 200, wait)
