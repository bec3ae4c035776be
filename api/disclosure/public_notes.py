"""The notes to the statements (会计报表附注) as a villager reads them under a balance sheet or
income statement: the policies, the largest receivables and payables, the subsidies, the
contingent matters. Rule: only what the published content says, amounts shown as published;
a party is shown by its number on the roll (成员 0012, 户 003), never by a name.
"""

from __future__ import annotations

from typing import Any

from api.i18n import current_locale, gettext
from api.render.charts import yuan
from ledger.kernel.money import AmountError, parse_fen


def _shown(text: str) -> str:
    try:
        return yuan(parse_fen(text))
    except AmountError:
        return text


def party_label(party: str) -> str:
    """member:0012 as 成员 0012, household:003 as 户 003; anything else as it is."""
    kind, _, number = party.partition(":")
    if kind == "member":
        return gettext("Member %(number)s", number=number)
    if kind == "household":
        return gettext("Household %(number)s", number=number)
    return party


def _account(row: dict[str, Any]) -> str:
    name = row["name_en"] if current_locale() == "en" and row.get("name_en") else row["name_zh"]
    return f"{row['code']} {name}"


def _side(side: dict[str, Any]) -> dict[str, Any]:
    return {"shown": _shown(side["amount"]), "capital": side["amount_capital"],
            "by_party": [{"no": p["no"], "label": party_label(p["party"]),
                          "shown": _shown(p["amount"])} for p in side["by_party"]],
            "by_account": [{"no": a["no"], "label": _account(a), "shown": _shown(a["amount"])}
                           for a in side["by_account"]]}


def notes_view(content: dict[str, Any]) -> dict[str, Any] | None:
    """The notes of a format-3 statement, or None for a disclosure without them."""
    notes = content.get("notes_to_statements")
    if notes is None:
        return None
    subsidies = notes["subsidies"]
    figures = ("opening", "received", "used", "closing")
    return {
        "policies": notes["policies_en"] if current_locale() == "en" else notes["policies"],
        "cooperative": content["org"].get("kind") == "farmers_cooperative",
        "receivables": _side(notes["receivables"]),
        "payables": _side(notes["payables"]),
        "subsidy_income": _shown(subsidies["income"]["amount"]),
        "grants": [{"label": _account(g), **{k: _shown(g[k]) for k in figures}}
                   for g in subsidies["earmarked"]],
        "grant_totals": {k: _shown(v["amount"]) for k, v in subsidies["earmarked_totals"].items()},
        "contingent": notes["contingent"],
    }
