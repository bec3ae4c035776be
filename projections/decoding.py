"""Decoding stored events for a catch-up without the library's JSON object hook (a Python call
per JSON object, a voucher's every line included: a third of the books' catch-up), when that
means exactly what the library's mapper means.

Rule: the fast path gives the mapper's event, the same class and the same fields in the same
order; it is taken only when the store keeps plain JSON (no cipher, no compressor), the stored
class version is the class's own (no upcasting), and every transcoded value (`{"_type_": ...,
"_data_": ...}`) is a top-level field, decoded by the app's own transcoding: each `"_type_"` in
the stored bytes is accounted for, and a stored text with a `\\u` escape (which could spell one
otherwise) goes to the mapper. Anything else, and any error, goes to the mapper, which decodes
it (or fails) as it always has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, StoredEvent, find_id_convertor
from eventsourcing.utils import resolve_topic

Decode = Callable[[StoredEvent], Any]

_TYPE = b'"_type_"'  # how the library's encoder writes every transcoded value's key
_ESCAPE = b"\\u"


def decoder(app: Any) -> Decode:
    """The app's decoding of a stored event: the fast path where it is the mapper's meaning."""
    mapper = app.mapper
    slow: Decode = mapper.to_domain_event
    transcoder = mapper.transcoder
    if mapper.cipher or mapper.compressor or type(transcoder) is not JSONTranscoder:
        return slow
    names = transcoder.names
    classes: dict[str, tuple[type, int]] = {}
    loads, new, set_dict = orjson.loads, object.__new__, object.__setattr__

    def decode(stored: StoredEvent) -> Any:
        state = stored.state
        if _ESCAPE in state:
            return slow(stored)
        known = classes.get(stored.topic)
        if known is None:
            cls = resolve_topic(stored.topic)
            known = classes[stored.topic] = (cls, getattr(cls, "class_version", 1))
        cls, version = known
        try:
            fields = loads(state)
            if fields.__class__ is not dict:
                return slow(stored)
            expected = state.count(_TYPE)
            if expected:
                for key, value in fields.items():
                    # The hook's own test: a dict of exactly these two keys is transcoded.
                    if (value.__class__ is dict and len(value) == 2 and "_type_" in value
                            and "_data_" in value):
                        transcoding = names.get(value["_type_"])
                        if transcoding is None:
                            return slow(stored)
                        fields[key] = transcoding.decode(value["_data_"])
                        expected -= 1
                if expected:  # a `_type_` elsewhere: nested, or not a transcoded value
                    return slow(stored)
            if fields.pop("class_version", 1) != version:
                return slow(stored)  # the mapper upcasts
            fields["originator_id"] = find_id_convertor(
                cls, stored.originator_id.__class__)(stored.originator_id)
            fields["originator_version"] = stored.originator_version
        except Exception:
            return slow(stored)  # decodes it as it always has, or raises its own error
        event = new(cls)
        set_dict(event, "__dict__", fields)
        return event

    return decode
