"""An OpenAPI fuzzer (schemathesis) runs against the app in-process, once with an accountant's
token and once with an admin's: every phase — the document's examples, its boundaries (coverage),
random data, and chains of calls (stateful) — seeded and bounded, so that a run repeats in CI.

It must find no server error and no answer the document does not describe (status, content type,
schema, headers); no request the document forbids may be accepted, and none it allows may be
refused by the API's own validation (a 400, or a 422 `invalid_request`). A refusal by a rule of
the books — an unknown account, a closed month, a class that does not exist: a 404, a 409, or a
422 naming its rule (`unknown_account` …) — depends on what the books hold, which no OpenAPI
document can say, so it is not counted against the document.

`SUNLIGHT_FUZZ_EXAMPLES=50 pytest tests/api/test_fuzz_openapi.py -s` fuzzes deeper than CI does.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis.engine import events, from_schema

from api.disclosure.schemas import ANNOTATION_KEY
from ledger.kernel.text import KEY_PREFIX
from projections.runner import catch_up_all
from tests.api.conftest import ORG, make_user, signed_in

SEED = 20261122
MAX_EXAMPLES = int(os.environ.get("SUNLIGHT_FUZZ_EXAMPLES", "5"))
STATEFUL_STEPS = 6

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance",
          "negative_data_rejection", "missing_required_header", "unsupported_method",
          "use_after_free", "ensure_resource_availability")
# - positive_data_acceptance counts every 422 as the document's fault, also one naming a rule of
#   the books; `edge_accepts_what_the_document_allows` below is that check without them.
# - allow_header_conformance: GET /members/import is GET /members/{number} for a member numbered
#   "import" (a 404), so Flask rightly lists GET in that address's Allow header.
# - ignored_auth: its probe without credentials crashes schemathesis 4.32's in-process (WSGI)
#   transport (max_redirects reaches werkzeug); tests/api/test_authorization.py covers it.
EXCLUDED = ("positive_data_acceptance", "allow_header_conformance", "ignored_auth")

# Rules an OpenAPI 3.0 schema cannot state, which the document therefore says in words: rules
# between fields, and the keys of a map (also that a key is clean text: KEY_PREFIX).
RULES_IN_WORDS = frozenset({
    "give either a debit or a credit amount",  # LineIn
    "must be greater than zero",  # LineIn: the side given
    "must not be before from",  # from/to of a report or a list
    "from and to must be in the same year",  # the income statement
    "the quantification's resolution and reserve come with its day",  # the roll's import
    ANNOTATION_KEY,  # a disclosure's annotations, by voucher line
})
EDGE_CODES = frozenset({"bad_request", "invalid_request"})


def refused_by_the_edge(status: int, body: Any) -> list[str]:
    """The reasons the API's own validation gave for refusing a request; [] if it did not."""
    error = body.get("error") if isinstance(body, dict) else None
    if status not in (400, 422) or not isinstance(error, dict):
        return []
    if error.get("code") not in EDGE_CODES:
        return []  # a rule of the books, named by its own code
    reasons = [str(item.get("reason")) for item in error.get("errors") or []]
    if reasons and all(reason in RULES_IN_WORDS or reason.startswith(KEY_PREFIX)
                       for reason in reasons):
        return []
    return reasons or [str(error.get("message"))]


@schemathesis.check
def edge_accepts_what_the_document_allows(ctx: Any, response: Any, case: Any) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return None
    reasons = refused_by_the_edge(response.status_code, body)
    if reasons:
        raise AssertionError(f"valid by the document, refused with {response.status_code}: "
                             + "; ".join(reasons))
    return None


@dataclass
class Tally:
    """What the fuzzer sent and got, counted at the WSGI boundary."""

    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    projection_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class Projecting:
    """The app, with the projections brought up to date after every request and whenever a
    request waits for them (?wait=true, ?after=), as an instant projection process would."""

    def __init__(self, app: Flask, tally: Tally, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app, self.tally = app, tally
        self.services = app.extensions["sunlight"]
        self.lock = threading.Lock()  # one catch-up at a time: each position is tracked once
        waiting = self.services.wait_for

        def wait_for(position: int | None, timeout: float = 5.0) -> bool:
            self.catch_up(f"a wait for position {position}")
            return waiting(position, timeout)

        monkeypatch.setattr(self.services, "wait_for", wait_for)

    def catch_up(self, after: str) -> None:
        with self.lock:
            try:
                catch_up_all(self.services.ledger, self.services.views)
            except Exception as error:  # a projection that cannot take an event is a bug
                self.tally.projection_errors.append(f"after {after}: {error!r}")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any],
                 ) -> Iterable[bytes]:
        line = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}?{environ['QUERY_STRING']}"
        tally = self.tally

        def counted(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            code = int(status.split()[0])
            with tally.lock:
                tally.statuses[code] += 1
                if code >= 500:
                    tally.server_errors.append(f"{code} {line}")
            return start_response(status, headers, *args)

        try:
            return list(self.app(environ, counted))
        finally:
            self.catch_up(line)


def books_with_users(app: Flask) -> dict[str, str]:
    """Given a village with two sub-accounts, its accountant, and the centre's admin."""
    tokens = {"admin": make_user(app, "chief", ("*", "admin"))}
    admin = signed_in(app, tokens["admin"])
    assert admin.post("/api/v1/orgs", json=ORG).status_code == 201
    tokens["accountant"] = make_user(app, "wang", (ORG["code"], "accountant"))
    accountant = signed_in(app, tokens["accountant"])
    for parent, code, name in (("501", "50101", "发包收入"), ("513", "51301", "干部报酬")):
        response = accountant.post(f"/api/v1/orgs/{ORG['code']}/accounts", json={
            "parent": parent, "code": code, "name_zh": name})
        assert response.status_code == 201, response.get_json()
    services = app.extensions["sunlight"]
    catch_up_all(services.ledger, services.views)
    return tokens


def token_keeper(app: Flask, login: str, first: str) -> type:
    """An auth provider for schemathesis: the user's token, or a new one once the fuzzer has
    revoked it (POST users/me/tokens/{id}/revoke is fuzzed like any other write)."""
    ledger = app.extensions["sunlight"].ledger
    current = [first]

    class KeepToken:
        def get(self, case: Any, ctx: Any) -> str:
            if ledger.identity.authenticate_token(current[0]) is None:
                current[0] = ledger.identity.issue_token(login, label="fuzzer", expires_at=None,
                                                         actor=login)[1]
            return current[0]

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return KeepToken


@dataclass
class Run:
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    links: int = 0  # links between operations the stateful phase inferred and followed


def describe(interaction: Any, check: Any) -> str:
    request, response = interaction.request, interaction.response
    failure = check.failure_info.failure if check.failure_info else None
    sent = (request.body or b"")[:300] if isinstance(request.body, bytes) else request.body
    got = (response.content or b"")[:300] if response is not None else b""
    return (f"{request.method} {request.uri} {sent!r} -> "
            f"{response.status_code if response is not None else None} {got!r}: "
            f"{failure.title if failure else ''} {failure.message if failure else ''}"[:1500])


def fuzz(wsgi: Callable[..., Any], provider: type) -> Run:
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "workers": 1,
        "parameters": {"org": ORG["code"]},
        "generation": {
            "max-examples": MAX_EXAMPLES, "database": "none",
            # NUL and control characters are sent: the document's patterns say which texts
            # are clean. A lone surrogate has no UTF-8 form, so a UTF-8 body never holds one.
            "allow-x00": True, "codec": "utf-8",
        },
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True},
                   "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True, "max-steps": STATEFUL_STEPS}},
        "checks": {**{name: {"enabled": True} for name in CHECKS},
                   **{name: {"enabled": False} for name in EXCLUDED},
                   "edge_accepts_what_the_document_allows": {"enabled": True}},
    })
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi, config=config)
    schema.auth(refresh_interval=None)(provider)
    run = Run()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            run.operations.add(event.recorder.label)
            run.cases += len(event.recorder.cases)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status.name != "FAILURE":
                        continue
                    run.failures[check.name] += 1
                    interaction = event.recorder.interactions.get(case_id)
                    found = run.examples.setdefault(check.name, [])
                    if len(found) < 5 and interaction is not None:
                        found.append(describe(interaction, check))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            error = getattr(event, "value", getattr(event, "exception", event))
            run.errors.append(f"{getattr(event, 'label', '')}: {error}")
        elif isinstance(event, events.PhaseStarted) and isinstance(
                event.payload, events.StatefulPhasePayload):
            run.links = event.payload.transitions_selected
        elif isinstance(event, events.PhaseFinished):
            run.phases[event.phase.name.value] = event.status.value
    return run


@pytest.mark.parametrize("who", ["accountant", "admin"])
def test_the_fuzzer_finds_the_server_and_its_document_in_agreement(app, who, capsys,
                                                                   monkeypatch):
    tokens = books_with_users(app)
    login = {"accountant": "wang", "admin": "chief"}[who]
    tally = Tally()

    run = fuzz(Projecting(app, tally, monkeypatch), token_keeper(app, login, tokens[who]))

    summary = (f"{who}: {len(run.operations)} operations, {run.cases} cases, {tally.requests} "
               f"requests, statuses {dict(sorted(tally.statuses.items()))}, phases {run.phases}, "
               f"{run.links} links between operations, "
               f"failures {dict(run.failures)}")
    with capsys.disabled():
        print(f"\nschemathesis {schemathesis.__version__} {summary}")
    assert not run.errors, run.errors[:5]
    assert run.phases.get("stateful") == "success" and run.links > 0, summary  # it ran
    assert not tally.server_errors, tally.server_errors[:10]
    assert not tally.projection_errors, tally.projection_errors[:5]
    assert not run.failures, f"{summary}\n{json.dumps(run.examples, indent=1)}"
