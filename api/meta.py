"""About the service itself: how far the read models have caught up, the API's documentation,
a landing page that points to both, and the site's icon (the one every browser asks for at
/favicon.ico)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Response, current_app, render_template, send_file
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from api.auth import ADMIN, PUBLIC, rule
from api.services import services
from projections.books.queries import Page
from projections.faults import faults

blp = Blueprint("status", __name__, url_prefix="/api/v1",
                description="How far the read models have caught up with the event log (admin).")
pages = FlaskBlueprint("pages", __name__)
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.ico"
ICON_MAX_AGE = 7 * 24 * 3600  # a week: the icon changes with a release, if ever


class FaultOut(Schema):
    name = fields.String(metadata={"description": "The read model."})
    position = fields.Integer(metadata={"description": "Where it stays."})
    event = fields.Integer(metadata={"description": "The event it cannot project."})
    topic = fields.String()
    org = fields.String()
    error = fields.String()
    since = fields.String()
    attempts = fields.Integer()


class StatusOut(Schema):
    log_head = fields.Integer(metadata={"description": "Position of the newest event."})
    read_models = fields.Dict(keys=fields.String(), values=fields.Integer())
    lag = fields.Integer(metadata={"description": "Events not yet in the read models."})
    faults = fields.List(fields.Nested(FaultOut), metadata={
        "description": "Read models stopped before an event they cannot project; the others go "
                       "on. Empty when every read model follows the log."})


@blp.route("/status")
class Status(MethodView):
    # The whole centre's event count is the operators' business, not any one village's.
    @rule(ADMIN)
    @blp.response(200, StatusOut)
    def get(self) -> dict[str, Any]:
        """Event-log head and read-model positions"""
        head = services().ledger.log_head()
        positions = {name: view.position() for name, view in services().views.items()}
        return {"log_head": head, "read_models": positions,
                "lag": max(head - min(positions.values()), 0),
                "faults": faults(services().view)}


@pages.route("/api/v1/docs")
@rule(PUBLIC)
def docs() -> str:
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return render_template("docs.html", spec=spec)


@pages.route("/healthz")
@rule(PUBLIC)
def health() -> dict[str, str]:
    """For load balancers: answers while the process serves, and tells nothing else."""
    return {"status": "ok"}


@pages.route("/")
@rule(PUBLIC)
def index() -> str:
    with services().queries.read() as reader:
        orgs, _ = reader.organizations(Page(1, 100))
    return render_template("index.html", orgs=orgs,
                           today=services().ledger.clock().isoformat())


@pages.get("/favicon.ico")
@rule(PUBLIC)
def favicon() -> Response:
    """The icon browsers ask for on every first visit (the pages also name /static/icon.svg)."""
    return send_file(FAVICON, mimetype="image/vnd.microsoft.icon", max_age=ICON_MAX_AGE)
