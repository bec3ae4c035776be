"""Every endpoint × every role × own village / other village / no login, generated from the app's
URL map: an endpoint added without an entry in EXPECTED fails here, and so does any endpoint whose
check is removed (proved below by removing each check in turn)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from api.auth import PUBLIC, Rule, rule_for
from infra.storage import Storage
from tests.api.conftest import FAST_HASHER, make_user, signed_in
from tests.conftest import Clock

OWN, OTHER = "va", "vb"

# Who may call each endpoint, in words the test decides on its own (not read from the app):
#   public      anyone, signed in or not
#   signed_in   any signed-in user
#   admin       the centre's admin
#   read_books  accountant, committee, supervisor, finance lead or auditor of that village
#   keep_books  the accountant of that village
#   read_org    read_books, or the admin
#   roles       the admin, or an auditor of that village
#   review      a supervisor (supervision committee member) of that village
#   answer      the accountant or a committee member of that village
#   audit       an auditor or a supervisor of that village
#   decide      the accountant or a committee member of that village (matters and meetings)
#   ask         the accountant, a committee member or the finance lead of that village
#   approve     the finance lead, a committee member or a supervisor of that village
#   acknowledge the accountant, a committee member or a supervisor of that village
EXPECTED: dict[tuple[str, str], str] = {
    ("static", "GET"): "public",
    ("pages.index", "GET"): "public",
    ("pages.docs", "GET"): "public",
    ("pages.health", "GET"): "public",
    ("pages.favicon", "GET"): "public",
    ("api-docs.openapi_json", "GET"): "public",
    ("signin.login", "GET"): "public",
    ("signin.login", "POST"): "public",
    ("signin.logout", "POST"): "public",
    ("status.Status", "GET"): "admin",
    ("organizations.Organizations", "GET"): "signed_in",
    ("organizations.Organizations", "POST"): "admin",
    ("organizations.OneOrganization", "GET"): "read_org",
    ("accounts.Accounts", "GET"): "read_books",
    ("accounts.Accounts", "POST"): "keep_books",
    ("accounts.CloseAccount", "POST"): "keep_books",
    ("vouchers.Vouchers", "GET"): "read_books",
    ("vouchers.Vouchers", "POST"): "keep_books",
    ("vouchers.OneVoucher", "GET"): "read_books",
    ("vouchers.Reversal", "POST"): "keep_books",
    ("voucher_sheets.Export", "GET"): "read_books",
    ("voucher_sheets.Import", "POST"): "keep_books",
    ("periods.Periods", "GET"): "read_books",
    ("periods.ClosePeriod", "POST"): "keep_books",
    ("periods.CloseYear", "POST"): "keep_books",
    ("periods.ClosingPreview", "GET"): "read_books",
    ("reports.TrialBalance", "GET"): "read_books",
    ("reports.DetailLedger", "GET"): "read_books",
    ("reports.BalanceSheet", "GET"): "read_books",
    ("reports.IncomeStatement", "GET"): "read_books",
    ("reports.EquityChanges", "GET"): "read_books",
    ("identity.Users", "GET"): "admin",
    ("identity.Users", "POST"): "admin",
    ("identity.Me", "GET"): "signed_in",
    ("identity.Password", "POST"): "signed_in",
    ("identity.Tokens", "GET"): "signed_in",
    ("identity.Tokens", "POST"): "signed_in",
    ("identity.RevokeToken", "POST"): "signed_in",
    ("identity.Roles", "GET"): "roles",
    ("identity.Roles", "POST"): "admin",
    ("identity.RevokeRole", "POST"): "admin",
    ("disclosures.Disclosures", "GET"): "read_books",
    ("disclosures.Disclosures", "POST"): "keep_books",
    ("disclosures.OneDisclosure", "GET"): "read_books",
    ("disclosures.Submit", "POST"): "keep_books",
    ("disclosures.Sign", "POST"): "review",
    ("disclosures.Refuse", "POST"): "review",
    ("disclosures.Publish", "POST"): "keep_books",
    ("disclosures.Archive", "POST"): "keep_books",
    ("disclosures.VerifyAll", "GET"): "audit",
    ("disclosures.VerifyOne", "GET"): "audit",
    ("audit.Verification", "GET"): "audit",
    ("desk_audit.audit", "GET"): "audit",
    ("audit_keys.sunlight_keys", "GET"): "public",
    ("disclosures.Questions", "GET"): "read_books",
    ("disclosures.Screen", "POST"): "review",
    ("disclosures.Answer", "POST"): "answer",
    ("disclosures.Settings", "GET"): "read_org",
    ("disclosures.Settings", "PUT"): "admin",
    ("desk.index", "GET"): "signed_in",
    ("desk.village_desk", "GET"): "signed_in",
    ("desk.new_disclosure", "GET"): "keep_books",
    ("desk.draft_disclosure", "POST"): "keep_books",
    ("desk.disclosure", "GET"): "read_books",
    ("desk.submit", "POST"): "keep_books",
    ("desk.sign", "POST"): "review",
    ("desk.refuse", "POST"): "review",
    ("desk.cosign", "POST"): "review",
    ("desk.publish", "POST"): "keep_books",
    ("desk.questions", "GET"): "read_books",
    ("desk.screen", "POST"): "review",
    ("desk.answer", "POST"): "answer",
    ("public.village", "GET"): "public",
    ("public.disclosure", "GET"): "public",
    ("public.disclosure_json", "GET"): "public",
    ("public.disclosure_csv", "GET"): "public",
    ("public.village_qr_png", "GET"): "public",
    ("public.village_qr_svg", "GET"): "public",
    ("public.sheet", "GET"): "public",
    ("public.disclosure_bundle", "GET"): "public",
    ("public.line_receipt", "GET"): "public",
    ("public.verifier_script", "GET"): "public",
    ("public.verify_page", "GET"): "public",
    ("public.ask", "POST"): "public",
    ("public.distribution_lookup", "GET"): "public",
    ("public.look_up", "POST"): "public",
    ("matters.Matters", "GET"): "read_books",
    ("matters.Matters", "POST"): "decide",
    ("matters.OneMatter", "GET"): "read_books",
    ("matters.Meetings", "POST"): "decide",
    ("matters.CarriedOut", "POST"): "decide",
    ("matters.Budget", "GET"): "read_books",
    ("spending.SpendingRequests", "GET"): "read_books",
    ("spending.SpendingRequests", "POST"): "ask",
    ("spending.OneSpendingRequest", "GET"): "read_books",
    ("spending.Approvals", "POST"): "approve",
    ("spending.Rejection", "POST"): "approve",
    ("spending.Withdrawal", "POST"): "ask",
    ("spending.AttachReceipts", "POST"): "ask",
    ("spending.Payment", "POST"): "keep_books",
    ("receipts.Receipts", "GET"): "read_books",
    ("receipts.Receipts", "POST"): "keep_books",
    ("receipts.OneReceipt", "GET"): "read_books",
    ("receipts.Grants", "GET"): "read_books",
    ("receipts.Grants", "POST"): "keep_books",
    ("receipts.OneGrant", "GET"): "read_books",
    ("receipts.Warnings", "GET"): "read_books",
    ("receipts.OneWarning", "GET"): "read_books",
    ("receipts.Acknowledgements", "POST"): "acknowledge",
    ("distributions.Distributions", "GET"): "read_books",
    ("distributions.Distributions", "POST"): "keep_books",
    ("distributions.Preview", "POST"): "keep_books",
    ("distributions.OneDistribution", "GET"): "read_books",
    ("distributions.Cancel", "POST"): "keep_books",
    ("distributions.Post", "POST"): "keep_books",
    ("distributions.Payments", "POST"): "keep_books",
    ("distributions.OneHolder", "GET"): "read_books",
    ("distributions.Unpaid", "GET"): "read_books",
    ("distributions.BankBatch", "GET"): "read_books",
    ("desk_spending.spending", "GET"): "read_books",
    ("desk_spending.request_spending", "POST"): "ask",
    ("desk_spending.spending_request", "GET"): "read_books",
    ("desk_spending.approve", "POST"): "approve",
    ("desk_spending.reject", "POST"): "approve",
    ("desk_spending.withdraw", "POST"): "ask",
    ("desk_spending.pay", "POST"): "keep_books",
    ("desk_spending.warnings", "GET"): "read_books",
    ("desk_spending.acknowledge", "POST"): "acknowledge",
    ("desk_distribution.distributions", "GET"): "read_books",
    ("desk_distribution.new_distribution", "GET"): "keep_books",
    ("desk_distribution.draft_distribution", "POST"): "keep_books",
    ("desk_distribution.distribution", "GET"): "read_books",
    ("desk_distribution.cancel", "POST"): "keep_books",
    ("desk_distribution.post", "POST"): "keep_books",
    ("desk_distribution.pay", "POST"): "keep_books",
    ("desk_distribution.slips", "GET"): "keep_books",
    ("desk_books.trial_balance", "GET"): "read_books",
    ("desk_books.ledger", "GET"): "read_books",
    ("desk_books.balance_sheet", "GET"): "read_books",
    ("desk_books.income_statement", "GET"): "read_books",
    ("desk_books.equity_changes", "GET"): "read_books",
    ("desk_books.periods", "GET"): "read_books",
    ("desk_books.close_month", "POST"): "keep_books",
    ("desk_books.close_year", "POST"): "keep_books",
    ("desk_books.accounts", "GET"): "read_books",
    ("desk_books.open_account", "POST"): "keep_books",
    ("desk_vouchers.new_voucher", "GET"): "keep_books",
    ("desk_vouchers.post_voucher", "POST"): "keep_books",
    ("desk_vouchers.save_template", "POST"): "keep_books",
    ("desk_vouchers.drop_template", "POST"): "keep_books",
    ("desk_vouchers.vouchers", "GET"): "read_books",
    ("desk_vouchers.voucher", "GET"): "read_books",
    ("desk_vouchers.reverse", "POST"): "keep_books",
    ("desk_vouchers.print_voucher", "GET"): "read_books",
    ("desk_vouchers.import_page", "GET"): "keep_books",
    ("desk_vouchers.import_sheet", "POST"): "keep_books",
    ("desk_members.roll", "GET"): "read_books",
    ("desk_members.member", "GET"): "read_books",
    ("desk_members.shares", "GET"): "read_books",
    ("desk_members.new_member", "GET"): "keep_books",
    ("desk_members.confirm_member", "POST"): "keep_books",
    ("desk_members.register_household", "POST"): "keep_books",
    ("desk_members.end_membership", "POST"): "keep_books",
    ("desk_members.move_member", "POST"): "keep_books",
    ("desk_members.correct_member", "POST"): "keep_books",
    ("desk_members.make_head", "POST"): "keep_books",
    ("desk_members.import_page", "GET"): "keep_books",
    ("desk_members.import_roll", "POST"): "keep_books",
    ("desk_cooperative.member_accounts", "GET"): "read_books",
    ("desk_cooperative.member_accounts_sheet", "GET"): "read_books",
    ("desk_cooperative.member_account", "GET"): "read_books",
    ("desk_cooperative.member_account_sheet", "GET"): "read_books",
    ("desk_cooperative.contribute", "POST"): "keep_books",
    ("desk_cooperative.trades", "GET"): "read_books",
    ("desk_cooperative.new_trade", "GET"): "keep_books",
    ("desk_cooperative.record_trade", "POST"): "keep_books",
    ("members.Members", "GET"): "read_books",
    ("members.Members", "POST"): "keep_books",
    ("members.OneMember", "GET"): "read_books",
    ("members.Ending", "POST"): "keep_books",
    ("members.Moves", "POST"): "keep_books",
    ("members.Corrections", "POST"): "keep_books",
    ("members.Households", "GET"): "read_books",
    ("members.Households", "POST"): "keep_books",
    ("members.OneHousehold", "GET"): "read_books",
    ("members.HouseholdHead", "POST"): "keep_books",
    ("shares.ShareClasses", "GET"): "read_books",
    ("shares.ShareClasses", "POST"): "keep_books",
    ("shares.Quantification", "POST"): "keep_books",
    ("shares.Shares", "GET"): "read_books",
    ("shares.Movements", "GET"): "read_books",
    ("shares.Movements", "POST"): "keep_books",
    ("member_accounts.MemberAccounts", "GET"): "read_books",
    ("member_accounts.OneMemberAccount", "GET"): "read_books",
    ("member_accounts.Contributions", "POST"): "keep_books",
    ("member_accounts.ReserveShares", "POST"): "keep_books",
    ("member_accounts.Exit", "POST"): "keep_books",
    ("member_accounts.Trades", "GET"): "read_books",
    ("member_accounts.Trades", "POST"): "keep_books",
    ("member_accounts.PartyBalances", "GET"): "read_books",
    ("member_files.Import", "POST"): "keep_books",
    ("member_files.Template", "GET"): "read_books",
    ("member_files.RollExport", "GET"): "read_books",
    ("member_files.SharesExport", "GET"): "read_books",
}

# (name, grants): every role of a village in OWN, plus the centre-wide ones.
PRINCIPALS: dict[str, tuple[tuple[str, str], ...]] = {
    "admin": (("*", "admin"),),
    "accountant": ((OWN, "accountant"),),
    "committee": ((OWN, "committee"),),
    "supervisor": ((OWN, "supervisor"),),
    "finance_lead": ((OWN, "finance_lead"),),
    "auditor": ((OWN, "auditor"),),
    "county-auditor": (("*", "auditor"),),
}
READERS = {"accountant", "committee", "supervisor", "finance_lead", "auditor", "county-auditor"}


def allowed(kind: str, who: str, own: bool) -> bool:
    in_village = own or who.startswith("county")
    return {
        "public": True,
        "signed_in": True,
        "admin": who == "admin",
        "read_books": who in READERS and in_village,
        "keep_books": who == "accountant" and own,
        "read_org": (who in READERS and in_village) or who == "admin",
        "roles": who == "admin" or (who in ("auditor", "county-auditor") and in_village),
        "review": who == "supervisor" and own,
        "answer": who in ("accountant", "committee") and own,
        "audit": (who in ("auditor", "county-auditor", "supervisor") and in_village),
        "decide": who in ("accountant", "committee") and own,
        "ask": who in ("accountant", "committee", "finance_lead") and own,
        "approve": who in ("finance_lead", "committee", "supervisor") and own,
        "acknowledge": who in ("accountant", "committee", "supervisor") and own,
    }[kind]


PLACEHOLDERS = {"filename": "none.css", "ref": "2025-01-0001", "code": "101", "period": "2025-01",
                "year": "2025", "token_id": str(uuid.UUID(int=7)), "number": "S2025-0001",
                "holder": "household:001", "leaf": "1"}


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    url: str
    who: str  # a principal's name, "public" or "bad-token"
    own: bool
    status: int
    code: str  # the error's code, "" for a success

    @property
    def refused_access(self) -> bool:
        """Refused by the access check (not by the endpoint's own rules, e.g. a CSRF token)."""
        return (self.status, self.code) in ((401, "unauthorized"), (403, "forbidden"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    """Two villages and one user per principal; authorization does not depend on the database,
    so one SQLite store serves the whole module."""
    path = tmp_path_factory.mktemp("authz")
    app = create_app(Storage(f"sqlite:///{path / 'events.sqlite'}", Path(path)),
                     clock=Clock(), passwords=FAST_HASHER)
    ledger = app.extensions["sunlight"].ledger
    from datetime import date

    for code in (OWN, OTHER):
        ledger.books.register_organization(code=code, name_zh=code, kind="village_collective",
                                           books_start=date(2025, 1, 1), actor="test")
    tokens = {name: make_user(app, name, *grants) for name, grants in PRINCIPALS.items()}
    tokens["bad-token"] = f"slt_{uuid.uuid4().hex}_{'x' * 43}"
    yield app, tokens
    app.extensions["sunlight"].close()


def client_for(app: Flask, tokens: dict[str, str], who: str) -> FlaskClient:
    return app.test_client() if who == "public" else signed_in(app, tokens[who])


def routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, URL template) of every route of the application."""
    for url_rule in app.url_map.iter_rules():
        for method in sorted(url_rule.methods - {"HEAD", "OPTIONS"}):
            yield url_rule.endpoint, method, url_rule.rule


def fill(template: str, org: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>",
                  lambda m: org if m.group(1) == "org" else PLACEHOLDERS[m.group(1)], template)


def run_matrix(app: Flask, tokens: dict[str, str],
               only: tuple[str, str] | None = None) -> list[Row]:
    rows = []
    clients = {who: client_for(app, tokens, who) for who in ["public", *tokens]}
    for endpoint, method, template in routes(app):
        if only is not None and (endpoint, method) != only:
            continue
        targets = [(OWN, True), (OTHER, False)] if "<org>" in template else [(OWN, True)]
        for org, own in targets:
            url = fill(template, org)
            for who, client in clients.items():
                response = client.open(url, method=method, json={} if method != "GET" else None)
                body = response.get_json(silent=True) or {}
                code = body.get("error", {}).get("code", "") if isinstance(body, dict) else ""
                rows.append(Row(endpoint, method, url, who, own, response.status_code, code))
    return rows


def violations(rows: list[Row]) -> list[str]:
    found = []
    for row in rows:
        kind = EXPECTED[(row.endpoint, row.method)]
        if row.who == "bad-token":
            expected_ok, denied = False, 401
        elif row.who == "public":
            expected_ok, denied = kind == "public", 401
        else:
            expected_ok, denied = allowed(kind, row.who, row.own), 403
        if expected_ok and row.refused_access:
            found.append(f"{row.method} {row.url} as {row.who}: {row.status}, expected access")
        if not expected_ok and not (row.refused_access and row.status == denied):
            found.append(f"{row.method} {row.url} as {row.who}: {row.status}, expected {denied}")
    return found


def test_every_endpoint_has_an_expectation(world):
    app, _ = world
    missing = {(e, m) for e, m, _ in routes(app)} - set(EXPECTED)
    assert not missing, f"new endpoints need an entry in EXPECTED (and a rule): {missing}"
    stale = set(EXPECTED) - {(e, m) for e, m, _ in routes(app)}
    assert not stale, f"EXPECTED names endpoints that no longer exist: {stale}"


def test_every_endpoint_answers_every_principal_as_expected(world):
    app, tokens = world
    rows = run_matrix(app, tokens)
    assert len(rows) > 400
    assert not violations(rows), "\n".join(violations(rows))


def _view_method(app: Flask, endpoint: str, method: str) -> Callable[..., Any]:
    view = app.view_functions[endpoint]
    return getattr(getattr(view, "view_class", None), method.lower(), view)


@pytest.mark.parametrize("key", [k for k, kind in EXPECTED.items() if kind != "public"])
def test_removing_any_one_endpoints_check_is_caught(world, monkeypatch, key):
    app, tokens = world
    assert isinstance(rule_for(app, *key), Rule)
    target = _view_method(app, *key)
    monkeypatch.setattr(target, "access_rule", PUBLIC)  # the check removed: anyone may call
    assert violations(run_matrix(app, tokens, only=key)), f"{key} without its check passed"
    monkeypatch.delattr(target, "access_rule")  # no rule at all: deny by default
    assert rule_for(app, *key) is None
    assert violations(run_matrix(app, tokens, only=key)), f"{key} without a rule passed"
