"""`sunlight disclosures verify`: an auditor's check that every published disclosure is exactly
what the events, replayed from event one, say it should be."""

from __future__ import annotations

import sys

import click

from api.cli.support import storage
from projections.disclosure.verify import verify
from projections.runner import create_tables, open_ledger


@click.group()
def disclosures() -> None:
    """Published disclosures (公开)."""


@disclosures.command("verify")
@click.argument("org")
@click.argument("disclosure", required=False)
def disclosures_verify(org: str, disclosure: str | None) -> None:
    """Rebuild each published disclosure of ORG (or only DISCLOSURE, by id) from the events up
    to the position it was built at, and report any byte that differs. Exits 1 on a difference.
    """
    store = storage()
    create_tables(store)
    app = open_ledger(store)
    try:
        with click.progressbar(length=max(app.log_head(), 1), label="Replaying the events",
                               file=sys.stderr) as bar:
            findings = verify(app, org, disclosure,
                              progress=lambda done, _total: bar.update(done - bar.pos))
    finally:
        app.close()
    if not findings:
        raise click.ClickException(f"no published disclosure of {org}"
                                   + (f" with id {disclosure}" if disclosure else ""))
    for finding in findings:
        mark = "OK  " if finding.ok else "DIFF"
        click.echo(f"{mark} {finding.disclosure}  position {finding.position}  "
                   f"sha256 {finding.digest}  {finding.title}")
        for problem in finding.problems:
            click.echo(f"     {problem}")
    differing = sum(not f.ok for f in findings)
    click.echo(f"{len(findings)} published disclosures checked; {differing} differ.")
    if differing:
        raise SystemExit(1)
