"""The exercise prescription as a CarePlan with one ServiceRequest per component.

Each component is a ServiceRequest for SNOMED CT 229065009 "Exercise therapy", with the
Condition as its reason (so the HL7 Physical Activity IG's rule pa-sr-1, "reasonCode or
reasonReference", holds; alsrx claims no conformance to that US-realm guide), its weekly
frequency and session length as a Timing, its dose in words (the patient's programme view, in
the export's language) and in alsrx extensions that carry the numbers, and the evidence ids
behind it. The plan's days are "day 1-7 of the plan week", not weekdays, so the Timing states a
frequency per week and no `dayOfWeek`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from alsrx.i18n import translator
from alsrx.interop import codes
from alsrx.interop.fhir_base import (
    Context,
    Resource,
    coding,
    concept,
    identifier,
    quantity,
    validated,
)
from alsrx.interop.fhir_json import decimal
from alsrx.interop.records import PatientFacts, PrescriptionFacts
from alsrx.render import exercise_labels, prescription_labels, programme_view, words
from alsrx.render.programme_parts import HandoutContext, Part

# Stored statuses (db Prescription.status) as FHIR request statuses: a superseded or rejected
# plan is no longer in force (`revoked`); the newer version `replaces` it.
STATUS = {"draft": "draft", "active": "active", "superseded": "revoked", "rejected": "revoked"}
EXERCISE_THERAPY = "Exercise therapy (regime/therapy)"
LOADS = prescription_labels.LOADS
COMPONENTS = prescription_labels.COMPONENTS


def _range(span: object, unit: str | None = None, places: int = 0) -> Resource | None:
    if not isinstance(span, Mapping):
        return None
    out: Resource = {}
    for end, key in (("low", "min"), ("high", "max")):
        value = span.get(key)
        if isinstance(value, int | float):
            out[end] = {"value": decimal(value, places)}
            if unit:
                out[end] |= {"system": codes.UCUM, "code": unit, "unit": unit}
    return out or None


def current_dose(component: Mapping[str, Any], week: int) -> dict[str, Any]:
    """The component with the dose of the progression step covering the plan's current week
    (the step the weekly schedule was planned from; domain/prescription/schedule.py
    current_phase reads the steps the same way: in week order, clamped to the last)."""
    steps = component.get("progression") or ()
    step = next(iter(steps), None)
    for later in steps:
        if int(later["weeks"]["from"]) <= week:
            step = later
    if step is None:
        return dict(component)
    dose = {k: step[k] for k in ("sessions_per_week", "minutes_per_session", "sets", "repetitions")}
    intensity = dict(component.get("intensity") or {})
    if step.get("hr_bpm") is not None:
        intensity["hr_bpm"] = step["hr_bpm"]
    return {**component, **dose, "intensity": intensity}


def _extensions(component: Mapping[str, Any]) -> list[Resource]:
    intensity = component.get("intensity") or {}
    ranges = (
        (codes.EXT_SESSIONS_PER_WEEK, _range(component.get("sessions_per_week"), "/wk")),
        (codes.EXT_MINUTES_PER_SESSION, _range(component.get("minutes_per_session"), "min")),
        (codes.EXT_SETS, _range(component.get("sets"))),
        (codes.EXT_REPETITIONS, _range(component.get("repetitions"))),
        (codes.EXT_RPE_RANGE, _range(intensity.get("rpe"))),
    )
    out = [{"url": url, "valueRange": value} for url, value in ranges if value]
    if intensity.get("load"):
        load = concept(codes.LOAD_SYSTEM, intensity["load"], LOADS.get(intensity["load"]))
        out.append({"url": codes.EXT_LOAD, "valueCodeableConcept": load})
    ceiling = (intensity.get("hr_bpm") or {}).get("max")
    if isinstance(ceiling, int | float):
        value = quantity(decimal(ceiling, 0), "/min")
        out.append({"url": codes.EXT_HR_CEILING, "valueQuantity": value})
    out += [
        {"url": codes.EXT_EVIDENCE, "valueCoding": coding(codes.EVIDENCE_SYSTEM, evidence)}
        for evidence in component.get("evidence") or ()
    ]
    return out


def _timing(component: Mapping[str, Any], starts_on: str | None) -> Resource:
    repeat: Resource = {"period": Decimal(1), "periodUnit": "wk"}
    sessions = component.get("sessions_per_week") or {}
    if isinstance(sessions.get("min"), int | float):
        repeat["frequency"] = int(sessions["min"])
        if isinstance(sessions.get("max"), int | float) and sessions["max"] > sessions["min"]:
            repeat["frequencyMax"] = int(sessions["max"])
    minutes = component.get("minutes_per_session") or {}
    if isinstance(minutes.get("min"), int | float):
        repeat |= {"duration": decimal(minutes["min"], 0), "durationUnit": "min"}
        if isinstance(minutes.get("max"), int | float) and minutes["max"] > minutes["min"]:
            repeat["durationMax"] = decimal(minutes["max"], 0)
    if starts_on:
        repeat["boundsPeriod"] = {"start": starts_on}
    return {"repeat": repeat}


def _instruction(part: Part | None, days: list[int], lang: str) -> str:
    if part is None:
        return ""
    _ = translator(lang)
    lines = [part.title] + [f"{line.label}: {line.text}" for line in part.lines]
    if days:
        listed = words.separator(lang).join(str(d) for d in days)
        lines.append(_("Days of the plan week: {days}").format(days=listed))
    lines += [f"{c.number}. {c.card.name}: {c.dose}" for c in part.cards]
    return "\n".join(lines)


def _days(content: Mapping[str, Any], kind: str) -> list[int]:
    return [d["day"] for d in content.get("weekly_schedule") or () if kind in d["components"]]


def service_request(
    ctx: Context,
    patient: PatientFacts,
    rx: PrescriptionFacts,
    component: Mapping[str, Any],
    part: Part | None,
) -> Resource:
    kind = component["type"]
    component = current_dose(component, int(rx.content.get("current_week") or 1))
    approved = rx.approved_at is not None
    details = [concept(codes.COMPONENT_SYSTEM, kind, COMPONENTS.get(kind, kind))]
    details += [
        concept(codes.EXERCISE_SYSTEM, e["id"], exercise_labels.name(e["id"], ctx.lang))
        for e in component.get("exercises") or ()
    ]
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": ctx.id("ServiceRequest", f"{rx.id}/{kind}"),
        "meta": {"profile": [codes.PROFILE_EXERCISE_REQUEST]},
        "extension": _extensions(component),
        "identifier": [identifier(codes.PRESCRIPTION_IDENTIFIER, f"{rx.id}/{kind}")],
        "basedOn": [ctx.ref("CarePlan", rx.id)],
        "status": STATUS.get(rx.status, "unknown"),
        "intent": "order" if approved else "plan",
        "code": concept(codes.SNOMED, codes.EXERCISE_THERAPY_SNOMED, EXERCISE_THERAPY),
        "orderDetail": details,
        "subject": ctx.ref("Patient", patient.id),
        "occurrenceTiming": _timing(component, _start(ctx, rx)),
        "reasonReference": [ctx.ref("Condition", patient.id)],
        "patientInstruction": _instruction(part, _days(rx.content, kind), ctx.lang) or kind,
    }
    if approved and rx.approved_by is not None and rx.approved_at is not None:
        resource["authoredOn"] = ctx.instant(rx.approved_at)
        resource["requester"] = ctx.ref("Practitioner", rx.approved_by)
    return validated(resource)


def _title(ctx: Context, rx: PrescriptionFacts) -> str:
    """Named by its first day, not by its stored revision count (which edits also raise)."""
    if rx.starts_on is not None:
        return f"Exercise prescription from {ctx.date(rx.starts_on)}"
    return "Exercise prescription (draft)" if rx.status == "draft" else "Exercise prescription"


def _start(ctx: Context, rx: PrescriptionFacts) -> str | None:
    return ctx.date(rx.starts_on) if rx.starts_on else None


def view(rx: PrescriptionFacts, lang: str) -> programme_view.Programme:
    """The plan in words, through the one programme view (the handout's)."""
    context = HandoutContext(
        version=rx.version, status=rx.status, started_on=rx.starts_on, approved_at=rx.approved_at
    )
    return programme_view.build(rx.content, lang=lang, audience="patient", context=context)


def description(programme: programme_view.Programme) -> str:
    """What the patient's handout says around the parts: the plan, effort, heart rate, when it
    is reviewed, and when to stop (the stop rules, the emergency advice first)."""
    safety = programme.safety
    lines = [*programme.plan, programme.effort, programme.heart_rate, programme.review]
    lines += [safety.emergency, safety.clinic, *safety.rules]
    return "\n".join(line for line in lines if line)


def care_plan(
    ctx: Context,
    patient: PatientFacts,
    rx: PrescriptionFacts,
    *,
    basis: bool,
    ends_on: dt.date | None = None,
) -> list[Resource]:
    """The CarePlan and its ServiceRequests (`basis`: its assessment is in the export;
    `ends_on`: the first day of the version that replaced it)."""
    programme = view(rx, ctx.lang)
    words_by_type = {part.type: part for part in programme.parts}
    components = rx.content.get("components") or ()
    requests = [
        service_request(ctx, patient, rx, c, words_by_type.get(c["type"])) for c in components
    ]
    plan: Resource = {
        "resourceType": "CarePlan",
        "id": ctx.id("CarePlan", rx.id),
        "extension": [{"url": codes.EXT_PRESCRIPTION_VERSION, "valuePositiveInt": rx.version}],
        "identifier": [identifier(codes.PRESCRIPTION_IDENTIFIER, rx.id)],
        "status": STATUS.get(rx.status, "unknown"),
        "intent": "plan",
        "category": [concept(codes.SNOMED, codes.EXERCISE_THERAPY_SNOMED, EXERCISE_THERAPY)],
        "title": _title(ctx, rx),
        "subject": ctx.ref("Patient", patient.id),
        "created": ctx.instant(rx.created_at),
        "addresses": [ctx.ref("Condition", patient.id)],
        "activity": [
            {"reference": ctx.ref("ServiceRequest", f"{rx.id}/{c['type']}")} for c in components
        ],
    }
    if not ctx.deidentified:  # the handout's words hold calendar dates: not shifted
        plan["description"] = description(programme)
    if rx.starts_on:
        plan["period"] = {"start": ctx.date(rx.starts_on)}
        if ends_on is not None:
            plan["period"]["end"] = ctx.date(ends_on)
    if rx.supersedes_id:
        plan["replaces"] = [ctx.ref("CarePlan", rx.supersedes_id)]
    if basis and rx.assessment_id:
        plan["supportingInfo"] = [ctx.ref("QuestionnaireResponse", rx.assessment_id)]
    if rx.approved_by is not None and rx.approved_at is not None:
        plan["author"] = ctx.ref("Practitioner", rx.approved_by)
        approval = [
            {"url": "approvedAt", "valueDateTime": ctx.instant(rx.approved_at)},
            {"url": "approvedBy", "valueReference": ctx.ref("Practitioner", rx.approved_by)},
        ]
        plan["extension"].append({"url": codes.EXT_APPROVAL, "extension": approval})
    return [validated(plan), *requests]
