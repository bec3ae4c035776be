"""Organizations: register one, list them, read one."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import ADMIN, READ_BOOKS, SIGNED_IN, actor, principal, rule
from api.books.schemas import OrganizationIn, OrganizationOut, OrganizationPage
from api.common import page_from, paged, reading, require_org, written
from api.common_schemas import PageQuery, ReadQuery, WriteQuery
from api.idempotency import request_key
from api.presenters import organization_from_aggregate, organization_from_row
from api.services import services

blp = Blueprint("organizations", __name__, url_prefix="/api/v1/orgs",
                description="Village collectives and cooperatives whose books are kept here.")


@blp.route("")
class Organizations(MethodView):
    @rule(SIGNED_IN)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, OrganizationPage)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List the organizations whose books you may read"""
        page = page_from(query)
        with reading(query["after"]) as reader:
            rows, total = reader.organizations(page, only=principal().visible_orgs())
        return paged([organization_from_row(row) for row in rows], total, page)

    @rule(ADMIN)
    @blp.arguments(OrganizationIn)
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, OrganizationOut)
    def post(self, data: dict[str, Any], wait: bool) -> Any:
        """Register an organization and open its books (admin)"""
        outcome = services().ledger.books.register_organization(**data, actor=actor(),
                                                                request=request_key())
        return written(outcome, organization_from_aggregate(outcome.value), 201, wait)


@blp.route("/<org>")
class OneOrganization(MethodView):
    @rule(READ_BOOKS | ADMIN)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, OrganizationOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Read one organization"""
        with reading(query["after"]) as reader:
            return organization_from_row(require_org(reader, org))
