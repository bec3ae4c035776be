"""`sunlight audit verify` and `sunlight audit consistency`: check that the stored history is the
history that was sealed and signed; and `sunlight keys` / `sunlight keys create`: the centre's
signing key, whose fingerprint is printed on every noticeboard sheet.

A verification reads the log and the seals in batches (constant memory, linear time) and exits 1
naming the first position where history diverges, and how (docs/verification.md).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from api.cli.support import storage
from infra.signing import centre_key, fingerprint, public_bytes
from projections.audit.checkpoints import known_keys
from projections.audit.consistency import prove
from projections.audit.verify import verify_chain
from projections.runner import close_views, create_tables, open_ledger, open_views


@click.group()
def audit() -> None:
    """Tamper-evident history: verify the hash chain and its signed checkpoints."""


@audit.command("verify")
@click.argument("org", required=False)
@click.option("--org", "org_option", metavar="CODE",
              help="The same as ORG, as `users grant --org` spells it.")
def audit_verify(org: str | None, org_option: str | None) -> None:
    """Recompute every link from the stored events and compare it with the seals and every
    signed checkpoint: of the whole store, or of ORG's chain only. Exits 1 at the first
    position where history diverges, naming how (altered, deleted, inserted, reordered, seal,
    rewritten, signature); exits 0 when the history is whole, and 2 for an ORG with no events
    here (a mistyped code is not reported whole).
    """
    if org and org_option and org != org_option:
        raise click.UsageError(f"two organizations named: {org} and --org {org_option}")
    org = org or org_option
    store = storage()
    create_tables(store)
    app, views = open_ledger(store), open_views(store)
    try:
        keys = known_keys(store)
        _let_the_sealer_catch_up(app, views["audit"])
        with click.progressbar(length=max(app.log_head(), 1), label="Verifying the chain",
                               file=sys.stderr) as bar:
            result = verify_chain(app, views["audit"], org=org, keys=keys,
                                  progress=lambda done, _total: bar.update(done - bar.pos))
    finally:
        app.close()
        close_views(views)
    if org and not result.events:
        raise click.UsageError(f"no events of {org} here: check the code "
                               "(GET /api/v1/orgs lists them)")
    chain = f"the chain of {org}" if org else "the whole store"
    if not keys:
        click.echo("no centre key here (sunlight keys create): checkpoints' heads are compared, "
                   "their signatures are not checked", err=True)
    if result.first_bad is not None:
        bad = result.first_bad
        click.echo(f"NOT WHOLE: {chain}, first bad position {bad.position} ({bad.kind}): "
                   f"{bad.detail}")
        raise SystemExit(1)
    click.echo(f"WHOLE: {chain}, {result.events} events, head {result.head}, "
               f"{result.checkpoints} signed checkpoints agree")


def _let_the_sealer_catch_up(app: Any, view: Any, seconds: float = 3.0) -> None:
    """On a running server the sealer is a moment behind the log: give it that moment, so that
    an event written just now is not reported as never sealed. A stopped store waits it out."""
    head, deadline = app.log_head(), time.monotonic() + seconds
    while view.position() < head and time.monotonic() < deadline:
        time.sleep(0.1)


@audit.command("consistency")
@click.argument("org")
@click.argument("first", type=click.IntRange(0))
@click.argument("second", type=click.IntRange(1))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the proof (JSON) to this file instead of printing it.")
def audit_consistency(org: str, first: int, second: int, out: Path | None) -> None:
    """Prove that ORG's head signed at position SECOND extends the head signed at FIRST, by
    re-hashing ORG's events between them (use "" for the global chain). Prints the proof as
    JSON; exits 1 if it does not hold."""
    store = storage()
    create_tables(store)
    app, views = open_ledger(store), open_views(store)
    try:
        holds, proof, reason = prove(app, views["audit"], org, first, second, known_keys(store))
    finally:
        app.close()
        close_views(views)
    proof["consistent"] = holds
    text = json.dumps(proof, ensure_ascii=False, sort_keys=True, indent=1)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    if not holds:
        click.echo(f"NOT CONSISTENT: {reason}", err=True)
        raise SystemExit(1)
    click.echo(f"CONSISTENT: {len(proof['events'])} events take the head at {first} to the head "
               f"at {second}", err=True)


def show_centre_key() -> None:
    """Print the centre key's fingerprint and public key (without making it), then the keys kept
    for supervisors who co-signed."""
    import base64

    from infra.cosigners import cosigner_keys

    store = storage()
    cosigners = cosigner_keys(store)
    centre = {key: public for key, public in known_keys(store).items() if key not in cosigners}
    if not centre:
        click.echo("No centre signing key yet: `sunlight keys create` makes it (in "
                   f"{store.data_dir / 'signing.key'}; back it up with the data).")
    for key, public in centre.items():
        click.echo(f"centre signing key (Ed25519)\n  fingerprint {key}\n"
                   f"  public key  {base64.b64encode(public).decode('ascii')}")
    for key, entry in cosigners.items():
        click.echo(f"co-signer {entry['owner']}: fingerprint {key}")


@click.command("create")
def keys_create() -> None:
    """Make the centre's signing key if it has none (kept in the data folder like the other
    keys, or given as SUNLIGHT_SIGNING_KEY), and print its fingerprint."""
    store = storage()
    existed = bool(known_keys(store))
    key = centre_key(store)
    made = "kept" if existed else "made"
    click.echo(f"centre signing key {made}: fingerprint {fingerprint(public_bytes(key))}")
