"""Gunicorn settings for Sunlight Ledger, used by `sunlight serve`
(`-c python:api.gunicorn_settings`) and by `gunicorn -c deploy/gunicorn.conf.py`. They ship
inside the package, so that an installed wheel serves without the source checkout. Environment
variables override the defaults.

Tables are created once in the master before workers fork: several workers creating
PostgreSQL tables at once race on CREATE OR REPLACE FUNCTION, so workers never create them.
"""

import os

wsgi_app = "api:create_app()"
bind = os.environ.get("SUNLIGHT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SUNLIGHT_WORKERS", "2"))
# Threads let a worker answer reads while another request waits on the database.
worker_class = "gthread"
threads = int(os.environ.get("SUNLIGHT_THREADS", "4"))
# Each worker opens its own database pools after the fork.
preload_app = False
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SUNLIGHT_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# One per host by default ($HOME/.gunicorn/gunicorn.ctl): several instances would share it.
control_socket_disable = True


def on_starting(server):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    from api.lifeline import die_with_parent
    from api.web_state import create_web_tables
    from infra.keys import session_key
    from infra.storage import storage_from_environ
    from projections.runner import create_tables

    # Started by `sunlight serve`: the master goes when serve goes, and its workers with it
    # (a gunicorn worker leaves as soon as its master is gone).
    die_with_parent()
    storage = storage_from_environ()
    create_tables(storage)
    create_web_tables(storage)  # sessions and rate limits, shared by every worker
    session_key(storage)
    os.environ["SUNLIGHT_CREATE_TABLES"] = "n"
    server.log.info("Books kept in %s", storage.describe())


def post_fork(server, worker):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    from api.server_errors import answer_in_json

    answer_in_json()  # gunicorn's own refusals (414, 431, 400) in the API's JSON error shape
