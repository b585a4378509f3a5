"""What the administrator's forms share: errors at their fields, in the reader's language."""

from __future__ import annotations

from fastapi import Request

from alsrx import errors
from alsrx.i18n import N_, translator
from alsrx.render.messages import field_error_message
from alsrx.web.pages import render

# Refusals the admin services name by code, in words here (the generic templates would say
# "is invalid (own_account)").
OWN_MESSAGES = {
    "own_account": N_("cannot be changed on your own account: ask another administrator"),
    "unknown_patient_code": N_("no patient has this code in the chosen centre"),
    "taken": N_("is already used: choose another"),
    "already_linked": N_("this caregiver is already linked to this patient"),
}


def field_errors(exc: errors.InvalidInput, lang: str) -> dict[str, str]:
    _ = translator(lang)
    found: dict[str, str] = {}
    for e in exc.errors:
        text = _(OWN_MESSAGES[e.code]) if e.code in OWN_MESSAGES else field_error_message(e, lang)
        found.setdefault(e.path, text)
    return found


def taken(path: str) -> errors.InvalidInput:
    """A name already in use (the services' Conflict), as an error at its field."""
    return errors.InvalidInput([errors.FieldError(path, "taken", {})])


def lang_of(request: Request) -> str:
    return render.preferences(request)["lang"]


def as_int(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def optional(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None
