"""marshmallow schemas of the HTTP API: the shape of every request and response."""
