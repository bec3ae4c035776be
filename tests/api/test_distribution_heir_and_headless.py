"""An outside heir (外部继承人) finds their own line on the public look-up (查我家的分红) with the
number and code on their slip, as a household does, and sees no one else's; a household with no
head recorded is named by its first member in the register's order (（户主未登记）李秀英等2人)
on the desk, the slips, the public list and the look-up — while a plan drafted before that name
was kept (its line holding no member) still reads as （户主未登记）.

东村 of tests/registers.py: 刘志强 (0006), household 003's only member, died in October 2025 and a
son in the city, 刘小强, inherited its 35 shares (outside:1); 张大山 (0001), head of household
001, died in November, leaving 李秀英 (0002) and 张小明 (0003) with no head recorded.
"""

from __future__ import annotations

from datetime import date

from projections.runner import catch_up_all
from tests.api.conftest import make_user
from tests.api.desk_browser import Browser, browser
from tests.application.test_distribution import PLAN, matter, posted
from tests.distributions import publish
from tests.registers import ORG, village_with_shares


def _drafted(app, clock) -> tuple[object, str]:
    """The village with an outside heir and a headless household, its 2025 plan drafted."""
    services = app.extensions["sunlight"]
    ledger = services.ledger
    clock.today = date(2026, 1, 5)
    village_with_shares(ledger, matter_steps="decide")
    ledger.books.open_account(ORG, parent="211", code="21102", name_zh="应付收益分配",
                              name_en="Distributions payable", actor="kuaiji")
    posted(ledger, "2025-03-01", "102", "501", 10_000_000)
    ledger.register.end_membership(ORG, "0006", on=date(2025, 10, 1), basis="death",
                                   document="死亡证明", actor="kuaiji")
    for share_class, quantity in (("population", 10), ("labour", 25)):
        ledger.register.move_shares(ORG, kind="inheritance", on=date(2025, 10, 15),
                                    source="household:003", target="outside:1",
                                    share_class=share_class, quantity=quantity,
                                    basis="继承公证书", target_name="刘小强", actor="kuaiji")
    ledger.register.end_membership(ORG, "0001", on=date(2025, 11, 1), basis="death",
                                   document="死亡证明", actor="kuaiji")
    plan = ledger.distribution.draft(ORG, **(PLAN | {"matter": matter(ledger)}),
                                     actor="kuaiji").value
    catch_up_all(ledger, services.views)
    return plan, plan.number


def test_an_outside_heir_finds_their_own_line_with_the_number_and_code_on_their_slip(
        app, clock) -> None:
    # Given a plan with outside heir 1 (刘小强, 35 shares) and households 001 and 002,
    plan, number = _drafted(app, clock)
    heir = plan.line_of("outside:1")
    household = plan.line_of("household:002")
    browser = app.test_client()
    lookup = f"/{ORG}/distributions/{number}/lookup"
    # when the heir types the number on the slip (1) and the slip's code,
    found = browser.post(lookup, data={"household": "1", "code": heir["code"]})
    page = found.get_data(as_text=True)
    # then their own line shows: 35 shares, 3,500.00 yuan, masked name, read as an heir,
    assert found.status_code == 200, page
    assert "3,500.00" in page and "刘**" in page and "刘小强" not in page
    assert "外部继承人" in page and "1户" not in page
    # and no other holder's data is on it.
    assert "王**" not in page and "8,000.00" not in page and "李**" not in page
    # When someone types the heir's number with a household's code, or a household's number
    # with the heir's code, nothing is found.
    wrong = browser.post(lookup, data={"household": "1", "code": household["code"]}) \
        if household["code"] != heir["code"] else None
    assert wrong is None or wrong.status_code == 422
    if heir["code"] != household["code"]:
        crossed = browser.post(lookup, data={"household": "002", "code": heir["code"]})
        assert crossed.status_code == 422 and "3,500.00" not in crossed.get_data(as_text=True)


def _accountant(app, project) -> Browser:
    make_user(app, "wang", (ORG, "accountant"))
    return browser(app, project, "wang")


def test_an_outside_heirs_slip_tells_them_how_to_look_it_up(app, clock, project) -> None:
    # Given the plan with an outside heir,
    plan, number = _drafted(app, clock)
    code = plan.line_of("outside:1")["code"]
    # when the accountant prints the slips,
    text = _accountant(app, project).get(f"/desk/{ORG}/distributions/{number}/slips?lang=en")
    slip = text[text.index('id="slip-1"'):]
    slip = slip[:slip.index("</article>")]
    # then the heir's slip says to type its number and code on the phone page.
    assert f"type the number 1 and the look-up code {code}" in slip


def test_a_household_without_a_head_is_named_by_its_first_member(app, clock, project) -> None:
    # Given household 001 with no head recorded, 李秀英 and 张小明 its members,
    plan, number = _drafted(app, clock)
    line = plan.line_of("household:001")
    assert line["name"] == "" and line["first_member"] == "李秀英" and line["members"] == 2
    # when the accountant opens the plan and its slips,
    desk = _accountant(app, project)
    shown = desk.get(f"/desk/{ORG}/distributions/{number}")
    slips = desk.get(f"/desk/{ORG}/distributions/{number}/slips")
    # and the household looks its line up on a phone,
    found = app.test_client().post(f"/{ORG}/distributions/{number}/lookup",
                                   data={"household": "001", "code": line["code"]})
    # then each names the household by its first member and how many it has.
    assert "李秀英等2人" in shown and "李秀英等2人" in slips
    assert "（户主未登记）" in shown
    assert "李**等2人" in found.get_data(as_text=True)


def test_the_public_list_names_a_headless_household_by_its_first_member_masked(
        app, clock) -> None:
    # Given the plan's disclosure published,
    services = app.extensions["sunlight"]
    _plan, number = _drafted(app, clock)
    services.ledger.identity.create_user(login="jiandu", display_name="监督",
                                         password="a long password", actor="admin")
    services.ledger.identity.grant_role("jiandu", org=ORG, role="supervisor", reason="elected",
                                        actor="admin")

    def read():
        catch_up_all(services.ledger, services.views)
        return services.queries.read()

    ref = publish(services.ledger, read, number, "plan")
    catch_up_all(services.ledger, services.views)
    # when a villager reads the public list,
    page = app.test_client().get(f"/{ORG}/disclosures/{ref}").get_data(as_text=True)
    # then household 001 reads as 李**等2人 with no head recorded, never the full name.
    assert "（户主未登记）李**等2人" in page and "李秀英" not in page


def test_a_plan_drafted_before_the_first_member_was_kept_still_reads() -> None:
    # Given a line of an old plan's disclosure: a headless household, no member kept,
    from api.disclosure.public_distribution import holder_line
    old = {"no": 1, "holder_kind": "household", "household": "001", "name": "",
           "shares": 85, "amount": "8500.00", "amount_capital": "捌仟伍佰元整"}
    # when it is shown, then it reads as before.
    assert str(holder_line(old)["name"]) in ("（户主未登记）", "(head not recorded)")
