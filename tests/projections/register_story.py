"""The story the register read model's tests read (test_register_read_model.py and
test_register_roll.py): a village's births, deaths, a marriage out, a household divided and its
heads changed, shares transferred (one backdated), bought back and inherited by an outside heir; a
per-person register; a cooperative's member accounts and trade; and voucher lines that name
members and households, one reversed. Its fixtures are in tests/projections/conftest.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ledger.application import Ledger
from ledger.books import Line, VoucherDraft
from projections.books.queries import Page
from projections.register.queries import MemberQueries
from tests.registers import ORG, id_number, village_with_shares

PERSON_ORG = "v2"
COOP = "c1"
ALL = Page(1, 100)
ACTOR = "kuaiji"
BABY_ID = id_number(date(2025, 9, 1), "male", 7)
CORRECTED_ID = id_number(date(1970, 9, 9), "male", 16)
CORRECTED_PHONE = "13900003333"


def day(text: str) -> date:
    return date.fromisoformat(text)


def village_story(app: Ledger) -> None:
    """The household-held village: every change of the roll, and shares moved in and out of
    order of their dates."""
    village_with_shares(app)
    app.register.confirm_member(ORG, number="0007", name="张小宝", sex="male",
                                born=day("2025-09-01"),
                                household="001", on=day("2025-09-10"), basis="birth",
                                id_number=BABY_ID,
                                actor=ACTOR)
    app.register.move_shares(ORG, kind="transfer", on=day("2025-10-01"), source="household:001",
                             target="household:002", share_class="labour", quantity=5,
                             basis="转让协议2025-1", actor=ACTOR)
    app.register.end_membership(ORG, "0001", on=day("2025-12-01"), basis="death",
                                document="死亡证明",
                                actor=ACTOR)
    app.register.change_household_head(ORG, "001", head="0002", on=day("2025-12-05"), actor=ACTOR)
    app.register.register_household(ORG, number="004", on=day("2026-01-10"), address="东村二组",
                                    actor=ACTOR)
    app.register.move_member(ORG, "0003", household="004", on=day("2026-01-10"), reason="分户",
                             head=True, actor=ACTOR)
    app.register.move_shares(ORG, kind="buy_back", on=day("2026-02-01"), source="household:003",
                             target="org", share_class="labour", quantity=10,
                             basis="回购决〔2026〕1号",
                             price=100_000, actor=ACTOR)
    # Recorded after the buy-back, dated before everything else that moved.
    app.register.move_shares(ORG, kind="transfer", on=day("2025-08-01"), source="household:002",
                             target="household:003", share_class="labour", quantity=3,
                             basis="转让协议2025-0", actor=ACTOR)
    app.register.end_membership(ORG, "0003", on=day("2026-03-01"), basis="joined_other_collective",
                                document="户口迁移证明", actor=ACTOR)
    app.register.change_household_head(ORG, "002", head="0005", on=day("2026-04-01"), actor=ACTOR)
    app.register.correct_member(ORG, "0002", reason="电话号码变更", phone=CORRECTED_PHONE,
                                actor=ACTOR)
    app.register.correct_member(ORG, "0006", reason="身份证号录错", id_number=CORRECTED_ID,
                                actor=ACTOR)
    app.register.end_membership(ORG, "0006", on=day("2026-05-01"), basis="death",
                                document="死亡证明",
                                actor=ACTOR)
    app.register.move_shares(ORG, kind="inheritance", on=day("2026-05-10"), source="household:003",
                             target="outside", target_name="刘小龙", share_class="population",
                             quantity=10, basis="继承公证书", actor=ACTOR)


def vouchers_with_parties(app: Ledger) -> None:
    def post(on: str, *lines: Line) -> str:
        return app.books.post_voucher(ORG, VoucherDraft(day(on), "成员往来", lines),
                                      actor=ACTOR).value.number

    post("2025-07-05", Line("113", debit=50_000, memo="借款", party="member:0002"),
         Line("102", credit=50_000))
    wrong = post("2025-07-06", Line("113", debit=20_000, party="household:002"),
                 Line("102", credit=20_000))
    post("2025-08-01", Line("102", debit=10_000), Line("113", credit=10_000,
                                                       party="member:0002"))
    app.books.reverse_voucher(ORG, wrong, on=day("2025-07-10"), reason="记错户", actor=ACTOR)


def per_person_story(app: Ledger) -> None:
    village_with_shares(app, holding="person", org=PERSON_ORG)
    app.register.confirm_member(PERSON_ORG, number="0007", name="张小宝", sex="male",
                                born=day("2025-09-01"), household="001", on=day("2025-09-10"),
                                basis="birth", actor=ACTOR)
    app.register.end_membership(PERSON_ORG, "0004", on=day("2025-12-01"), basis="death",
                                document="死亡证明", actor=ACTOR)


def cooperative_story(app: Ledger) -> None:
    app.books.register_organization(code=COOP, name_zh="丰收果蔬专业合作社",
                                    kind="farmers_cooperative",
                                    chart="", books_start=day("2025-01-01"), actor="admin")
    for name in ("周农", "吴果"):
        app.register.confirm_member(COOP, name=name, sex="male", born=day("1970-01-01"),
                                    household="",
                                    on=day("2025-03-01"), basis="admitted", actor=ACTOR)
    app.register.record_contribution(COOP, "0001", on=day("2025-03-01"), form="money",
                                     amount=500_000,
                                     voucher="2025-03-0001", actor=ACTOR)
    app.register.record_contribution(COOP, "0001", on=day("2025-04-01"), form="kind",
                                     amount=200_000,
                                     description="手扶拖拉机一台，成员大会评估作价", actor=ACTOR)
    app.register.quantify_reserve_share(COOP, "0001", year=2025, amount=12_345, actor=ACTOR)
    for on, quantity, amount in (("2025-05-01", "1250.5", 625_250),
                                 ("2025-06-01", "100.25", 50_000), ("2026-05-01", "10", 5_000)):
        app.register.record_trade(COOP, on=day(on), direction="sold_to_cooperative", product="苹果",
                                  quantity=quantity, unit="公斤", amount=amount, member="0001",
                                  actor=ACTOR)
    app.register.record_trade(COOP, on=day("2025-05-02"), direction="bought_from_cooperative",
                              product="化肥", quantity="2", unit="吨", amount=600_000,
                              counterparty="李四", actor=ACTOR)
    app.register.record_trade(COOP, on=day("2025-07-01"), direction="sold_to_cooperative",
                              product="梨",
                              quantity="300", unit="公斤", amount=90_000, member="0002",
                              actor=ACTOR)
    app.register.notify_exit(COOP, "0002", on=day("2025-09-15"), document="退社申请书", actor=ACTOR)


def roll(queries: MemberQueries, on: str | None, org: str = ORG,
         **filters: Any) -> list[tuple[str, str, bool]]:
    rows, total = queries.roll(org, on=None if on is None else day(on), page=ALL, **filters)
    assert total == len(rows)
    return [(row["household"], row["number"], row["head"]) for row in rows]

