"""A farmers' cooperative over HTTP, registered before its chart exists: members admitted, capital
contributed in money and in kind, the reserve quantified to a member, notice of exit effective at
a year end, member and non-member trade kept apart; and each member's or household's balance with
a village, from the voucher lines that name them."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.api.test_members_api import registered_village

C = "/api/v1/orgs/coop"
V = "/api/v1/orgs/v1"


@pytest.fixture
def coop(client: FlaskClient) -> str:
    """A cooperative with three members, wang its accountant."""
    response = client.post("/api/v1/orgs", json={
        "code": "coop", "name_zh": "东村水稻专业合作社", "kind": "farmers_cooperative",
        "chart": "", "books_start": "2026-01-01"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["chart"] == ""
    assert client.post(f"{C}/roles", json={"login": "wang", "role": "accountant",
                                           "reason": "记账"}).status_code == 201
    for name, sex, born in (("周大勇", "male", "1975-04-02"), ("吴春花", "female", "1980-08-08"),
                            ("郑国华", "male", "1968-12-01")):
        response = client.post(f"{C}/members", json={
            "name": name, "sex": sex, "born": born, "confirmed_on": "2026-01-10",
            "basis": "admitted"})
        assert response.status_code == 201, response.get_json()
    return "coop"


def post(client: FlaskClient, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = client.post(path, json=body)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def test_an_organization_gets_the_chart_of_its_kind(client):
    village = post(client, "/api/v1/orgs", {"code": "v9", "name_zh": "九村",
                                            "kind": "village_collective",
                                            "books_start": "2026-01-01"})
    assert village["chart"] == "mof-2023-village"
    cooperative = post(client, "/api/v1/orgs", {"code": "c8", "name_zh": "八社",
                                                "kind": "farmers_cooperative",
                                                "books_start": "2026-01-01"})
    assert cooperative["chart"] == "mof-2021-cooperative"
    wrong = client.post("/api/v1/orgs", json={"code": "c9", "name_zh": "九社",
                                              "kind": "farmers_cooperative",
                                              "chart": "mof-2023-village",
                                              "books_start": "2026-01-01"})
    assert (wrong.status_code, error_of(wrong)["errors"][0]["field"]) == (422, "chart")
    no_books = client.post("/api/v1/orgs", json={"code": "v8", "name_zh": "八村",
                                                 "kind": "village_collective", "chart": "",
                                                 "books_start": "2026-01-01"})
    assert (no_books.status_code, error_of(no_books)["errors"][0]["field"]) == (422, "chart")


def test_contributions_in_money_and_in_kind_and_the_reserve_share(client, coop, project):
    money = post(client, f"{C}/member-accounts/0001/contributions", {
        "on": "2026-01-10", "form": "money", "amount": "5000.00", "voucher": ""})
    # Kept elsewhere (chart ""), the books take no voucher from here: none is generated.
    assert money == {"number": "0001", "voucher": "", "contributed": "5000.00",
                     "reserve_share": "0.00", "exit": None}
    kind = post(client, f"{C}/member-accounts/0001/contributions", {
        "on": "2026-02-01", "form": "kind", "amount": "8000.00",
        "description": "耕牛一头，成员大会评估作价8000元"})
    assert kind["contributed"] == "13000.00"
    unvalued = client.post(f"{C}/member-accounts/0002/contributions",
                           json={"on": "2026-02-01", "form": "kind", "amount": "100.00"})
    assert error_of(unvalued)["errors"][0]["field"] == "description"
    stranger = client.post(f"{C}/member-accounts/0099/contributions",
                           json={"on": "2026-02-01", "form": "money", "amount": "100.00"})
    assert stranger.status_code == 404
    reserve = post(client, f"{C}/member-accounts/0001/reserve-shares",
                   {"year": 2026, "amount": "320.50"})
    assert reserve["reserve_share"] == "320.50"
    twice = client.post(f"{C}/member-accounts/0001/reserve-shares",
                        json={"year": 2026, "amount": "1.00"})
    assert (twice.status_code, error_of(twice)["errors"][0]["field"]) == (409, "year")
    project()
    account = client.get(f"{C}/member-accounts/0001").get_json()
    assert (account["name"], account["contributed"], account["reserve_share"]) == (
        "周大勇", "13000.00", "320.50")
    assert [(c["form"], c["amount"]) for c in account["contributions"]] == [
        ("money", "5000.00"), ("kind", "8000.00")]
    assert account["reserve_share_by_year"] == [{"year": 2026, "amount": "320.50"}]
    listed = client.get(f"{C}/member-accounts").get_json()["items"]
    assert [(r["number"], r["contributed"]) for r in listed] == [("0001", "13000.00")]
    assert client.get(f"{C}/member-accounts/0099").status_code == 404


def test_an_exit_takes_effect_at_the_year_end_its_notice_reaches(client, coop, project):
    early = post(client, f"{C}/member-accounts/0001/exit",
                 {"on": "2026-09-30", "document": "退社申请书"})
    assert early["exit"] == {"notified": "2026-09-30", "effective": "2026-12-31",
                             "document": "退社申请书"}
    late = post(client, f"{C}/member-accounts/0002/exit",
                {"on": "2026-10-01", "document": "退社申请书"})
    assert late["exit"]["effective"] == "2027-12-31"
    again = client.post(f"{C}/member-accounts/0001/exit",
                        json={"on": "2026-10-02", "document": "再次申请"})
    assert again.status_code == 409
    after_notice = client.post(f"{C}/member-accounts/0001/contributions",
                               json={"on": "2026-10-05", "form": "money", "amount": "1.00"})
    assert (after_notice.status_code, error_of(after_notice)["errors"][0]["field"]) == (
        409, "on")
    project()
    roll = {d: [m["number"] for m in client.get(f"{C}/members?date={d}").get_json()["items"]]
            for d in ("2026-12-30", "2026-12-31", "2027-12-31")}
    assert roll == {"2026-12-30": ["0001", "0002", "0003"], "2026-12-31": ["0002", "0003"],
                    "2027-12-31": ["0003"]}
    account = client.get(f"{C}/member-accounts/0001").get_json()
    assert account["exit"]["effective"] == "2026-12-31"


def test_member_and_non_member_trade_are_kept_apart(client, coop, project):
    sold = post(client, f"{C}/trades", {
        "on": "2026-10-08", "member": "0003", "direction": "sold_to_cooperative",
        "product": "稻谷", "quantity": "1250.50", "unit": "公斤", "amount": "3501.40"})
    assert (sold["quantity"], sold["amount"]) == ("1250.50", "3501.40")
    post(client, f"{C}/trades", {"on": "2026-10-09", "member": "0003",
                                 "direction": "sold_to_cooperative", "product": "稻谷",
                                 "quantity": "100", "unit": "公斤", "amount": "280.00"})
    post(client, f"{C}/trades", {"on": "2026-10-09", "counterparty": "县粮食收储公司",
                                 "direction": "bought_from_cooperative", "product": "稻谷",
                                 "quantity": "20000", "unit": "公斤", "amount": "60000.00"})
    both = client.post(f"{C}/trades", json={
        "on": "2026-10-09", "member": "0003", "counterparty": "某人",
        "direction": "sold_to_cooperative", "product": "稻谷", "quantity": "1", "unit": "公斤",
        "amount": "1.00"})
    assert error_of(both)["errors"][0]["field"] == "counterparty"
    float_quantity = client.post(f"{C}/trades", json={
        "on": "2026-10-09", "member": "0003", "direction": "sold_to_cooperative",
        "product": "稻谷", "quantity": "1e3", "unit": "公斤", "amount": "1.00"})
    assert error_of(float_quantity)["errors"][0]["field"] == "quantity"
    project()
    members = client.get(f"{C}/trades?party=member&year=2026").get_json()
    assert [(t["member"], t["name"], t["amount"]) for t in members["items"]] == [
        ("0003", "郑国华", "3501.40"), ("0003", "郑国华", "280.00")]
    others = client.get(f"{C}/trades?party=non_member").get_json()["items"]
    assert [(t["counterparty"], t["amount"]) for t in others] == [("县粮食收储公司", "60000.00")]
    assert client.get(f"{C}/trades?party=everyone").status_code == 422
    account = client.get(f"{C}/member-accounts/0003?year=2026").get_json()
    assert account["trades"] == [{"product": "稻谷", "unit": "公斤",
                                  "direction": "sold_to_cooperative", "quantity": "1350.50",
                                  "amount": "3781.40"}]
    assert client.get(f"{C}/member-accounts/0003?year=2025").get_json()["trades"] == []


def test_a_village_keeps_no_member_accounts_or_trade(app, client):
    registered_village(app)
    refused = client.post(f"{V}/member-accounts/0001/contributions",
                          json={"on": "2026-02-01", "form": "money", "amount": "100.00"})
    assert (refused.status_code, error_of(refused)["errors"][0]["field"]) == (422, "org")
    trade = client.post(f"{V}/trades", json={
        "on": "2026-10-09", "counterparty": "某公司", "direction": "bought_from_cooperative",
        "product": "稻谷", "quantity": "1", "unit": "公斤", "amount": "1.00"})
    assert error_of(trade)["errors"][0]["field"] == "org"


def lent(day: str, amount: str, party: str, side: str = "debit") -> dict[str, Any]:
    other = "credit" if side == "debit" else "debit"
    return {"date": day, "summary": "成员借支" if side == "debit" else "成员还款",
            "lines": [{"account": "112", side: amount, "party": party},
                      {"account": "101", other: amount}]}


def test_each_members_and_households_balance_comes_from_the_voucher_lines(
        app, client, project):
    registered_village(app)
    for body in (lent("2026-03-01", "300.00", "member:0003"),
                 lent("2026-04-01", "500.00", "household:002"),
                 lent("2026-05-01", "100.00", "member:0003", side="credit")):
        posted = client.post(f"{V}/vouchers", json=body)
        assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["lines"][0]["party"] == "member:0003"
    assert "party" not in posted.get_json()["lines"][1]
    stranger = client.post(f"{V}/vouchers", json=lent("2026-05-02", "1.00", "member:0099"))
    assert error_of(stranger)["errors"][0]["field"] == "lines[0].party"
    project()
    balances = client.get(f"{V}/party-balances").get_json()["items"]
    assert [(b["party"], b["name"], b["balance"]) for b in balances] == [
        ("household:002", "王建国", "500.00"), ("member:0003", "张小明", "200.00")]
    assert balances[1]["accounts"] == [{"account": "112", "account_name": "应收款",
                                        "debit": "300.00", "credit": "100.00",
                                        "balance": "200.00"}]
    march = client.get(f"{V}/party-balances?date=2026-03-31").get_json()
    assert [(b["party"], b["balance"]) for b in march["items"]] == [("member:0003", "300.00")]
    one = client.get(f"{V}/party-balances?party=household:002").get_json()["items"]
    assert [b["party"] for b in one] == ["household:002"]
    assert client.get(f"{V}/party-balances?party=张三").status_code == 422


def test_the_voucher_list_finds_the_lines_of_a_member_by_name(app, client, project):
    from tests.api.desk_browser import browser

    # Given 张小明 (0003, of household 001) lent 300.00, 王建国's household (002) lent 500.00,
    # and 刘志强 (0006) lent 100.00, each a voucher
    registered_village(app)
    for body in (lent("2026-03-01", "300.00", "member:0003"),
                 lent("2026-04-01", "500.00", "household:002"),
                 lent("2026-05-01", "100.00", "member:0006")):
        assert client.post(f"{V}/vouchers", json=body).status_code == 201
    wang = browser(app, project, "wang")

    def found(party: str) -> list[str]:
        page = wang.get(f"/desk/v1/vouchers?month=all&party={party}")
        return [n for n in ("2026-03-0001", "2026-04-0001", "2026-05-0001") if n in page]

    # When the accountant searches the party by a name, then the lines of that member or of
    # the household they belong to are found; a code still finds what it matches as typed
    assert found("张小明") == ["2026-03-0001"]
    assert found("王建国") == ["2026-04-0001"]
    assert found("张") == ["2026-03-0001"]  # 张大山 and 张小明, household 001
    assert found("0006") == ["2026-05-0001"]
    assert found("member:0003") == ["2026-03-0001"]
    assert found("李四") == []
