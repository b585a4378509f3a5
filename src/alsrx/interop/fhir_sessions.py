"""Session logs as Observations in FHIR's `activity` category.

The duration is the value (LOINC 55411-3 "Exercise duration"); perceived exertion, heart rates,
sets, repetitions, the completion and the symptoms are components. alsrx rates exertion on
Borg's 6-20 scale while LOINC 82289-0 is defined on a 0-10 one, so the component's `method`
names the 6-20 scale: a receiver must not read a 13 as "13 out of 10". A session not done has
no duration: its value is absent with a reason (FHIR rule obs-6: value or dataAbsentReason).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from alsrx.interop import codes
from alsrx.interop.fhir_base import (
    Context,
    Resource,
    category,
    coding,
    concept,
    identifier,
    quantity,
    validated,
)
from alsrx.interop.fhir_json import decimal
from alsrx.interop.records import PatientFacts, SessionFacts
from alsrx.render import prescription_labels, symptom_advice

COMPONENTS = prescription_labels.COMPONENTS
SYMPTOMS = dict(symptom_advice.SYMPTOM_LABELS)


def _words(table: Mapping[str, str], code: str) -> str:
    """A code's English words, for the code's display (the code stays the key)."""
    return table.get(code, code)


PERFORMERS = {"patient": "Patient", "caregiver": "RelatedPerson", "clinician": "Practitioner"}


def _component(code: Resource, value: Resource) -> Resource:
    return {"code": code, **value}


def _components(log: SessionFacts) -> list[Resource]:
    out = [
        _component(
            concept(codes.OBSERVATION_SYSTEM, "session-completion", "Session completion"),
            {
                "valueCodeableConcept": concept(
                    codes.COMPLETION_SYSTEM, log.completed, log.completed
                )
            },
        ),
        _component(
            concept(codes.OBSERVATION_SYSTEM, "exercise-component", "Exercise component"),
            {
                "valueCodeableConcept": concept(
                    codes.COMPONENT_SYSTEM, log.component, _words(COMPONENTS, log.component)
                )
            },
        ),
    ]
    if log.rpe is not None:
        rpe = {**concept(codes.LOINC, *codes.RPE), "text": "Perceived exertion, Borg 6-20 scale"}
        rpe_value = {
            "valueQuantity": {
                "value": decimal(log.rpe, 0),
                "system": codes.UCUM,
                "code": "{score}",
                "unit": "Borg 6-20",
            }
        }
        out.append({**_component(rpe, rpe_value)})
    for key, bpm in (
        ("heart-rate-session-average", log.avg_hr_bpm),
        ("heart-rate-session-max", log.max_hr_bpm),
    ):
        if bpm is not None:
            code = {
                "coding": [
                    coding(codes.LOINC, *codes.HEART_RATE),
                    coding(codes.OBSERVATION_SYSTEM, key),
                ]
            }
            out.append(_component(code, {"valueQuantity": quantity(decimal(bpm, 0), "/min")}))
    for key, count in (("exercise-sets-done", log.sets), ("exercise-repetitions-done", log.reps)):
        if count is not None:
            out.append(
                _component(concept(codes.OBSERVATION_SYSTEM, key), {"valueInteger": int(count)})
            )
    out += [
        _component(
            concept(codes.OBSERVATION_SYSTEM, "symptom-during-session", "Symptom"),
            {
                "valueCodeableConcept": concept(
                    codes.SYMPTOM_SYSTEM, symptom, _words(SYMPTOMS, symptom)
                )
            },
        )
        for symptom in log.symptoms
    ]
    return out


def session(ctx: Context, patient: PatientFacts, log: SessionFacts) -> Resource:
    resource: Resource = {
        "resourceType": "Observation",
        "id": ctx.id("Observation", f"session/{log.id}"),
        "identifier": [identifier(codes.SESSION_LOG_IDENTIFIER, log.id)],
        "basedOn": [ctx.ref("ServiceRequest", f"{log.prescription_id}/{log.component}")],
        "status": "final",
        "category": category(codes.ACTIVITY),
        "code": concept(codes.LOINC, *codes.EXERCISE_DURATION),
        "subject": ctx.ref("Patient", patient.id),
        "effectiveDateTime": ctx.date(log.date),
        "issued": ctx.instant(log.created_at),
        "performer": [_performer(ctx, patient, log)],
        "component": _components(log),
    }
    if log.duration_min is not None:
        resource["valueQuantity"] = quantity(decimal(log.duration_min, 0), "min")
    else:
        resource["dataAbsentReason"] = concept(
            codes.DATA_ABSENT, "not-performed" if log.completed == "skipped" else "unknown"
        )
    if log.rpe is not None:
        resource["method"] = {"text": f"Perceived exertion: {codes.BORG_6_20}"}
    return resource


def shape(resource: Resource) -> tuple[object, ...]:
    """What tells two session Observations' structure apart: their elements and components.
    Logs of one shape are built by the same code from values of the same types, so the model
    check of one of them is the check of all (a two-year record holds 1,500 logs in a handful
    of shapes; validating each was three quarters of an export, bench/bench_fhir.py)."""
    components = tuple((c["code"]["coding"][-1]["code"], *c) for c in resource["component"])
    return (*resource, components)


def sessions(ctx: Context, patient: PatientFacts, logs: Iterable[SessionFacts]) -> list[Resource]:
    """The logs as Observations, each shape checked by fhir.resources' model once."""
    out, checked = [], set()
    for log in logs:
        resource = session(ctx, patient, log)
        key = shape(resource)
        if key not in checked:
            validated(resource)
            checked.add(key)
        out.append(resource)
    return out


def _performer(ctx: Context, patient: PatientFacts, log: SessionFacts) -> Resource:
    kind = PERFORMERS.get(log.entered_as, "Patient")
    if kind == "Patient":
        return ctx.ref("Patient", patient.id)
    key = f"{patient.id}/{log.entered_by}" if kind == "RelatedPerson" else log.entered_by
    return ctx.ref(kind, key)
