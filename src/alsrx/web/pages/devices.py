"""Remembered devices in the pages: the PIN sign-in, remembering this device, forgetting one
(on the account page) and revoking one (the clinic's patient page).

The PIN form is posted before there is a session, like /login, and carries the same signed
double-submit token (session.login_csrf_ok); every other form carries the session's CSRF token
(session.posted). A completed PIN sign-in ends in common.signed_in, as a password one does, so
a kept draft and the `next` page work the same way."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from alsrx import errors
from alsrx.db import models
from alsrx.domain import device_trust as rules
from alsrx.i18n import N_, translator
from alsrx.services import device_management, trusted_devices
from alsrx.web import deps, device_signin
from alsrx.web.pages import common, device_lists, render, session
from alsrx.web.pages.session import form_data

router = APIRouter(include_in_schema=False)
WRONG_PIN = N_("Wrong PIN. Tries left before this device is locked: {left}.")
NOT_FRESH = N_(
    "To remember this device, sign out, sign in with your password, and come back to this "
    "page within {minutes} minutes."
)


@router.post("/login/pin")
async def pin_sign_in(request: Request) -> Response:
    form = await form_data(request)
    _ = translator(render.preferences(request)["lang"])

    def again(status: int, message: str, *, password: bool = False, wait: int = 0) -> Response:
        # With the password form, the device is no longer usable here: its cookie goes.
        extra: dict[str, Any] = {"device": None} if password else {}
        response = session.login_page(
            request,
            status=status,
            next=form.get("next", ""),
            error=message,
            draft=form.get("draft"),
            use_password=password,
            **extra,
        )
        if password:
            device_lists.clear_device_cookie(response, request)
        if wait:
            response.headers["Retry-After"] = str(wait)
        return response

    if not session.login_csrf_ok(request, form):
        return again(403, _(common.FORM_EXPIRED))
    try:
        result = await device_signin.pin_step(request, str(form.get("pin", "")))
    except errors.TooManyRequests as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        return again(429, _(common.TOO_MANY).format(minutes=minutes), wait=exc.retry_after)
    except errors.InvalidInput as exc:
        return again(422, "; ".join(common._labelled(exc, _lang(request), device_lists.FIELDS)))
    except errors.Unauthenticated:
        return again(401, _(device_lists.LOGIN_WORDS["unknown"]), password=True)
    if result.token is not None and result.role is not None:
        return common.signed_in(request, form, result.token, session.HOMES.get(result.role, "/"))
    if result.status != rules.ACTIVE:
        days = rules.DEVICE_LIFETIME.days
        return again(
            401, _(device_lists.LOGIN_WORDS[result.status]).format(days=days), password=True
        )
    return again(401, _(WRONG_PIN).format(left=result.attempts_left))


def _lang(request: Request) -> str:
    return render.preferences(request)["lang"]


def _account_again(
    request: Request, status: int, messages: list[str], form: dict[str, Any]
) -> Response:
    """The whole account page again, as GET /account draws it, with the refusal in the devices
    section and the name typed kept (never the PIN)."""
    label = str(form.get("label", ""))[: rules.LABEL_MAX]
    return common._account_page(
        request, status, device_errors=messages, device_values={"label": label}
    )


@router.post("/account/devices")
async def remember_device(request: Request) -> Response:
    form, actor = await session.posted(request, *rules.ROLES)
    _ = translator(_lang(request))
    try:
        secret = await device_signin.trust_step(
            request,
            actor,
            label=str(form.get("label", "")),
            pin=str(form.get("pin", "")),
            confirm=str(form.get("pin_confirm", "")),
        )
    except errors.InvalidInput as exc:
        messages = common._labelled(exc, _lang(request), device_lists.FIELDS)
        return _account_again(request, 422, messages, form)
    except errors.PermissionDenied:
        minutes = int(rules.FRESH_SIGN_IN.total_seconds() // 60)
        return _account_again(request, 403, [_(NOT_FRESH).format(minutes=minutes)], form)
    response = session.redirect("/account?devices=trusted#devices")
    device_lists.set_device_cookie(response, request, secret)
    return response


@router.post("/account/devices/{device_id}/revoke")
async def forget_device(request: Request, device_id: int) -> Response:
    _form, actor = await session.posted(request, *rules.ROLES)
    secret = device_signin.device_cookie(request)
    with deps.write(request) as s:
        found = trusted_devices.credential(s, secret, now=models.utcnow()) if secret else None
        device_management.revoke(s, actor, device_id, now=models.utcnow(), reason=None)
    response = session.redirect("/account?devices=revoked#devices")
    if found is not None and found.device_id == device_id:
        device_lists.clear_device_cookie(response, request)
    return response


@router.post("/clinic/patients/{patient_id}/devices/{device_id}/revoke")
async def revoke_device(request: Request, patient_id: str, device_id: int) -> Response:
    form, actor = await session.posted(request, "clinician")
    reason = str(form.get("reason", "")).strip() or None
    with deps.write(request) as s:
        device_management.revoke(
            s, actor, device_id, now=models.utcnow(), reason=reason, patient_id=patient_id
        )
    return session.redirect(f"/clinic/patients/{patient_id}?notice=device_revoked#devices")
