"""A plan is decided and posted with the figures it was drafted with only while they are still the
figures: the plan previewed again now, with the plan's own terms, must give the same figures and
the same line for every holder. A voucher dated in the plan's year posted after the draft (本年收益
moves), or a cooperative member's trade of that year recorded after it (交易额 moves), makes the
disclosed plan wrong, so it is drafted again rather than decided or posted.

The names, slip codes and kinds of the lines are not figures: they are left out of the comparison.
"""

from __future__ import annotations

from typing import Any

from ledger.distribution.distributions import Distribution
from ledger.distribution.errors import DistributionStateError
from ledger.distribution.plan import Plan
from ledger.kernel.money import format_fen

NOT_FIGURES = frozenset({"holder", "kind", "name", "code"})
COUNTS = frozenset({"shares"})  # a village line's shares are a count, not fen
SCHEME = "cooperative_surplus"  # a cooperative's plan, as its terms name it
SHOWN = 6  # changes named in the message; the context carries every one
# What moves a plan; the other figures and amounts follow from these.
CAUSES = frozenset({"net_income", "undistributed_at_start", "already_distributed", "shares",
                    "trade", "weight"})


def plan_figures(plan: Plan) -> dict[str, int]:
    """A village plan's figures in fen, under the names the plan records."""
    names = ("net_income", "undistributed_at_start", "loss_covered", "distributable",
             "reserve_base", "accumulation", "welfare", "collective_to_reserve",
             "collective_kept", "to_members", "already_distributed", "undistributed_at_end")
    return {name: getattr(plan, name) for name in names} | {"reserve": plan.reserve}


def collective_line(allocated: Any) -> dict[str, Any]:
    return {"holder": allocated.holder, "kind": allocated.kind, "shares": allocated.shares,
            "amount": allocated.amount}


def village_terms(distribution: Distribution) -> dict[str, Any]:
    """The preview's arguments from the terms a village plan recorded when it was drafted."""
    terms = distribution.terms
    return {"year": distribution.year, "record_date": distribution.record_date,
            "reserve": {k.removeprefix("reserve."): v for k, v in terms.items()
                        if k.startswith("reserve.")},
            "to_members": {k.removeprefix("to_members."): v for k, v in terms.items()
                           if k.startswith("to_members.")},
            "collective_share": terms.get("collective_share") or None}


def _shown(key: str, fen: int, *, cooperative: bool) -> str:
    return str(fen) if key in COUNTS and not cooperative else format_fen(fen)


def changes(distribution: Distribution, figures: dict[str, int], lines: list[dict[str, Any]],
            collective: dict[str, Any] | None = None) -> list[str]:
    """What differs between the plan and the same plan computed now, each as "name was→now"
    ("net_income 80000.00→81000.00", "member:0002 trade 0.00→1000.00"); none when the plan
    still holds. A figure the plan did not record (an older plan) is not compared."""
    cooperative = distribution.terms.get("scheme") == SCHEME
    found = [f"{name} {_shown(name, int(was), cooperative=cooperative)}→"
             f"{_shown(name, int(figures[name]), cooperative=cooperative)}"
             for name, was in distribution.figures.items()
             if name in figures and int(was) != int(figures[name])]
    planned = {str(line["holder"]): line for line in distribution.lines}
    now = {str(line["holder"]): line for line in lines}
    for side, line in ((planned, distribution.collective), (now, collective)):
        if line is not None:  # the collective share's line, kept apart from the holders'
            side[str(line["holder"])] = line
    for holder in sorted(set(planned) | set(now)):
        was, is_ = planned.get(holder, {}), now.get(holder, {})
        keys = [k for k in (was or is_) if k not in NOT_FIGURES
                and not (k == "shares" and cooperative)]  # a member's shares repeat its weight
        for key in keys:
            before, after = int(was.get(key, 0)), int(is_.get(key, 0))
            if before != after:
                found.append(f"{holder} {key} {_shown(key, before, cooperative=cooperative)}→"
                             f"{_shown(key, after, cooperative=cooperative)}")
    # What moved it first (the income, a holder's shares or trade), then what followed from it.
    return sorted(found, key=lambda item: item.split(" ")[-2] not in CAUSES)


def check_current(distribution: Distribution, figures: dict[str, int],
                  lines: list[dict[str, Any]], collective: dict[str, Any] | None = None) -> None:
    """Refuse (409) a plan whose figures, computed now with its own terms, are no longer its."""
    changed = changes(distribution, figures, lines, collective)
    if not changed:
        return
    cooperative = distribution.terms.get("scheme") == SCHEME
    what = "the books or the trade" if cooperative else "the books"
    shown = ", ".join(changed[:SHOWN]) + (
        f", and {len(changed) - SHOWN} more" if len(changed) > SHOWN else "")
    raise DistributionStateError(
        f"{what} changed after plan {distribution.number} was drafted ({shown}); cancel it "
        "and draft the plan again", field="figures", distribution=distribution.number,
        changed=changed)
