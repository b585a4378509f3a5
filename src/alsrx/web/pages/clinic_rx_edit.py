"""The clinician's page for one component's dose in a draft: sessions a week, minutes a session,
heart rate, effort, EMST load, sets and repetitions, and each phase of the progression.

Every editable value is prefilled with the stored one and shows the range the engine allows for
this patient beside it; Save sends only what changed to the same service and whole-prescription
check as the API's PATCH. A refusal keeps what was typed and puts the reason, the bound and its
source, at the field. The exercises keep their own page (clinic_exercises.py), linked here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.domain.prescription.component_bounds import Bound
from alsrx.errors import AlsrxError, Conflict, FieldError, InvalidInput, PreconditionFailed
from alsrx.i18n import N_, translator
from alsrx.intake import wire
from alsrx.render import bound_words
from alsrx.render.messages import error_lines, field_error_message
from alsrx.services import access, prescription_edits, prescriptions
from alsrx.web import deps
from alsrx.web.pages import clinic_words, render, session

router = APIRouter(include_in_schema=False)
PATH = "/clinic/prescriptions/{prescription_id}/components/{component}"
LABELS = {
    "sessions_per_week": N_("Sessions a week"),
    "minutes_per_session": N_("Minutes a session"),
    "intensity.hr_bpm": N_("Heart rate"),
    "hr_bpm": N_("Heart rate"),
    "intensity.rpe": N_("Effort on the Borg 6–20 scale"),
    "intensity.percent_mep": N_("Trainer load, % of MEP"),
    "intensity.device_pressure_cmh2o": N_("Trainer setting (cmH2O)"),
    "sets": N_("Sets"),
    "repetitions": N_("Repetitions"),
}
ENDS = {"min": N_("Lowest"), "max": N_("Highest"), "": N_("Value")}
STALE = N_(
    "Someone changed this draft since you opened it. Nothing was saved: reload the page to "
    "see the draft as it is now."
)
NOT_DRAFT = N_("Only a draft can be changed; this prescription is no longer a draft.")
SAVED = N_("Changes saved.")
NOTHING = N_("Nothing was changed.")
_STEP = re.compile(r"progression\[(\d+)\]\.(.+)")
WHOLE = ("intensity.device_pressure_cmh2o", "intensity.percent_mep")  # decimals allowed
SINGLE = ("intensity.device_pressure_cmh2o",)  # one value, not a range


def _url(prescription_id: str, component: str) -> str:
    return PATH.format(prescription_id=prescription_id, component=component)


def field_id(path: str) -> str:
    return "f-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def _form(request: Request, prescription_id: str, component: str) -> tuple[Any, Any]:
    actor = session.current(request, "clinician")
    with deps.read(request) as s:
        shown = prescription_edits.form(
            s,
            actor,
            prescription_id,
            component,
            today=deps.today(),
            options=deps.settings(request).assessment_options(),
        )
        patient = access.patient(s, actor, shown.row.patient_id)
    return shown, patient


def _current(component: Mapping[str, Any], path: str) -> object:
    node: Any = component
    step = _STEP.fullmatch(path)
    if step:
        node, path = component["progression"][int(step.group(1))], step.group(2)
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _groups(shown: Any, values: Mapping[str, str], lang: str) -> list[dict[str, Any]]:
    """The inputs by range: [{label, allowed, fields: [{path, id, end, value}]}], the
    component's own first, then each phase's (`step` set)."""
    _ = translator(lang)
    groups: dict[str, dict[str, Any]] = {}
    for path in shown.paths:
        step = _STEP.fullmatch(path)
        inner = step.group(2) if step else path
        key, _dot, end = (inner, "", "") if inner in SINGLE else inner.rpartition(".")
        bound: Bound = shown.bounds[f"intensity.{key}" if key == "hr_bpm" else key]
        group_key = f"{step.group(1)}:{key}" if step else key
        group = groups.setdefault(
            group_key,
            {
                "label": _(LABELS.get(key, key)),
                "allowed": bound_words.span(bound.low, bound.high, bound.unit, lang),
                "step": int(step.group(1)) if step else None,
                "id": field_id(group_key),
                "fields": [],
            },
        )
        group["fields"].append(
            {"path": path, "id": field_id(path), "end": _(ENDS[end]), "value": values[path]}
        )
    return list(groups.values())


def _shown_value(value: object) -> str:
    return "" if value is None else bound_words.number(value)


def _page(
    request: Request,
    shown: Any,
    patient: Any,
    *,
    values: Mapping[str, str] | None = None,
    errors: tuple[FieldError, ...] | list[FieldError] = (),
    alarm: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    lang = render.preferences(request)["lang"]
    words = clinic_words.helpers(lang)
    values = values or {p: _shown_value(_current(shown.component, p)) for p in shown.paths}
    at_field = {e.path: field_error_message(e, lang) for e in errors if e.path in shown.paths}
    elsewhere = [_elsewhere(e, lang, words) for e in errors if e.path not in shown.paths]
    steps = shown.component.get("progression") or []
    kind = shown.component["type"]
    return render.page(
        request,
        "component_edit.html",
        status=status,
        rx=shown.row,
        patient=patient,
        kind=kind,
        component_name=words["component_label"](kind),
        groups=_groups(shown, values, lang),
        steps=steps,
        field_errors=at_field,
        other_errors=elsewhere,
        alarm=alarm,
        notice=notice,
        version=shown.row.version,
        action=_url(shown.row.id, kind),
        exercises_url=f"/clinic/prescriptions/{shown.row.id}/exercises/{kind}",
        has_exercises=bool(shown.component.get("exercises")),
        **words,
    )


def _elsewhere(error: FieldError, lang: str, words: Mapping[str, Any]) -> str:
    """A reason outside this form's inputs, named by its component (another one's sessions
    that no longer fit in the week, say)."""
    parts = error.path.split(".")
    message = field_error_message(error, lang)
    if len(parts) > 2 and parts[0] == "components":
        return f"{words['component_label'](parts[1])}: {message}"
    return message


def _not_draft(request: Request, prescription_id: str, lang: str) -> Response:
    refused = Conflict(translator(lang)(NOT_DRAFT))
    return render.error_page(
        request, refused, status=409, back=f"/clinic/prescriptions/{prescription_id}"
    )


@router.get(PATH, response_class=HTMLResponse)
def component_page(
    request: Request, prescription_id: str, component: str, saved: int = 0
) -> Response:
    shown, patient = _form(request, prescription_id, component)
    lang = render.preferences(request)["lang"]
    if shown.row.status != prescriptions.DRAFT:
        return _not_draft(request, prescription_id, lang)
    notice = translator(lang)(SAVED) if saved else None
    return _page(request, shown, patient, notice=notice)


def _version(form: Mapping[str, Any]) -> int | None:
    raw = str(form.get("version", ""))
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _changes(shown: Any, form: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, object]]:
    """(what the form holds, what differs from the stored values); an emptied field is
    'unchanged' only if it was empty, else it is refused as not a number."""
    stored = {p: _shown_value(_current(shown.component, p)) for p in shown.paths}
    # A field the form did not send is unchanged; one sent empty is refused as no number.
    typed = {p: str(form[p]).strip() if p in form else stored[p] for p in shown.paths}
    changes: dict[str, object] = {}
    for path, text in typed.items():
        if text == stored[path]:
            continue
        changes[path] = wire.form_number(text, integer=path not in WHOLE) if text else text
    return typed, changes


@router.post(PATH)
async def component_post(request: Request, prescription_id: str, component: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    shown, patient = _form(request, prescription_id, component)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    if shown.row.status != prescriptions.DRAFT:
        return _not_draft(request, prescription_id, lang)
    typed, changes = _changes(shown, form)
    if not changes:
        return _page(request, shown, patient, values=typed, notice=_(NOTHING))
    try:
        with deps.write(request) as s:
            prescription_edits.edit_component(
                s,
                actor,
                prescription_id,
                component,
                changes,
                if_match=_version(form),
                today=deps.today(),
                options=deps.settings(request).assessment_options(),
            )
    except InvalidInput as exc:
        return _page(request, shown, patient, values=typed, errors=exc.errors, status=422)
    except PreconditionFailed:
        return _page(request, shown, patient, values=typed, alarm=_(STALE), status=409)
    except AlsrxError as exc:
        alarm = "; ".join(error_lines(exc, lang))
        return _page(request, shown, patient, values=typed, alarm=alarm, status=422)
    return session.redirect(_url(prescription_id, component) + "?saved=1")
