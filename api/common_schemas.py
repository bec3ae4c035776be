"""Shapes shared by all resources: who is acting, pages of a list, reading positions, errors."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class EmptyIn(Schema):
    """A command whose address says it all; any field sent is refused."""


class WriteQuery(Schema):
    wait = fields.Boolean(
        load_default=False,
        metadata={"description": "Answer only once the read models include this write."},
    )


# Far beyond any village's lists, and (page - 1) × per_page stays far inside a 64-bit offset.
MAX_PAGE = 1_000_000


class ReadQuery(Schema):
    after = fields.Integer(
        load_default=None, validate=validate.Range(min=0),
        metadata={"description": "Wait (up to 5 s) until the read models include this "
                                 "event-log position, e.g. the Sunlight-Position of a write. "
                                 "A position beyond the log's head is refused at once (422). "
                                 "The reports also take it as the header Sunlight-Position, and "
                                 "may be answered by a streaming replica that has reached it "
                                 "(Sunlight-Read-From says which)."},
    )


class PageQuery(ReadQuery):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class PageMeta(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class FieldError(Schema):
    field = fields.String(allow_none=True)
    reason = fields.String()


class ErrorBody(Schema):
    status = fields.Integer()
    code = fields.String()
    message = fields.String()
    errors = fields.List(fields.Nested(FieldError))
    context = fields.Dict()
    request_id = fields.String()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody)


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema)), "pagination": fields.Nested(PageMeta),
         "position": fields.Integer()},
        name=name,
    )
