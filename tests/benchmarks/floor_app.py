"""The least a Flask service under gunicorn does for a posted voucher: read the JSON body, look
at the Authorization header, answer 201 with a small JSON body. No validation, no database, no
events. `bench_http_floor.py` serves it with the product's own gunicorn settings, so that its
rate is the ceiling any voucher route on this stack could reach on this machine.
"""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask, jsonify, request

app = Flask(__name__)
_numbers = itertools.count(1)


@app.post("/api/v1/orgs/<org>/vouchers")
def post_voucher(org: str) -> tuple[Any, int]:
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return jsonify({"error": "unauthorized"}), 401
    body = request.get_json()
    number = next(_numbers)
    return jsonify({"org": org, "number": f"2025-01-{number:04d}", "date": body["date"],
                    "lines": len(body["lines"])}), 201


@app.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200
