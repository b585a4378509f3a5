"""Logging without patient data (ASVS 16.2.5; design.md habit 12).

Exceptions carry the data that caused them: a SQL error holds the statement's parameters, a
ValueError the text it could not read, a traceback the local names of every frame. A server
error is logged here as its type and a short place, never its message or traceback; the request
that met it answers with an incident id (web/errors.py), and the incident is investigated by
reproducing it, not by reading patient data out of a log. SQLAlchemy's own messages are kept
free of parameters by `hide_parameters` on every engine (db/session.make_engine).
"""

from __future__ import annotations

import logging
from typing import Any


class WithoutDetails(logging.Filter):
    """Replaces an exception's message and traceback with its type and where it was raised."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            place = _place(exc.__traceback__)
            record.msg = (
                f"{record.getMessage()} [{type(exc).__name__} at {place}; details withheld]"
            )
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def _place(tb: Any) -> str:
    """The innermost frame's module and line: where to look, without any value."""
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown"
    return f"{tb.tb_frame.f_globals.get('__name__', '?')}:{tb.tb_lineno}"


def uvicorn_config() -> dict[str, Any]:
    """uvicorn's logging, with every handler behind the filter (uvicorn logs an application's
    exception with its traceback: "Exception in ASGI application")."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"private": {"()": WithoutDetails}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["private"],
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "alsrx": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
