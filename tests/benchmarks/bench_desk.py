"""Benchmark: every desk page of the demo village, timed in process through Flask's test client on
SQLite, beside a baseline measured in the same run: GET /healthz (the app's floor) and the JSON
trial balance (a read of the books through the API).

    .venv/bin/python tests/benchmarks/bench_desk.py [--runs 20]

The pages are those the Chinese test walks (tests/api/desk_walk.py): each GET route of the desk
in the app's URL map, filled from the demo's read models, read by the demo accountant. It prints
each page's median and 95th percentile in milliseconds, the ratio of its median to the JSON
trial balance's, and marks a page slower than the goal (100 ms). Not a test: pytest does not
collect it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script: the repository's root on the path, for the walk shared with the tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from demo.village import DEMO_ORG
from tests.api.desk_walk import (
    demo_app,
    desk_rules,
    filled,
    samples,
    signed_in,
)
from tests.conftest import Clock

GOAL_MS = 100.0
# One record of each kind is enough to time a page; the Chinese test walks more.
QUERIES = {"/desk/<org>/reports/ledger": "?account=102"}


def timed(runs: int, get: Callable[[], object]) -> tuple[float, float]:
    """(median, p95) in milliseconds, after one unmeasured warm-up."""
    get()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        get()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, users = demo_app(Path(folder), Clock())
        try:
            password, token = users["kuaiji"]
            desk = signed_in(app, "kuaiji", password)
            # The audit page is the auditors' and supervisors', as the API's rule: read by one.
            auditing = signed_in(app, "jiandu", users["jiandu"][0])
            api = app.test_client()
            api.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
            keys = samples(app, token)

            def get(client: object, path: str) -> Callable[[], object]:
                def one() -> object:
                    response = client.get(path)  # type: ignore[attr-defined]
                    # /desk/<org> is an address to type: it answers a redirect to the desk home.
                    assert response.status_code in (200, 302, 422), (path, response.status_code)
                    return response
                return one

            rows = [("GET /healthz (baseline)", timed(args.runs, get(api, "/healthz"))),
                    ("JSON trial balance (baseline)", timed(args.runs, get(
                        api, f"/api/v1/orgs/{DEMO_ORG}/reports/trial-balance")))]
            for rule in desk_rules(app):
                path = filled(rule, keys)[-1] + QUERIES.get(rule, "")
                rows.append((path.replace(f"/desk/{DEMO_ORG}", "…"),
                             timed(args.runs, get(auditing if rule.endswith("/audit")
                                                  else desk, path))))
            report(rows, args.runs)
        finally:
            app.extensions["sunlight"].close()


def report(rows: list[tuple[str, tuple[float, float]]], runs: int) -> None:
    base = rows[1][1][0]
    width = max(len(name) for name, _ in rows)
    print(f"demo village, SQLite, in process, {runs} runs each; ratio = median / JSON trial "
          f"balance's median")
    print(f"  {'page':<{width}}  {'median':>8}  {'p95':>8}  {'ratio':>6}")
    for name, (median, p95) in rows:
        mark = "  over 100 ms" if median > GOAL_MS else ""
        print(f"  {name:<{width}}  {median:6.1f}ms  {p95:6.1f}ms  {median / base:6.2f}{mark}")
    # A printed voucher is a download made by WeasyPrint (layout, CJK font subsetting), not a
    # page; it is shown, but the goal is for pages.
    pages = [(name, median) for name, (median, _) in rows[2:] if not name.endswith(".pdf")]
    slow = [name for name, median in pages if median > GOAL_MS]
    print(f"slowest desk page (PDF downloads aside): {max(m for _, m in pages):.1f} ms; "
          f"{len(slow)} of {len(pages)} over {GOAL_MS:.0f} ms")


if __name__ == "__main__":
    main()
