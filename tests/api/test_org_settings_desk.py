"""The organization's local rules on the desk (/desk/<org>/settings, 本机构规则设置): its accountant
reads every rule, grouped, in Chinese, with 默认 beside a default, and cannot change one; the
centre administrator changes rules with a reason through the JSON route's command, and is told
what changed; a refused value or a missing reason is said beside its field, nothing written;
moving 应公开未公开's first owed period clears the earlier flags."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask

from tests.api.conftest import make_user
from tests.api.desk_browser import browser, field
from tests.api.test_disclosure_deadlines import LATE, surfaces, villages  # noqa: F401
from tests.api.test_voucher_desk import error_beside

PAGE = "/desk/v1/settings"


def settings_of(app: Flask) -> dict[str, int | str]:
    return dict(app.extensions["sunlight"].ledger.books.organization("v1").settings)


def row(page: str, name: str) -> str:
    found = re.search(rf'<tr id="{name}-field">(.*?)</tr>', page, re.S)
    assert found, f"no rule {name}"
    return re.sub(r"\s+", " ", found.group(1))


def test_the_accountant_reads_every_rule_but_changes_none(app, org, project):
    make_user(app, "lisi", ("v1", "accountant"))
    lisi = browser(app, project, "lisi")
    assert f'href="{PAGE}"' in lisi.get("/desk/?org=v1")  # 规则设置 from the desk's home
    page = lisi.get(PAGE)
    assert "本机构规则设置" in page
    for group in ("信息公开", "审批与现金", "四议两公开", "股份与分配"):
        assert f">{group}</h2>" in page, group
    assert ">合作社</h2>" not in page  # a village has no cooperative rules
    cash = row(page, "cash_limit")
    assert "现金限额" in cash and "5,000.00" in cash and "默认" in cash
    assert "库存现金" in cash  # the rule's one-line explanation
    assert "按户" in row(page, "share_holding")  # a village's share rules, by their names
    assert 'id="settings"' not in page and "<input" not in row(page, "cash_limit")
    lisi.post(PAGE, {"cash_limit": "8000.00", "reason": "自己改"}, status=403)
    assert settings_of(app)["cash_limit"] == 500_000


def test_a_cooperative_shows_its_own_rules_and_not_the_villages_shares(app, client, project):
    assert client.post("/api/v1/orgs", json={
        "code": "c1", "name_zh": "一果品专业合作社", "name_en": "", "kind": "farmers_cooperative",
        "chart": "", "books_start": "2025-01-01"}).status_code == 201
    page = browser(app, project, "wang").get("/desk/c1/settings")
    assert ">合作社</h2>" in page and "盈余公积" in page
    assert 'id="share_holding-field"' not in page
    # nor the village distribution's accounts (31101, 21102) and reserve floor: its plan posts
    # to 322 and 221/222 by the 2021 system
    for village_rule in ("reserve_minimum", "distribution_payable",
                         "reserve_accumulation_account", "reserve_welfare_account"):
        assert f'id="{village_rule}-field"' not in page
    assert "31101" not in page and "21102" not in page


def test_the_admin_changes_the_cash_limit_and_the_owed_period(app, org, project):
    wang = browser(app, project, "wang")
    assert 'href="/desk/v1/settings"' in wang.get("/desk/admin")  # from the list of organizations
    page = wang.get(PAGE)
    assert field(page, "cash_limit") == "5000.00"
    form = {name: field(page, name) for name in ("cash_limit", "disclosure_owed_from",
                                                 "disclosure_deadline_day", "key")}
    where = wang.post(PAGE, form | {"cash_limit": "8000.00", "disclosure_owed_from": "2026-08",
                                    "reason": "乡镇农经站通知"})
    page = wang.get(where)
    notice = re.search(r'<p class="notice" role="status">([^<]*)</p>', page)
    assert notice and "已修改：" in notice.group(1)
    assert "现金限额 5,000.00 → 8,000.00" in notice.group(1)
    assert "从建账起 → 2026-08" in notice.group(1)
    settings = settings_of(app)
    assert settings["cash_limit"] == 800_000 and settings["disclosure_owed_from"] == "2026-08"
    assert settings["disclosure_deadline_day"] == 15  # unchanged, not sent
    assert "默认" not in row(page, "cash_limit") and field(page, "cash_limit") == "8000.00"


def test_a_refused_value_is_said_beside_it_and_nothing_is_written(app, org, project):
    wang = browser(app, project, "wang")
    page = wang.get(PAGE)
    before = settings_of(app)
    page = wang.post(PAGE, {"disclosure_deadline_day": "40", "cash_limit": "8000.00",
                            "reason": "试试", "key": field(page, "key")}, status=422)
    assert "1 到 28 之间的整数" in error_beside(page, "settings-disclosure_deadline_day")
    assert field(page, "disclosure_deadline_day") == "40"  # what was typed, kept
    assert field(page, "reason") == "试试"
    page = wang.post(PAGE, {"cash_limit": "abc", "reason": "试试"}, status=422)
    assert "金额" in error_beside(page, "settings-cash_limit")
    assert field(page, "cash_limit") == "abc"
    page = wang.post(PAGE, {"cash_limit": "8000.00"}, status=422)
    assert "理由" in error_beside(page, "settings-reason") or "说明" in error_beside(
        page, "settings-reason")
    page = wang.post(PAGE, {"cash_limit": "5000.00", "reason": "没改"}, status=422)
    assert "没有修改" in page
    # the ledger's own rule: the ladder rises
    page = wang.post(PAGE, {"approval_finance_lead_max": "20000.00", "reason": "试试"},
                     status=422)
    assert "财务负责人" in error_beside(page, "settings-approval_finance_lead_max")
    assert settings_of(app) == before


def test_owing_from_a_later_period_clears_the_earlier_flags(villages, project, clock):  # noqa: F811
    clock.today = date(2026, 12, 22)
    assert LATE in surfaces(villages, project)["desk"]
    wang = browser(villages, project, "wang")
    page = wang.get(PAGE)
    wang.post(PAGE, {"disclosure_owed_from": "2026-11", "reason": "10月及以前已纸质公开",
                     "key": field(page, "key")})
    pages = surfaces(villages, project)
    assert LATE not in pages["desk"] and LATE not in pages["public"]
    assert "2026年11月财务收支明细，应于2026年12月15日前公开" in pages["desk"]


def test_an_unknown_organization_has_no_rules_page(app, org, project):
    wang = browser(app, project, "wang")
    wang.get("/desk/nope/settings", status=404)
    wang.post("/desk/nope/settings", {"cash_limit": "1.00", "reason": "x"}, status=404)


def ticked(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\w+)" checked>', page)


def test_the_admin_ticks_a_matters_meetings_and_the_reserved_categories(app, org, project):
    wang = browser(app, project, "wang")
    page = wang.get(PAGE)
    # Given the defaults, shown as ticked boxes named in Chinese, not as codes to type,
    assert ticked(page, "matter_steps") == ["deliberate", "review", "decide"]
    assert "成员大会" in row(page, "reserved_matters")
    assert len(ticked(page, "reserved_matters")) == 6 and "deliberate," not in page
    form = {"listed": ["matter_steps", "reserved_matters"], "key": field(page, "key"),
            "reason": "村民代表会议决定"}
    # when a step's box is ticked without the decision, then it is refused beside it, the boxes
    # as ticked, nothing written;
    before = settings_of(app)
    page = wang.post(PAGE, form | {"matter_steps": ["deliberate"],
                                   "reserved_matters": ["articles"]}, status=422)
    assert error_beside(page, "settings-matter_steps")
    assert ticked(page, "matter_steps") == ["deliberate"]
    assert ticked(page, "reserved_matters") == ["articles"]
    assert settings_of(app) == before
    # ticked with it, the steps are kept in their order, the categories as ticked;
    wang.post(PAGE, form | {"matter_steps": ["decide", "review"],
                            "reserved_matters": ["membership", "articles"]})
    settings = settings_of(app)
    assert settings["matter_steps"] == "review,decide"
    assert settings["reserved_matters"] == "articles,membership"
    # and no category ticked reserves none (a form without the boxes changes neither).
    wang.post(PAGE, {"listed": "reserved_matters", "reason": "章程修改",
                     "key": field(wang.get(PAGE), "key")})
    assert settings_of(app)["reserved_matters"] == ""
    assert "不设" in row(wang.get(PAGE), "reserved_matters")
    assert settings_of(app)["matter_steps"] == "review,decide"
