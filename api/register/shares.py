"""The share register (股权登记簿): its classes, the one initial quantification, and the movements
after it, each taking from one holder what it gives another; read as it stood on any day, with
each holder's part of all shares.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import KEEP_BOOKS, READ_BOOKS, actor, rule
from api.common import page_from, paged, written
from api.common_schemas import ReadQuery, WriteQuery
from api.idempotency import request_key
from api.register.member_schemas import DateQuery
from api.register.members import register_reading
from api.register.share_schemas import (
    MovementIn,
    MovementOut,
    MovementPage,
    MovementQuery,
    QuantificationIn,
    RegisterOut,
    ShareClassIn,
    ShareClassList,
    ShareClassOut,
)
from api.services import services
from ledger.register import ShareRegister

blp = Blueprint("shares", __name__, url_prefix="/api/v1/orgs/<org>",
                description="股权登记簿: share classes, the initial quantification and every "
                            "movement after it; no movement creates or destroys a share.")


def _class(register: ShareRegister, code: str) -> dict[str, Any]:
    found = register.classes[code]
    return {"code": found.code, "name_zh": found.name_zh, "basis": found.basis,
            "per_person": found.per_person, "cap_percent": found.cap_percent}


@blp.route("/share-classes")
class ShareClasses(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, ShareClassList)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """The share classes, in the order they were defined"""
        with register_reading(query["after"], org) as reader:
            return {"items": reader.share_classes(org)}

    @rule(KEEP_BOOKS)
    @blp.arguments(ShareClassIn, example={"code": "population", "name_zh": "人口股",
                                          "basis": "per_person", "per_person": 10})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, ShareClassOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Define a share class, before the shares are quantified"""
        outcome = services().ledger.register.define_share_class(org, **data, actor=actor(),
                                                                request=request_key())
        return written(outcome, _class(outcome.value, data["code"]), 201, wait)


@blp.route("/shares/quantification")
class Quantification(MethodView):
    @rule(KEEP_BOOKS)
    @blp.arguments(QuantificationIn, example={
        "quantified_on": "2025-06-30", "resolution": "股改决〔2025〕1号",
        "resolution_date": "2025-06-28", "allocations": [
            {"holder": "household:001", "share_class": "population", "quantity": 30},
            {"holder": "org", "share_class": "collective", "quantity": 60}]})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, RegisterOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Quantify the shares (股份量化), once, as the members' meeting resolved; held per
        household or per person as the organization's share_holding setting says"""
        outcome = services().ledger.register.quantify_shares(
            org, on=data["quantified_on"], allocations=data["allocations"],
            resolution=data["resolution"], resolution_date=data["resolution_date"],
            actor=actor(), request=request_key())
        register: ShareRegister = outcome.value
        totals = register.totals()
        return written(outcome, {
            "on": None, "quantified_on": register.quantified_on, "holding": register.holding,
            "resolution": data["resolution"],
            "classes": [_class(register, code) for code in register.classes],
            "totals": totals, "grand_total": sum(totals.values())}, 201, wait)


@blp.route("/shares")
class Shares(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(DateQuery, location="query")
    @blp.response(200, RegisterOut)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """The register as it stood on a day: each holder's shares by class and its part of
        all shares, every movement dated that day or before counted, backdated ones too"""
        with register_reading(query["after"], org) as reader:
            return reader.register(org, on=query["on"])


@blp.route("/shares/movements")
class Movements(MethodView):
    @rule(READ_BOOKS)
    @blp.arguments(MovementQuery, location="query")
    @blp.response(200, MovementPage)
    def get(self, query: dict[str, Any], org: str) -> dict[str, Any]:
        """Share movements by the day they take effect, optionally of one holder or dates"""
        page = page_from(query)
        with register_reading(query["after"], org) as reader:
            rows, total = reader.movements(org, page=page, since=query["since"],
                                           until=query["until"], holder=query["holder"])
        return paged(rows, total, page)

    @rule(KEEP_BOOKS)
    @blp.arguments(MovementIn, example={
        "kind": "transfer", "on": "2026-03-01", "source": "household:001",
        "target": "household:002", "share_class": "labour", "quantity": 5,
        "basis": "股权转让协议 2026-01", "price": "1500.00"})
    @blp.arguments(WriteQuery, location="query", as_kwargs=True)
    @blp.response(201, MovementOut)
    def post(self, data: dict[str, Any], wait: bool, org: str) -> Any:
        """Move shares from one holder to another: a transfer, an inheritance, a buy-back, an
        allocation from the reserve or a return to it (target outside: a new outside holder)"""
        outcome = services().ledger.register.move_shares(org, **data, actor=actor(),
                                                         request=request_key())
        register: ShareRegister = outcome.value
        target = data["target"]
        if target == "outside":
            # The register numbers a new outside holder; the newest is this one.
            target = list(register.outside_names)[-1]
        return written(outcome, {**data, "target": target,
                                 "target_name": register.outside_names.get(target, "")},
                       201, wait)
