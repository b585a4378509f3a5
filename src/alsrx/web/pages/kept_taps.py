"""A patient's tap kept over an expired session, and saved once they have signed in again.

A 'done' or a details form posted after the 12-hour session ended used to come back as the
sign-in form, and after signing in the patient met Today as before: the tap was neither saved
nor mentioned. Now the sign-in form carries the post as a draft (common.py), stamped with the
path it was posted to and the time of the tap; a completed sign-in of a patient or caregiver
saves it through the same code as the post itself (patient.save_kept: its idempotency key too, so a
second sign-in with the same draft stores nothing new) and answers as that post would, with a
word that it was kept. A red flag in the kept form shows the stop advice on the sign-in page
at once, before anyone has to type a password.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from alsrx.domain.followup.model import RED_FLAGS

KEPT_PATHS = ("/today/done", "/today/details")
FROM, AT = "kept_from", "kept_at"


# Never kept in a draft (it is written into the sign-in page and an HttpOnly cookie).
SECRETS = ("csrf", "login_csrf", "password", "current", "new", "pin", "pin_confirm")


def keep(path: str, form: dict[str, Any], now: dt.datetime, *, same_site: bool) -> dict[str, Any]:
    """The draft of a post that met an ended session, secrets left out. A patient's log is
    marked to be saved at sign-in, with the path it went to and when it was tapped (the
    device's own time if the page sent one), only when it came from a page of this site: a
    cross-site post meets an ended session every time (the session cookie is SameSite=Lax) and
    must not become a log the victim's next sign-in saves, red flag and all. A mark sent in
    the form itself is dropped."""
    draft = {k: v for k, v in form.items() if k not in (*SECRETS, FROM, AT)}
    if path not in KEPT_PATHS or not same_site:
        return draft
    return {**draft, FROM: path, AT: str(form.get("performed_at") or now.isoformat())}


def from_this_site(headers: Mapping[str, str], origin: str) -> bool:
    """Whether a post came from a page of this site: the browser's Sec-Fetch-Site, or where a
    browser sends none, its Origin (Fetch Metadata, W3C; OWASP CSRF cheat sheet)."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    return headers.get("origin") == origin


def parse(raw: object) -> dict[str, Any] | None:
    """The kept tap in a sign-in form's draft, or None (another page's draft, or garbage)."""
    try:
        draft = json.loads(str(raw or ""))
    except json.JSONDecodeError:
        return None
    if not isinstance(draft, dict) or draft.get(FROM) not in KEPT_PATHS:
        return None
    return draft


def red_flag(draft: dict[str, Any] | None) -> bool:
    """Whether the kept form reports a warning sign (the stop advice shows before sign-in)."""
    if draft is None:
        return False
    symptoms = draft.get("symptoms", [])
    return any(s in RED_FLAGS for s in (symptoms if isinstance(symptoms, list) else [symptoms]))


def context(draft: object) -> dict[str, bool]:
    """What the sign-in page says of a draft: a kept tap, and whether it reports a red flag."""
    kept = parse(draft)
    return {"kept": kept is not None, "kept_red_flag": red_flag(kept)}


def form_of(draft: dict[str, Any]) -> dict[str, Any]:
    """The kept form as posted, its performed time the tap's."""
    form = {k: v for k, v in draft.items() if k not in (FROM, AT)}
    form.setdefault("performed_at", draft.get(AT, ""))
    return form
