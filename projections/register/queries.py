"""Questions asked of the register read model: the member roll, the households and the share
register, each as it stood on a given day (None: after every change recorded, future-dated ones
included). A change counts from the day it is dated, whenever it was recorded, so a backdated
movement shows on its day and a later-dated one never shows before it.

Every answer is a plain function of the rows of one snapshot; ID and phone numbers appear only
sealed and masked, as the events carried them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from projections.books.queries import Page
from projections.db import Sql
from projections.register.accounts import AccountsReader
from projections.register.view import RegisterView

Rows = tuple[list[dict[str, Any]], int]
LATEST = date.max.isoformat()
STATUSES = ("active", "ended", "all")
ORG_NAME = "集体"
KINDS = ("org", "household", "member", "outside")
# Each member with the household they were in on :on; only those confirmed by then.
PLACED = """SELECT m.*, (SELECT s.household FROM register_memberships s
        WHERE s.org = m.org AND s.member = m.number AND s.since_on <= :on
        ORDER BY s.since_on DESC, s.seq DESC LIMIT 1) AS household_on
    FROM register_members m WHERE m.org = :org AND m.confirmed_on <= :on"""
HEAD_ON = """(SELECT h.head FROM register_heads h WHERE h.org = :org AND h.household = {of}
    AND h.since_on <= :on ORDER BY h.since_on DESC, h.seq DESC LIMIT 1)"""
ACTIVE = "(p.ended_on IS NULL OR p.ended_on > :on)"
MOVEMENT_KEYS = ("kind", "source", "target", "target_name", "share_class", "basis",
                 "recorded_at", "recorded_by")


def _day(on: date | None) -> str:
    return LATEST if on is None else on.isoformat()


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage to two places, half up: exact, as a string."""
    if not whole:
        return "0.00"
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _holder_order(row: dict[str, Any]) -> tuple[int, int, str]:
    ref = row["ref"]
    return KINDS.index(row["kind"]), int(ref) if ref.isdigit() else -1, ref


class RegisterReader(AccountsReader):
    """Reads within one transaction, so every answer reflects the same position of the log."""

    def __init__(self, sql: Sql, view: RegisterView) -> None:
        self.sql = sql
        self._view = view

    def position(self) -> int:
        return self._view.position_in(self.sql)

    # -- the roll (成员名册) --------------------------------------------------------------------

    def _placed(self, org: str, on: str, condition: str, params: dict[str, Any],
                page: Page | None = None) -> Rows:
        """Members confirmed by `on` meeting `condition` (over `p`, with p.household_on), in
        household then number order, with their household's head on that day."""
        params = {"org": org, "on": on, **params}
        where = f"WHERE {condition}" if condition else ""
        total = self.sql.execute(f"WITH placed AS ({PLACED}) SELECT COUNT(*) AS n "
                                 f"FROM placed p {where}", params).scalar()
        limit = ""
        if page is not None:
            limit = "LIMIT :limit OFFSET :offset"
            params |= {"limit": page.size, "offset": page.offset}
        rows = self.sql.execute(
            f"WITH placed AS ({PLACED}) SELECT p.*, {HEAD_ON.format(of='p.household_on')} "
            f"AS head_on FROM placed p {where} ORDER BY p.household_on, p.number {limit}",
            params).all()
        return [self._member_row(row, on) for row in rows], int(total or 0)

    @staticmethod
    def _member_row(row: dict[str, Any], on: str) -> dict[str, Any]:
        # As the member stood on the day: an end dated later had not happened yet.
        ended = row["ended_on"] is not None and row["ended_on"] <= on
        return {
            "number": row["number"], "name": row["name"], "sex": row["sex"],
            "born": row["born"], "household": row["household_on"] or "",
            "head": row["head_on"] == row["number"], "basis": row["basis"],
            "confirmed_on": row["confirmed_on"], "resolution": row["resolution"],
            "resolution_date": row["resolution_date"],
            "ended_on": row["ended_on"] if ended else None,
            "ended_basis": row["ended_basis"] if ended else "",
            "document": row["document"] if ended else "", "active": not ended,
            "id_masked": row["id_masked"], "id_sealed": row["id_sealed"],
            "phone_masked": row["phone_masked"], "phone_sealed": row["phone_sealed"],
        }

    def roll(self, org: str, *, page: Page, on: date | None = None,
             household: str | None = None, status: str = "active",
             q: str | None = None) -> Rows:
        if status not in STATUSES:
            raise ValueError(f"status is one of {', '.join(STATUSES)}")
        conditions = {"active": [ACTIVE], "ended": ["p.ended_on <= :on"], "all": []}[status]
        params: dict[str, Any] = {}
        if household is not None:
            conditions.append("p.household_on = :household")
            params["household"] = household
        if q:
            escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append("(p.name LIKE :q ESCAPE '\\' OR p.number LIKE :q ESCAPE '\\')")
            params["q"] = f"%{escaped}%"
        return self._placed(org, _day(on), " AND ".join(conditions), params, page)

    def member(self, org: str, number: str, on: date | None = None) -> dict[str, Any] | None:
        """The member as they stood on the day, with every change ever recorded, by date."""
        rows, _ = self._placed(org, _day(on), "p.number = :number", {"number": number})
        if not rows:
            return None
        history = self.sql.execute(
            "SELECT changed_on, change, detail, recorded_at, recorded_by FROM "
            "register_member_history WHERE org = :org AND member = :number "
            "ORDER BY changed_on, seq", {"org": org, "number": number}).all()
        return rows[0] | {"history": [
            {"on": row["changed_on"], "change": row["change"], **json.loads(row["detail"]),
             "recorded_at": row["recorded_at"], "recorded_by": row["recorded_by"]}
            for row in history]}

    # -- households (户) ------------------------------------------------------------------------

    def households(self, org: str, *, page: Page, on: date | None = None) -> Rows:
        day = _day(on)
        params = {"org": org, "on": day}
        total = self.sql.execute("SELECT COUNT(*) AS n FROM register_households "
                                 "WHERE org = :org AND registered_on <= :on", params).scalar()
        rows = self._households(day, "AND registered_on <= :on ORDER BY number "
                                "LIMIT :limit OFFSET :offset",
                                params | {"limit": page.size, "offset": page.offset})
        return rows, int(total or 0)

    def household(self, org: str, number: str, on: date | None = None) -> dict[str, Any] | None:
        rows = self._households(_day(on), "AND registered_on <= :on AND number = :number",
                                {"org": org, "on": _day(on), "number": number})
        return rows[0] if rows else None

    def _households(self, day: str, clause: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        found = self.sql.execute(
            f"SELECT hh.number, hh.address, hh.registered_on, {HEAD_ON.format(of='hh.number')} "
            f"AS head FROM register_households hh WHERE hh.org = :org {clause}", params).all()
        if not found:
            return []
        listed = {f"h{i}": row["number"] for i, row in enumerate(found)}
        members, _ = self._placed(
            params["org"], day,
            f"{ACTIVE} AND p.household_on IN ({', '.join(':' + key for key in listed)})",
            listed)
        names = self._names(params["org"], sorted({row["head"] for row in found if row["head"]}))
        rows = []
        for row in found:
            people = [{"number": m["number"], "name": m["name"], "head": m["head"]}
                      for m in members if m["household"] == row["number"]]
            rows.append({"number": row["number"], "address": row["address"],
                         "registered_on": row["registered_on"], "head": row["head"] or "",
                         "head_name": names.get(row["head"] or "", ""), "members": people,
                         "member_count": len(people)})
        return rows

    def _names(self, org: str, numbers: list[str]) -> dict[str, str]:
        if not numbers:
            return {}
        listed = {f"n{i}": number for i, number in enumerate(numbers)}
        return {row["number"]: row["name"] for row in self.sql.execute(
            "SELECT number, name FROM register_members WHERE org = :org AND number IN "
            f"({', '.join(':' + key for key in listed)})", {"org": org, **listed}).all()}

    # -- the share register (股权登记簿) --------------------------------------------------------

    def share_classes(self, org: str) -> list[dict[str, Any]]:
        return self.sql.execute("SELECT code, name_zh, basis, per_person, cap_percent FROM "
                                "register_share_classes WHERE org = :org ORDER BY seq",
                                {"org": org}).all()

    def register(self, org: str, *, on: date | None = None) -> dict[str, Any]:
        day = _day(on)
        found = self.sql.execute("SELECT holding, quantified_on, resolution FROM "
                                 "register_share_registers WHERE org = :org", {"org": org}).one()
        classes = self.share_classes(org)
        answer: dict[str, Any] = {
            "on": None if on is None else day,
            "quantified_on": found["quantified_on"] if found else None,
            "holding": found["holding"] if found else "",
            "resolution": found["resolution"] if found else "",
            "classes": classes, "totals": {}, "grand_total": 0, "holders": []}
        if answer["quantified_on"] is None or day < answer["quantified_on"]:
            return answer
        held: dict[str, dict[str, int]] = {}
        for row in self.sql.execute(
                "SELECT holder, share_class, SUM(quantity) AS quantity FROM "
                "register_share_entries WHERE org = :org AND effective_on <= :on "
                "GROUP BY holder, share_class", {"org": org, "on": day}).all():
            if int(row["quantity"]):
                held.setdefault(row["holder"], {})[row["share_class"]] = int(row["quantity"])
        totals = {c["code"]: sum(h.get(c["code"], 0) for h in held.values()) for c in classes}
        grand = sum(totals.values())
        names = self._holder_names(org, day)
        holders = []
        for holder, by_class in held.items():
            kind, _, ref = holder.partition(":")
            name, votes = names.get(holder, ("", False))
            total = sum(by_class.values())
            holders.append({"holder": holder, "kind": kind, "ref": ref, "name": name,
                            "votes": votes, "by_class": dict(sorted(by_class.items())),
                            "total": total, "percent": percent(total, grand)})
        return answer | {"totals": totals, "grand_total": grand,
                         "holders": sorted((h for h in holders if h["total"]),
                                           key=_holder_order)}

    def _holder_names(self, org: str, day: str) -> dict[str, tuple[str, bool]]:
        """Each possible holder's name on the day, and whether it votes: a member still a
        member, a household with a member left; never the organization or an outside heir."""
        members, _ = self._placed(org, day, "", {})
        names: dict[str, tuple[str, bool]] = {"org": (ORG_NAME, False)}
        for m in members:
            names[f"member:{m['number']}"] = (m["name"], m["active"])
        voting = {m["household"] for m in members if m["active"]}
        by_number = {m["number"]: m["name"] for m in members}
        for row in self.sql.execute(
                f"SELECT hh.number, {HEAD_ON.format(of='hh.number')} AS head "
                "FROM register_households hh WHERE hh.org = :org",
                {"org": org, "on": day}).all():
            names[f"household:{row['number']}"] = (by_number.get(row["head"] or "", ""),
                                                   row["number"] in voting)
        for row in self.sql.execute("SELECT holder, name FROM register_outside_holders "
                                    "WHERE org = :org", {"org": org}).all():
            names[row["holder"]] = (row["name"], False)
        return names

    def movements(self, org: str, *, page: Page, since: date | None = None,
                  until: date | None = None, holder: str | None = None) -> Rows:
        """Share movements by the day they are dated, then the order they were recorded."""
        conditions, params = ["org = :org"], {"org": org}
        if since is not None:
            conditions.append("moved_on >= :since")
            params["since"] = since.isoformat()
        if until is not None:
            conditions.append("moved_on <= :until")
            params["until"] = until.isoformat()
        if holder is not None:
            conditions.append("(source = :holder OR target = :holder)")
            params["holder"] = holder
        condition = " AND ".join(conditions)
        total = self.sql.execute(f"SELECT COUNT(*) AS n FROM register_share_movements "
                                 f"WHERE {condition}", params).scalar()
        rows = self.sql.execute(
            f"SELECT * FROM register_share_movements WHERE {condition} ORDER BY moved_on, seq "
            "LIMIT :limit OFFSET :offset",
            params | {"limit": page.size, "offset": page.offset}).all()
        return [{key: row[key] for key in MOVEMENT_KEYS} | {
            "on": row["moved_on"], "quantity": int(row["quantity"]),
            "price": int(row["price"])} for row in rows], int(total or 0)


class MemberQueries:
    """Opens readers on the register read model; a method called here reads in its own
    snapshot."""

    def __init__(self, view: RegisterView) -> None:
        self.view = view

    @contextmanager
    def read(self) -> Iterator[RegisterReader]:
        with self.view.sql() as sql:
            yield RegisterReader(sql, self.view)

    def __getattr__(self, name: str) -> Any:
        method = getattr(RegisterReader, name)

        def in_own_snapshot(*args: Any, **kwargs: Any) -> Any:
            with self.read() as reader:
                return method(reader, *args, **kwargs)

        return in_own_snapshot
