"""The share register's page: each holder's shares on a day, the totals by class, the
quantification, and the latest movements up to that day.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.register.desk_common import asked_day, today
from api.register.desk_members import org_row
from api.services import services
from projections.books.queries import Page

RECENT_MOVEMENTS = 20


def shares_view(org: str) -> dict[str, Any]:
    """The share register on a day: each holder's shares by class, total and part of all; the
    totals by class; the quantification; and the latest movements up to that day."""
    on = asked_day()
    with services().members.read() as reader:
        register = reader.register(org, on=on)
        _, count = reader.movements(org, page=Page(1, 1), until=on)
        last = max((count + RECENT_MOVEMENTS - 1) // RECENT_MOVEMENTS, 1)
        recent: list[dict[str, Any]] = []
        for number in (last - 1, last):
            if number >= 1:
                recent += reader.movements(org, page=Page(number, RECENT_MOVEMENTS),
                                           until=on)[0]
    names = {h["holder"]: h["name"] for h in register["holders"]}
    movements = [{**m, "from": holder_of(m["source"], names),
                  "to": holder_of(m["target"], names, m["target_name"])}
                 for m in reversed(recent[-RECENT_MOVEMENTS:])]
    return {"on": on.isoformat(), "is_today": on == today(),
            "name": org_row(org)["name_zh"], "r": register,
            "class_names": {c["code"]: c["name_zh"] for c in register["classes"]},
            "movements": movements, "movement_count": count}


def holder_of(holder: str, names: Mapping[str, str], fallback: str = "") -> dict[str, str]:
    """A holder as a movement shows it: its kind, its number and the name known for it."""
    kind, _, ref = holder.partition(":")
    return {"kind": kind, "ref": ref, "name": names.get(holder, "") or fallback}
