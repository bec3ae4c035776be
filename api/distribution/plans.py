"""A distribution plan in one shape whatever it comes from — a preview (nothing written), the
aggregate a command returns, or the read model's row — so a POST answers what a later GET shows.
Amounts stay int fen here; the schemas write them as decimal strings. A cooperative's plan (2017
Law Art. 44) adds its members' trade, weight, return and remaining share, and T and D − T."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ledger.cooperative import SCHEME, SurplusPlan, surplus_figures, surplus_terms
from ledger.distribution import Distribution, Plan, holder_order

FIGURES = ("net_income", "undistributed_at_start", "loss_covered", "distributable",
           "reserve_base", "accumulation", "welfare", "reserve", "collective_to_reserve",
           "collective_kept", "to_members", "already_distributed", "undistributed_at_end")


def _member(line: dict[str, Any]) -> dict[str, Any]:
    """A cooperative member's keys, from a stored line ("return") or a read-model row."""
    if line.get("trade") is None:
        return {}
    return {"trade": line["trade"], "weight": line["weight"],
            "trade_return": line["return"] if "return" in line else line["trade_return"],
            "remaining": line["remaining"]}


def first_member(line: dict[str, Any]) -> dict[str, Any]:
    """A headless household's first member and count (null and 0 on any other line, and on a
    plan drafted before they were kept), from a stored line, a read-model row or a preview."""
    first = line.get("first_member") or None
    return {"first_member": first, "members": int(line.get("members") or 0) if first else 0}


def _holder(line: dict[str, Any], paid: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"holder": line["holder"], "kind": line["kind"], "name": line.get("name", ""),
            **first_member(line),
            "shares": line["shares"], "amount": line["amount"], "paid": paid is not None,
            "paid_on": paid["date"] if paid else None,
            "paid_voucher": paid["voucher"] if paid else None,
            "payee": paid["payee"] if paid else None, **_member(line)}


def _surplus(terms: dict[str, str], figures: dict[str, int]) -> dict[str, Any]:
    """T, D − T and T's percentage of D, for a cooperative's plan only."""
    if terms.get("scheme") != SCHEME:
        return {}
    d, t = figures.get("distributable", 0), figures.get("trade_return", 0)
    percent = "0.00" if not d else str((Decimal(t * 100) / d).quantize(Decimal("0.01")))
    return {"trade_return": t, "remaining": figures.get("remaining", 0),
            "trade_return_percent": percent}


def _totals(holders: list[dict[str, Any]]) -> dict[str, int]:
    return {"paid_total": sum(h["amount"] for h in holders if h["paid"]),
            "unpaid_total": sum(h["amount"] for h in holders if not h["paid"])}


def plan_from_preview(plan: Plan, *, record_date: Any, terms: dict[str, str],
                      names: dict[str, str],
                      headless: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """What drafting would write now, with each holder's name from the register (a headless
    household's first member and count, `headless`, as drafting would keep them)."""
    holders = [_holder({"holder": a.holder, "kind": a.kind, "name": names.get(a.holder, ""),
                        "shares": a.shares, "amount": a.amount,
                        **(headless or {}).get(a.holder, {})}) for a in plan.lines]
    collective = None if plan.collective is None else _holder(
        {"holder": plan.collective.holder, "kind": plan.collective.kind, "name": "",
         "shares": plan.collective.shares, "amount": plan.collective.amount})
    return {"id": None, "year": plan.year, "record_date": record_date, "matter": None,
            "status": "preview", "terms": terms, "voucher": None, "posted_on": None,
            "cancel_reason": None, "plan_disclosed_on": None,
            **{name: getattr(plan, name) for name in FIGURES}, **_totals(holders),
            "holders": holders, "collective": collective}


def plan_from_surplus_preview(plan: SurplusPlan, *, record_date: Any,
                              names: dict[str, str]) -> dict[str, Any]:
    """A cooperative's plan as drafting would write it now."""
    terms, figures = surplus_terms(plan), surplus_figures(plan)
    holders = [_holder({"holder": a.holder, "kind": "member", "name": names.get(a.holder, ""),
                        "shares": a.weight, "amount": a.amount, "trade": a.trade,
                        "weight": a.weight, "return": a.trade_return,
                        "remaining": a.remaining}) for a in plan.lines]
    return {"id": None, "year": plan.year, "record_date": record_date, "matter": None,
            "status": "preview", "terms": terms, "voucher": None, "posted_on": None,
            "cancel_reason": None, "plan_disclosed_on": None,
            **{name: figures.get(name, 0) for name in FIGURES}, **_surplus(terms, figures),
            **_totals(holders), "holders": holders, "collective": None}


def plan_from_aggregate(d: Distribution) -> dict[str, Any]:
    holders = [_holder(line, d.paid.get(line["holder"]))
               for line in sorted(d.lines, key=lambda x: holder_order(x["holder"]))]
    return {"id": d.number, "year": d.year, "record_date": d.record_date, "matter": d.matter,
            "status": d.status, "terms": dict(d.terms), "voucher": d.voucher or None,
            "posted_on": d.posted_on, "cancel_reason": d.cancel_reason or None,
            "plan_disclosed_on": d.disclosed_on("plan"),
            **{name: d.figures.get(name, 0) for name in FIGURES},
            **_surplus(d.terms, d.figures), **_totals(holders),
            "holders": holders,
            "collective": None if d.collective is None else _holder(d.collective)}


def plan_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A read-model plan (DistributionQueries.distribution), lines included when it has them."""
    holders = [{**line, "paid_voucher": line["paid_voucher"], "paid_on": line["paid_on"],
                **first_member(line)} for line in row.get("lines", [])]
    return {"id": row["number"], "year": row["year"], "record_date": row["record_date"],
            "matter": row["matter"], "status": row["status"], "terms": row["terms"],
            "voucher": row["voucher"] or None, "posted_on": row["posted_on"],
            "cancel_reason": row["cancel_reason"] or None,
            "plan_disclosed_on": row["plan_disclosed_on"],
            **{name: row["figures"].get(name, 0) for name in FIGURES},
            **_surplus(row["terms"], row["figures"]),
            "paid_total": row.get("paid_total", 0), "unpaid_total": row.get("unpaid_total", 0),
            "holders": holders,
            "collective": None if not row["collective"] else _holder(row["collective"])}


def unpaid(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The holders still owed something."""
    return [h for h in plan["holders"] if not h["paid"] and h["amount"] > 0]
