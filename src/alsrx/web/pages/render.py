"""Jinja2 rendering in the user's language, with per-language dates and numbers.

Templates mark text with `_()`; the gettext catalogs are the same as the CLI's. Preferences
(language, text size, contrast) come from the signed-in user or, before sign-in, a cookie.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from alsrx.domain import access_modes
from alsrx.domain.followup.model import RED_FLAGS
from alsrx.errors import AlsrxError
from alsrx.i18n import locale_for, translations
from alsrx.render import rounding
from alsrx.render.messages import error_message, field_lines, status_message

LANG_COOKIE = "alsrx_lang"
TEXT_COOKIE = "alsrx_text"
CONTRAST_COOKIE = "alsrx_contrast"


@functools.cache
def environment(lang: str) -> Environment:
    """One environment per language, its gettext installed once. Installing the reader's
    catalog into a shared environment on each request leaked: a macro module imported without
    context is cached with the globals of its first render, so a zh admin page showed the
    English nav when an English page had rendered first (and two threads could swap catalogs)."""
    folder = str(resources.files("alsrx.web") / "templates")
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["format_date"] = format_date
    env.globals["format_time"] = format_time
    env.globals["format_number"] = format_number
    env.globals["format_day"] = format_day
    env.globals["one_time_key"] = one_time_key
    env.globals["red_flags"] = sorted(RED_FLAGS)  # the outbox's cue for the stop advice offline
    t = translations(lang)
    env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def format_date(value: dt.date | str | None, lang: str) -> str:
    if value is None or value == "":
        return "—"
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return babel_dates.format_date(day, format="medium", locale=locale_for(lang))


def format_day(value: dt.date, lang: str) -> str:
    """A day as a patient names it, with the weekday and no year ("Tue, Dec 1", "12月1日周二")."""
    return babel_dates.format_skeleton("MMMEd", value, locale=locale_for(lang))


def format_time(value: dt.datetime | None, lang: str) -> str:
    """A moment as the clinic's local time of day (the server's zone, as `deps.today`)."""
    if value is None:
        return "—"
    return babel_dates.format_time(value.astimezone(), format="short", locale=locale_for(lang))


def one_time_key() -> str:
    """A fresh key for one rendered form (a one-tap button's idempotency key): a double tap
    sends the same key twice, a new page a new one."""
    return secrets.token_urlsafe(16)


def format_number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return "—"
    # The one rounding rule (render/rounding.py): 0.125 shows as 0.13, as a clinician rounds.
    shown = rounding.round_half_up(value, digits)
    return babel_numbers.format_decimal(shown or 0.0, locale=locale_for(lang))


def preferences(request: Request) -> dict[str, str]:
    actor = getattr(request.state, "actor", None)
    # Mid sign-in (second step, enrolment) the page keeps the language of the sign-in form.
    pending = getattr(request.state, "token_kind", "session") != "session"
    lang = actor.lang if actor is not None and not pending else request.cookies.get(LANG_COOKIE)
    lang = lang or "en"
    return {
        "lang": lang if lang in ("en", "zh") else "en",
        "text": "large" if request.cookies.get(TEXT_COOKIE) == "large" else "normal",
        "contrast": "high" if request.cookies.get(CONTRAST_COOKIE) == "high" else "normal",
    }


def local_path(value: object) -> str:
    """`value` if it is a path on this site ("/today?patient=..."), else "": what a redirect may
    follow (no open redirect). Browsers read a backslash as a slash, so "/\\evil.example" would
    leave the site; control characters are refused too."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return ""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        return ""
    parsed = urlsplit(text)
    return text if not parsed.scheme and not parsed.netloc else ""


def here(request: Request) -> str:
    """Where a preference change returns to: this page with its query string (a caregiver's
    chosen patient, the exercise of a details page). A page answering a form post returns to
    the page the form was on (the same-origin Referer), else to the user's home."""
    if request.method in ("GET", "HEAD"):
        query = request.url.query
        return local_path(request.url.path + (f"?{query}" if query else "")) or "/"
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc:
        return "/"
    return local_path(referer.path + (f"?{referer.query}" if referer.query else "")) or "/"


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    prefs = preferences(request)
    html = (
        environment(prefs["lang"])
        .get_template(template)
        .render(
            request=request,
            prefs=prefs,
            lang=prefs["lang"],
            html_lang="zh-CN" if prefs["lang"] == "zh" else "en",
            actor=getattr(request.state, "actor", None),
            csrf=getattr(request.state, "csrf", ""),
            here=here(request),
            access=access_view(request),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


ACCESS_ROLES = ("patient", "caregiver")


def access_view(request: Request) -> dict[str, Any] | None:
    """The signed-in patient's or caregiver's switch and gaze settings for static/scan.js (as
    data attributes on <body>, base.html), or None: the mode is off, or the pages are not the
    patient app's."""
    actor = getattr(request.state, "actor", None)
    if actor is None or actor.role not in ACCESS_ROLES:
        return None
    prefs = access_modes.from_stored(getattr(request.state, "access_prefs", None))
    if prefs.mode is access_modes.Mode.OFF and not prefs.read_aloud:
        return None
    return {
        "mode": prefs.mode.value,
        "scan_ms": prefs.scan_ms,
        "first_ms": prefs.first_item_ms(),
        "loops": prefs.loops,
        "accept_ms": prefs.accept_ms,
        "long_hold_ms": prefs.long_hold_ms,
        "dwell_ms": prefs.dwell_ms,
        "refractory_ms": access_modes.DWELL_REFRACTORY_MS,
        "read_aloud": prefs.read_aloud,
    }


def error_page(
    request: Request, exc: AlsrxError, *, status: int, back: str = "", message: str = ""
) -> HTMLResponse:
    """An error as a readable page in the reader's language: the message, then each field in
    words (never a field path or the exception's text), and the way back. `message`: the
    page's own words for the error, already in the reader's language."""
    lang = preferences(request)["lang"]
    return page(
        request,
        "message.html",
        status=status,
        heading=message or error_message(exc, lang),
        lines=field_lines(exc, lang),
        error=True,
        back=back or _home(request),
    )


def status_page(request: Request, code: str, *, status: int, incident: str = "") -> HTMLResponse:
    """An HTTP status without an exception of ours (an unknown URL, a wrong method, a failure)."""
    lang = preferences(request)["lang"]
    return page(
        request,
        "message.html",
        status=status,
        heading=status_message(code, lang, incident=incident),
        lines=[],
        error=True,
        back=_home(request),
    )


def _home(request: Request) -> str:
    """The way back: the signed-in user's home, else the start page."""
    from alsrx.web.pages import session

    actor = getattr(request.state, "actor", None)
    return session.HOMES.get(actor.role, "/") if actor is not None else "/"
