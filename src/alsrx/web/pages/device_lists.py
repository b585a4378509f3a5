"""What the pages show of remembered devices: the account's list and offer, the clinic
patient page's list, and the device this browser holds on the sign-in page (no routes here, so
the pages that show them import nothing of the sign-in flow)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from alsrx.db import models
from alsrx.domain import device_trust as rules
from alsrx.i18n import N_, translator
from alsrx.services import device_management, trusted_devices
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.device_signin import DEVICE_COOKIE, device_cookie, may_trust

STATUS_WORDS = {
    rules.ACTIVE: N_("In use"),
    rules.LOCKED: N_("Locked: too many wrong PINs"),
    rules.REVOKED: N_("Forgotten: it can no longer sign in"),
    rules.EXPIRED: N_("Expired: it has to be set up again"),
}
# On the sign-in page, for a device that can no longer open with its PIN.
LOGIN_WORDS = {
    rules.LOCKED: N_(
        "This device was locked after too many wrong PINs. Sign in with your password; you can "
        "then remember this device again on your account page."
    ),
    rules.REVOKED: N_(
        "This device is no longer remembered (it was forgotten, or your password was reset). "
        "Sign in with your password."
    ),
    rules.EXPIRED: N_(
        "This device was remembered more than {days} days ago, so it has to be set up again. "
        "Sign in with your password."
    ),
    "unknown": N_("This browser is not a remembered device. Sign in with your password."),
}
NOTICES = {
    "trusted": N_("This device is remembered. Next time, sign in with your PIN."),
    "revoked": N_("The device was forgotten: it can no longer sign in."),
}
FIELDS = {
    "label": N_("Name of this device"),
    "pin": N_("PIN"),
    "pin_confirm": N_("PIN again"),
    "device": N_("Remembered devices"),
}


def notice(code: str, lang: str) -> str | None:
    return translator(lang)(NOTICES[code]) if code in NOTICES else None


def suggested_label(user_agent: str, lang: str) -> str:
    """A name the person will recognise in the list ("Phone (Chrome)"); they may change it."""
    _ = translator(lang)
    ua = user_agent.lower()
    kind = (
        _("Tablet")
        if "ipad" in ua or ("android" in ua and "mobile" not in ua)
        else _("Phone")
        if re.search(r"iphone|android|mobile", ua)
        else _("Computer")
    )
    browser = next(
        (
            name
            for key, name in (
                ("edg/", "Edge"),
                ("firefox", "Firefox"),
                ("chrome", "Chrome"),
                ("safari", "Safari"),
            )
            if key in ua
        ),
        "",
    )
    return f"{kind} ({browser})" if browser else kind


def rows(views: list[device_management.DeviceView], lang: str, this: int | None) -> list[Any]:
    _ = translator(lang)
    return [
        {
            "id": v.id,
            "label": v.label,
            "user": v.username,
            "created": v.created_at,
            "last_used": v.last_used_at,
            "status": v.status,
            "status_words": _(STATUS_WORDS[v.status]),
            "live": v.status == rules.ACTIVE,
            "this": v.id == this,
        }
        for v in views
    ]


def _this_device(s: Any, request: Request) -> int | None:
    secret = device_cookie(request)
    found = trusted_devices.credential(s, secret, now=models.utcnow()) if secret else None
    return found.device_id if found else None


def account_context(request: Request, actor: Actor, lang: str) -> dict[str, Any]:
    """The account page's section: only patients and caregivers remember devices."""
    if actor.role not in rules.ROLES:
        return {"device_offer": False}
    with deps.read(request) as s:
        views = device_management.listed(s, actor, now=models.utcnow())
        this = _this_device(s, request)
    own_live = [v for v in views if v.user_id == actor.user_id and v.status == rules.ACTIVE]
    return {
        "device_offer": True,
        "devices": rows(views, lang, this),
        "this_device": this,
        "may_trust": may_trust(request, actor) and this not in {v.id for v in own_live},
        "label_suggestion": suggested_label(request.headers.get("user-agent", ""), lang),
        "pin_min": rules.PIN_DIGITS[0],
        "pin_max": rules.PIN_DIGITS[1],
        "fresh_minutes": int(rules.FRESH_SIGN_IN.total_seconds() // 60),
        "max_devices": rules.MAX_DEVICES,
        "max_failed": rules.MAX_FAILED_PINS,
        "device_errors": [],
        "device_values": {},
    }


def pin_offer(request: Request, actor: Actor) -> bool:
    """Whether Today offers to remember this device: a patient or caregiver within the fresh
    window of a password sign-in, on a browser holding no live remembered device (of anyone:
    remembering here would replace that device's cookie)."""
    if actor.role not in rules.ROLES or not may_trust(request, actor):
        return False
    secret = device_cookie(request)
    if not secret:
        return True
    with deps.read(request) as s:
        found = trusted_devices.credential(s, secret, now=models.utcnow())
    return found is None or found.status != rules.ACTIVE


def patient_rows(request: Request, s: Any, actor: Actor, patient_id: str, lang: str) -> list[Any]:
    """The patient's and their caregivers' devices, for the clinic patient page."""
    views = device_management.listed(s, actor, now=models.utcnow(), patient_id=patient_id)
    return rows(views, lang, None)


@dataclass(frozen=True)
class OnLogin:
    """The device this browser holds, as the sign-in page needs it."""

    status: str  # domain STATUSES, or "unknown" for a cookie naming no device
    message: str | None  # why the PIN cannot be used, in words; None when it can


def login_device(request: Request, lang: str) -> OnLogin | None:
    secret = device_cookie(request)
    if not secret:
        return None
    with deps.read(request) as s:
        found = trusted_devices.credential(s, secret, now=models.utcnow())
    state = found.status if found else "unknown"
    if state == rules.ACTIVE:
        return OnLogin(state, None)
    _ = translator(lang)
    days = rules.DEVICE_LIFETIME.days
    return OnLogin(state, _(LOGIN_WORDS[state]).format(days=days))


def set_device_cookie(response: Response, request: Request, secret: str) -> None:
    response.set_cookie(
        deps.cookie_name(request, DEVICE_COOKIE),
        secret,
        httponly=True,
        samesite="lax",
        secure=deps.settings(request).cookie_secure,
        max_age=int(rules.DEVICE_LIFETIME.total_seconds()),
        path="/",
    )


def clear_device_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        deps.cookie_name(request, DEVICE_COOKIE),
        path="/",
        secure=deps.settings(request).cookie_secure,
        httponly=True,
        samesite="lax",
    )
