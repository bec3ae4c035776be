"""Questions asked of the register read model about a farmers' cooperative's members: each one's
account (capital contributed, reserve quantified, notice of exit) and trade with the cooperative.
Member and non-member trade are always answered apart (Art. 41), since only members' trade volume
earns a return of surplus (Art. 44).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from projections.books.queries import Page
from projections.db import Sql

Rows = tuple[list[dict[str, Any]], int]
PARTIES = ("member", "non_member")
WITH_ACCOUNT = ("SELECT member FROM register_accounts WHERE org = :org UNION "
                "SELECT member FROM register_trades WHERE org = :org AND member <> ''")
SUM_OF = "COALESCE((SELECT SUM(t.{column}) FROM {table} t WHERE t.org = :org AND " \
         "t.member = k.member), 0)"
CAPITAL = SUM_OF.format(table="register_contributions", column="share_capital")
RESERVE = SUM_OF.format(table="register_reserve_shares", column="amount")
TRADED = SUM_OF.format(table="register_trades", column="amount")


class AccountsReader:
    """The cooperative half of the register's reader; `sql` is the reader's transaction."""

    sql: Sql

    def member_account(self, org: str, number: str, *,
                       year: int | None = None) -> dict[str, Any] | None:
        """A member's account; `year` narrows the trade to one year, while the capital and the
        reserve are balances and always count from the start."""
        member = self.sql.execute("SELECT number, name FROM register_members "
                                  "WHERE org = :org AND number = :number",
                                  {"org": org, "number": number}).one()
        if member is None:
            return None
        key = {"org": org, "member": number}
        contributions = [
            {"on": row["made_on"], "form": row["form"], "amount": int(row["amount"]),
             "share_capital": int(row["share_capital"]),
             "capital_reserve": int(row["amount"]) - int(row["share_capital"]),
             "account": row["account"], "description": row["description"],
             "voucher": row["voucher"]}
            for row in self.sql.execute(
                "SELECT made_on, form, amount, share_capital, account, description, voucher "
                "FROM register_contributions WHERE org = :org AND member = :member "
                "ORDER BY made_on, seq", key).all()]
        reserve = [{"year": int(row["year"]), "amount": int(row["amount"])}
                   for row in self.sql.execute(
                       "SELECT year, amount FROM register_reserve_shares WHERE org = :org "
                       "AND member = :member ORDER BY year", key).all()]
        account = self.sql.execute("SELECT exit_notified, exit_effective, exit_document FROM "
                                   "register_accounts WHERE org = :org AND member = :member",
                                   key).one()
        notified = account is not None and account["exit_notified"] is not None
        return {
            "number": member["number"], "name": member["name"], "year": year,
            "contributions": contributions,
            # 出资额 is the part booked to 股金; the rest of an agreed value is 资本公积.
            "contributed": sum(row["share_capital"] for row in contributions),
            "reserve_share": sum(row["amount"] for row in reserve),
            "reserve_share_by_year": reserve,
            "exit": {"notified": account["exit_notified"],
                     "effective": account["exit_effective"],
                     "document": account["exit_document"]} if account and notified else None,
            "trades": self._trade_by_product(org, number, year),
        }

    def _trade_by_product(self, org: str, number: str, year: int | None) -> list[dict[str, Any]]:
        condition, params = "org = :org AND member = :member", {"org": org, "member": number}
        if year is not None:
            condition += " AND year = :year"
            params["year"] = year
        totals: dict[tuple[str, str, str], tuple[Decimal, int]] = {}
        for row in self.sql.execute("SELECT product, unit, direction, quantity, amount FROM "
                                    f"register_trades WHERE {condition}", params).all():
            key = (row["product"], row["unit"], row["direction"])
            quantity, amount = totals.get(key, (Decimal(0), 0))
            # Quantities are decimal text in the events: summed as Decimal, never as float.
            totals[key] = (quantity + Decimal(row["quantity"]), amount + int(row["amount"]))
        return [{"product": product, "unit": unit, "direction": direction,
                 "quantity": str(quantity), "amount": amount}
                for (product, unit, direction), (quantity, amount) in sorted(totals.items())]

    def member_accounts(self, org: str, page: Page) -> Rows:
        """One row per member with an account or trade, by member number."""
        params = {"org": org, "limit": page.size, "offset": page.offset}
        total = self.sql.execute(f"SELECT COUNT(*) AS n FROM ({WITH_ACCOUNT}) k",
                                 params).scalar()
        rows = self.sql.execute(
            f"""SELECT k.member, m.name, a.exit_effective,
                {CAPITAL} AS contributed,
                {RESERVE} AS reserve_share,
                {TRADED} AS trade_amount
            FROM ({WITH_ACCOUNT}) k
            LEFT JOIN register_members m ON m.org = :org AND m.number = k.member
            LEFT JOIN register_accounts a ON a.org = :org AND a.member = k.member
            ORDER BY k.member LIMIT :limit OFFSET :offset""", params).all()
        return [{"number": row["member"], "name": row["name"] or "",
                 "contributed": int(row["contributed"]),
                 "reserve_share": int(row["reserve_share"]),
                 "trade_amount": int(row["trade_amount"]),
                 "exit_effective": row["exit_effective"]} for row in rows], int(total or 0)

    def trades(self, org: str, *, page: Page, year: int | None = None,
               party: str = "member") -> Rows:
        """Members' trade, or non-members', never mixed; oldest first."""
        if party not in PARTIES:
            raise ValueError(f"party is one of {', '.join(PARTIES)}")
        condition = "t.org = :org AND t.member " + ("<> ''" if party == "member" else "= ''")
        params: dict[str, Any] = {"org": org}
        if year is not None:
            condition += " AND t.year = :year"
            params["year"] = year
        total = self.sql.execute(f"SELECT COUNT(*) AS n FROM register_trades t "
                                 f"WHERE {condition}", params).scalar()
        rows = self.sql.execute(
            "SELECT t.*, m.name FROM register_trades t LEFT JOIN register_members m "
            f"ON m.org = t.org AND m.number = t.member WHERE {condition} "
            "ORDER BY t.traded_on, t.year, t.seq LIMIT :limit OFFSET :offset",
            params | {"limit": page.size, "offset": page.offset}).all()
        return [{"on": row["traded_on"], "member": row["member"], "name": row["name"] or "",
                 "counterparty": row["counterparty"], "direction": row["direction"],
                 "product": row["product"], "quantity": row["quantity"], "unit": row["unit"],
                 "amount": int(row["amount"]), "voucher": row["voucher"],
                 "recorded_at": row["recorded_at"], "recorded_by": row["recorded_by"]}
                for row in rows], int(total or 0)

    def sharing_members(self, org: str, year: int) -> list[str]:
        """Every member on the roll at any time during `year`: joined by 12-31 and not gone
        before 01-01. A member who left during the year still shares in it (Art. 28)."""
        return [row["number"] for row in self.sql.execute(
            "SELECT number FROM register_members WHERE org = :org AND confirmed_on <= :last "
            "AND (ended_on IS NULL OR ended_on >= :first) ORDER BY number",
            {"org": org, "first": f"{year}-01-01", "last": f"{year}-12-31"}).all()]

    def trade_by_year(self, org: str, number: str) -> list[dict[str, Any]]:
        """The member's trade volume each year, both directions, and by product (Art. 44)."""
        years: dict[int, dict[str, Any]] = {}
        for row in self.sql.execute(
                "SELECT year, direction, product, unit, quantity, amount FROM register_trades "
                "WHERE org = :org AND member = :member ORDER BY year, seq",
                {"org": org, "member": number}).all():
            entry = years.setdefault(int(row["year"]), {
                "year": int(row["year"]), "amount": 0, "sold_to_cooperative": 0,
                "bought_from_cooperative": 0, "products": {}})
            amount = int(row["amount"])
            entry["amount"] += amount
            entry[row["direction"]] += amount
            key = (row["product"], row["unit"], row["direction"])
            quantity, total = entry["products"].get(key, (Decimal(0), 0))
            entry["products"][key] = (quantity + Decimal(row["quantity"]), total + amount)
        return [entry | {"products": [
            {"product": product, "unit": unit, "direction": direction,
             "quantity": str(quantity), "amount": amount}
            for (product, unit, direction), (quantity, amount) in sorted(
                entry["products"].items())]} for entry in years.values()]

    def member_trades(self, org: str, number: str, year: int | None = None,
                      ) -> list[dict[str, Any]]:
        """The member's trades one by one, oldest first, each with its voucher."""
        condition = "org = :org AND member = :member"
        if year is not None:
            condition += " AND year = :year"
        return [{"on": row["traded_on"], "direction": row["direction"],
                 "product": row["product"], "quantity": row["quantity"], "unit": row["unit"],
                 "amount": int(row["amount"]), "voucher": row["voucher"]}
                for row in self.sql.execute(
                    f"SELECT * FROM register_trades WHERE {condition} "
                    "ORDER BY traded_on, year, seq",
                    {"org": org, "member": number, "year": year}).all()]
