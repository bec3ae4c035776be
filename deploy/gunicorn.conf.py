"""Gunicorn settings for running Sunlight Ledger with gunicorn directly:
`gunicorn -c deploy/gunicorn.conf.py`. The settings live in the installed package
(`api/gunicorn_settings.py`, also `gunicorn -c python:api.gunicorn_settings`), so that an
installed wheel serves without this checkout; this file only points there.
"""

from api.gunicorn_settings import *  # noqa: F403
