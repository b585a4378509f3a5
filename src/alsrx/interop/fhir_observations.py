"""An assessment's measurements and the core's derived values as Observations.

Measured values (FVC, the walk, heart rates, CPET, pressures, weight, MRC grades) are written
with at least their measure's precision (codes.Measure.places). Values the core derives (FVC %
predicted and z-score, BMI, King's and MiToS stages, ΔFRS and its category) are written as the
core's output shows them (render/rounding.py) and point at what they were derived from. The two
heart rates share LOINC 8867-4; a second, local coding tells rest from CPET peak.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from alsrx.domain.prescription.inputs import MRC_KEYS
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
from alsrx.interop.records import AssessmentFacts, PatientFacts
from alsrx.render.rounding import shown

MRC_DISPLAY = "MRC muscle strength grade (0-5)"


def _value(data: Mapping[str, Any], field: str) -> Any:
    head, _, tail = field.partition(".")
    value = data.get(head)
    return value.get(tail) if tail and isinstance(value, Mapping) else value


def _code(measure: codes.Measure) -> Resource:
    codings = [coding(measure.system, measure.code, measure.display)]
    text = codes.QUALIFIER_TEXT.get(measure.qualifier or "", measure.display)
    if measure.qualifier:
        codings.append(coding(codes.OBSERVATION_SYSTEM, measure.qualifier, text))
    return {"coding": codings, "text": text}


def _observation(
    ctx: Context, patient: PatientFacts, facts: AssessmentFacts, measure_key: str, value: Resource
) -> Resource:
    key = f"{facts.id}/{measure_key}"
    measure = codes.BY_KEY.get(measure_key)
    resource: Resource = {
        "resourceType": "Observation",
        "id": ctx.id("Observation", key),
        "identifier": [identifier(codes.OBSERVATION_IDENTIFIER, key)],
        "status": "final" if facts.version == 1 else "amended",
        "category": category(measure.category if measure else codes.EXAM),
        "code": _code(measure) if measure else {},
        "subject": ctx.ref("Patient", patient.id),
        "effectiveDateTime": ctx.date(facts.result.date),
        **value,
    }
    if measure and measure.profile:
        resource["meta"] = {"profile": [measure.profile]}
    return resource


def _quantity(measure_key: str, number: float, *, derived_kind: str | None = None) -> Resource:
    measure = codes.BY_KEY[measure_key]
    assert measure.unit is not None
    rounded = shown(number, derived_kind) if derived_kind else number
    assert rounded is not None
    return {"valueQuantity": quantity(decimal(rounded, measure.places), measure.unit)}


def measured(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> Iterator[Resource]:
    """Every value measured at the visit, as entered."""
    for measure in codes.MEASURES:
        if measure.field is None:
            continue
        number = _value(facts.data, measure.field)
        if isinstance(number, int | float) and not isinstance(number, bool):
            value = _quantity(measure.key, number)
            yield validated(_observation(ctx, patient, facts, measure.key, value))
    if patient.height_cm is not None:  # the height the visit's equations used
        value = _quantity("body-height", patient.height_cm)
        yield validated(_observation(ctx, patient, facts, "body-height", value))
    yield from _mrc(ctx, patient, facts)


def _mrc(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> Iterator[Resource]:
    grades = facts.data.get("mrc") or {}
    for muscle in MRC_KEYS:
        if muscle not in grades:
            continue
        code = codes.MRC_PREFIX + muscle
        resource = _observation(ctx, patient, facts, code, {"valueInteger": int(grades[muscle])})
        display = f"{MRC_DISPLAY}: {muscle.replace('_', ' ')}"
        resource["code"] = {
            "coding": [coding(codes.OBSERVATION_SYSTEM, code, display)],
            "text": display,
        }
        yield validated(resource)


def derived(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> Iterator[Resource]:
    """The core's derived values, each pointing at the observations it was derived from."""
    result = facts.result

    def own(key: str) -> Resource:
        return ctx.ref("Observation", f"{facts.id}/{key}")

    fvc = result.fvc
    if fvc.percent_predicted is not None:
        value = _quantity("fvc-percent-predicted", fvc.percent_predicted, derived_kind="percent")
        yield _derived(
            ctx, patient, facts, "fvc-percent-predicted", value, [own("fvc")], "GLI-2012"
        )
    if fvc.z_score is not None:
        value = _quantity("fvc-z-score", fvc.z_score, derived_kind="z")
        yield _derived(ctx, patient, facts, "fvc-z-score", value, [own("fvc")], "GLI-2012")
    if result.bmi.value is not None:
        sources = [own("body-height")] + ([own("body-weight")] if "weight_kg" in facts.data else [])
        value = _quantity("bmi", result.bmi.value, derived_kind="bmi")
        yield _derived(ctx, patient, facts, "bmi", value, sources, None)
    yield from _staging(ctx, patient, facts)


def _staging(ctx: Context, patient: PatientFacts, facts: AssessmentFacts) -> Iterator[Resource]:
    result = facts.result
    qr = [ctx.ref("QuestionnaireResponse", facts.id)]
    kings = concept(codes.KINGS_SYSTEM, result.kings.stage, f"King's stage {result.kings.stage}")
    method = "Estimated from ALSFRS-R (Balendra et al. 2014); 4A+4B when both apply"
    yield _derived(ctx, patient, facts, "kings-stage", {"valueCodeableConcept": kings}, qr, method)
    mitos = {"valueInteger": result.mitos.stage}
    yield _derived(ctx, patient, facts, "mitos-stage", mitos, qr, "Chiò et al. 2015")
    progression = result.progression
    if progression.delta_frs_per_month is None:
        return
    cutoffs = progression.cutoffs
    method = (
        "(48 - ALSFRS-R total) / months since onset (Kimura 2006); "
        f"cut-offs {cutoffs.id}: {cutoffs.source}"
    )
    rate = _quantity("delta-frs", progression.delta_frs_per_month, derived_kind="rate")
    yield _derived(ctx, patient, facts, "delta-frs", rate, qr, method)
    if progression.category is not None:
        code = progression.category.value
        value = {"valueCodeableConcept": concept(codes.PROGRESSION_SYSTEM, code, code)}
        own = [ctx.ref("Observation", f"{facts.id}/delta-frs")]
        yield _derived(ctx, patient, facts, "progression-category", value, own, method)


def _derived(
    ctx: Context,
    patient: PatientFacts,
    facts: AssessmentFacts,
    key: str,
    value: Resource,
    sources: list[Resource],
    method: str | None,
) -> Resource:
    resource = _observation(ctx, patient, facts, key, value)
    resource["derivedFrom"] = sources
    if method:
        resource["method"] = {"text": method}
    return validated(resource)
