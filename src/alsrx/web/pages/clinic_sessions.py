"""The session logs page: every session a patient or caregiver logged, in words, for the clinic.

Undone logs are shown, marked as undone and not counted (the clinic sees what was entered and
taken back); the outcome filter can pick them out. Notes are the patient's own text, escaped by
the template."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.domain.followup import signals, skips
from alsrx.domain.followup.model import RED_FLAGS
from alsrx.i18n import N_, translator
from alsrx.render import alert_words, effort_words, symptom_advice
from alsrx.render import prescription_labels as labels
from alsrx.services import access, session_log_views
from alsrx.web import deps
from alsrx.web.pages import clinic_words, render, session

router = APIRouter(include_in_schema=False)
PER_PAGE = 50  # about what a screen of cards or rows holds before paging
OUTCOMES = {
    "done": N_("Done"),
    "partial": N_("Partly done"),
    "stopped": N_("Stopped early"),
    "skipped": N_("Skipped"),
    "undone": N_("Undone (not counted)"),
}
WHO = {
    "patient": N_("The patient ({name})"),
    "caregiver": N_("Caregiver {name}"),
    "clinician": N_("Clinician {name}"),
}
MINUTES = N_("{n} min")
PLANNED_MINUTES = N_("{n} min (planned up to {planned} min)")
SETS_REPS = N_("{sets} sets × {reps}")
HR_UNDER = N_("max {hr} bpm, within the ceiling of {ceiling} bpm")
HR_OVER = N_("max {hr} bpm, above the ceiling of {ceiling} bpm")
HR_ONLY = N_("max {hr} bpm")
HR_AVERAGE = N_("average {hr} bpm")
RPE_OVER = N_("above the target of up to {target}")
SKIP_REASON = N_("Reason: {reason}")
RED_FLAG = N_("Red flag: {symptom}")
UNDONE = N_("Undone on {day} by {name}: not counted")
LOGGED_AT = N_("{day}, logged at {time}")
# A log from the patient app carries the moment of the tap (sent later when it was offline).
DONE_AT = N_("{day}, done at {done}, received at {time}")
NOTHING = N_("None reported")


def _number(value: float | None, lang: str) -> str:
    return render.format_number(value, lang, 0)


def row_words(
    entry: session_log_views.Entry, lang: str, alert_text: Callable[[Any], str]
) -> dict[str, Any]:
    """One logged session as the page shows it: every value in words, no code."""
    _ = translator(lang)
    log, planned = entry.log, entry.log.planned or {}
    red = [s for s in log.symptoms or () if s in RED_FLAGS]
    return {
        "id": log.id,
        "when": _(DONE_AT if log.performed_at else LOGGED_AT).format(
            day=render.format_date(log.date, lang),
            time=render.format_time(log.created_at, lang),
            done=render.format_time(log.performed_at, lang),
        ),
        "component": _(labels.COMPONENTS[log.component])
        if log.component in labels.COMPONENTS
        else log.component,
        "outcome": _(OUTCOMES.get(log.completed, OUTCOMES["done"])),
        "skip_reason": _skip(log.skip_reason, _) if log.completed == "skipped" else None,
        "amount": _amount(log, planned, lang, _),
        "hr": _hr(log, planned, lang, _),
        "hr_over": _over(log.max_hr_bpm, planned.get("hr_max_bpm")),
        "rpe": _rpe(log.rpe, planned.get("rpe_max"), _),
        "fatigue": _fatigue(log.fatigue_recovery_min, lang, _),
        "red_flags": [
            _(RED_FLAG).format(symptom=symptom_advice.symptom_label(s, lang)) for s in red
        ],
        "symptoms": [
            symptom_advice.symptom_label(s, lang) for s in log.symptoms or () if s not in red
        ],
        "notes": log.notes or "",
        "who": _(WHO.get(log.entered_as, WHO["clinician"])).format(name=entry.entered_by),
        "undone": _(UNDONE).format(
            day=render.format_date(log.undone_at.date(), lang), name=entry.undone_by or ""
        )
        if log.undone_at
        else None,
        "alerts": [
            {"id": a.id, "text": alert_text(a), "severity": a.severity} for a in entry.alerts
        ],
    }


def _skip(reason: str | None, _: Callable[[str], str]) -> str:
    if not reason:
        return _(SKIP_REASON).format(reason="—")
    code = skips.code_of(reason)
    # A reason typed through the API is the patient's own words: shown as written.
    text = _(alert_words.SKIP_REASONS[code]) if code != skips.OTHER else reason
    return _(SKIP_REASON).format(reason=text)


def _amount(
    log: models.SessionLog, planned: dict[str, Any], lang: str, _: Callable[[str], str]
) -> str:
    parts = []
    if log.duration_min is not None:
        target = planned.get("minutes_max")
        template = PLANNED_MINUTES if target else MINUTES
        parts.append(
            _(template).format(n=_number(log.duration_min, lang), planned=_number(target, lang))
        )
    if log.sets is not None and log.reps is not None:
        parts.append(_(SETS_REPS).format(sets=log.sets, reps=log.reps))
    return "; ".join(parts) or "—"


def _over(value: float | None, limit: float | None) -> bool:
    return value is not None and limit is not None and value > limit


def _hr(log: models.SessionLog, planned: dict[str, Any], lang: str, _: Callable[[str], str]) -> str:
    ceiling = planned.get("hr_max_bpm")
    parts = []
    if log.max_hr_bpm is not None:
        template = (
            HR_ONLY if ceiling is None else HR_OVER if _over(log.max_hr_bpm, ceiling) else HR_UNDER
        )
        parts.append(
            _(template).format(hr=_number(log.max_hr_bpm, lang), ceiling=_number(ceiling, lang))
        )
    if log.avg_hr_bpm is not None:
        parts.append(_(HR_AVERAGE).format(hr=_number(log.avg_hr_bpm, lang)))
    return "; ".join(parts) or "—"


def _rpe(rpe: float | None, target: float | None, _: Callable[[str], str]) -> str:
    if rpe is None:
        return "—"
    number = round(rpe)
    if not effort_words.SCALE_MIN <= number <= effort_words.SCALE_MAX:
        return str(number)
    text = effort_words.label(number, _)
    if target is not None and rpe > target:
        text += " (" + _(RPE_OVER).format(target=f"{target:g}") + ")"
    return text


def _fatigue(minutes: float | None, lang: str, _: Callable[[str], str]) -> str:
    """The patient's choice in its own words; a number given through the API as minutes."""
    if minutes is None:
        return "—"
    for code, value in signals.RECOVERY_BUCKETS:
        if minutes == value:
            return _(symptom_advice.RECOVERY_LABELS[code])
    return _(MINUTES).format(n=_number(minutes, lang))


@router.get("/clinic/patients/{patient_id}/sessions", response_class=HTMLResponse)
def sessions_page(
    request: Request,
    patient_id: str,
    component: str = "",
    outcome: str = "",
    flags: str = "",
    page: int = 1,
) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    helpers = clinic_words.helpers(lang)
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        found = session_log_views.page(
            s,
            actor,
            patient_id,
            component=component,
            outcome=outcome,
            red_flags=flags == "red",
            number=page,
            per_page=PER_PAGE,
        )
        rows = [row_words(e, lang, helpers["alert_text"]) for e in found.entries]
    filters = {"component": component, "outcome": outcome, "flags": flags}

    def page_url(n: int) -> str:
        params = {k: v for k, v in {**filters, "page": n}.items() if v not in ("", 1)}
        return f"/clinic/patients/{patient_id}/sessions" + (
            "?" + urlencode(params) if params else ""
        )

    return render.page(
        request,
        "session_logs.html",
        patient=patient,
        rows=rows,
        found=found,
        filters=filters,
        component_choices=[(c, helpers["component_label"](c)) for c in found.components],
        outcome_choices=[(k, _(v)) for k, v in OUTCOMES.items()],
        page_url=page_url,
        **helpers,
    )
