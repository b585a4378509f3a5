"""A patient's record as FHIR R4B: a `collection` Bundle, or NDJSON files per resource type.

The Bundle holds everything a receiver needs to read it without alsrx: the ALSFRS-R
Questionnaire and code system, alsrx's other code systems (as `fragment`s: the codes this
export uses, with their display), and the StructureDefinitions of alsrx's extensions and
profiles. NDJSON (FHIR Bulk Data) writes one resource per line, references as `Type/id`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from alsrx.interop import (
    codes,
    definitions,
    fhir_alsfrs,
    fhir_observations,
    fhir_people,
    fhir_plan,
    fhir_sessions,
)
from alsrx.interop.fhir_base import Context, Resource, validated
from alsrx.interop.fhir_json import dumps
from alsrx.interop.records import PatientRecord

LOCAL_SYSTEMS = {
    codes.OBSERVATION_SYSTEM: "AlsrxObservation",
    codes.ADMINISTRATION_SYSTEM: "AlsrxAdministrationMode",
    codes.COMPONENT_SYSTEM: "AlsrxExerciseComponent",
    codes.EXERCISE_SYSTEM: "AlsrxExercise",
    codes.SYMPTOM_SYSTEM: "AlsrxSymptom",
    codes.COMPLETION_SYSTEM: "AlsrxSessionCompletion",
    codes.ONSET_REGION_SYSTEM: "AlsrxOnsetRegion",
    codes.EVIDENCE_SYSTEM: "AlsrxEvidence",
    codes.KINGS_SYSTEM: "AlsrxKingsStage",
    codes.PROGRESSION_SYSTEM: "AlsrxProgressionCategory",
    codes.LOAD_SYSTEM: "AlsrxExerciseLoad",
}


def patient_resources(ctx: Context, record: PatientRecord) -> list[Resource]:
    """One patient's resources: Patient, Condition, assessments, plans, sessions, people."""
    patient = record.patient
    out = [fhir_people.patient(ctx, patient), fhir_people.condition(ctx, patient)]
    exported = set()
    for facts in record.assessments:
        exported.add(facts.id)
        out.append(fhir_alsfrs.response(ctx, patient, facts))
        out += fhir_alsfrs.scores(ctx, patient, facts)
        out += fhir_observations.measured(ctx, patient, facts)
        out += fhir_observations.derived(ctx, patient, facts)
    successors = {rx.supersedes_id: rx.starts_on for rx in record.prescriptions if rx.supersedes_id}
    for rx in record.prescriptions:
        ends_on = successors.get(rx.id) if rx.status == "superseded" else None
        basis = rx.assessment_id in exported
        out += fhir_plan.care_plan(ctx, patient, rx, basis=basis, ends_on=ends_on)
    out += fhir_sessions.sessions(ctx, patient, record.sessions)
    return out


def people(ctx: Context) -> list[Resource]:
    """A resource for every Practitioner and caregiver referenced so far."""
    return [fhir_people.person(ctx, kind, key) for kind, key in ctx.people]


def _codings(value: Any) -> Iterator[Resource]:
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            yield value
        for item in value.values():
            yield from _codings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _codings(item)


def code_systems(ctx: Context, resources: Iterable[Resource]) -> list[Resource]:
    """alsrx's local code systems as fragments: each code the resources use, once."""
    used: dict[str, dict[str, str | None]] = defaultdict(dict)
    for resource in resources:
        for c in _codings(resource):
            if c["system"] in LOCAL_SYSTEMS:
                used[c["system"]].setdefault(c["code"], c.get("display"))
    systems = [fhir_alsfrs.code_system(ctx)]
    for system, found in sorted(used.items()):
        concepts = [
            {"code": code, **({"display": d} if d else {})} for code, d in sorted(found.items())
        ]
        name = LOCAL_SYSTEMS[system]
        resource = {
            "resourceType": "CodeSystem",
            "id": ctx.id("CodeSystem", name),
            "url": system,
            "name": name,
            "status": "draft",
            "content": "fragment",
            "concept": concepts,
        }
        systems.append(validated(resource))
    return systems


def conformance(ctx: Context, resources: Sequence[Resource]) -> list[Resource]:
    """What lets a receiver read the rest: the Questionnaire, code systems, definitions."""
    return [
        fhir_alsfrs.questionnaire(ctx),
        *code_systems(ctx, resources),
        *definitions.all_definitions(),
    ]


def wrap(ctx: Context, resources: Sequence[Resource], *, at: dt.datetime) -> Resource:
    return {
        "resourceType": "Bundle",
        "id": ctx.id("Bundle", at.isoformat()),
        "meta": {"lastUpdated": ctx.instant(at)},
        "type": "collection",
        "timestamp": ctx.instant(at),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def bundle(ctx: Context, records: Iterable[PatientRecord], *, at: dt.datetime) -> Resource:
    """Every record's resources, the people they name and what a receiver needs to read them."""
    resources: list[Resource] = []
    for record in records:
        resources += patient_resources(ctx, record)
    resources += people(ctx)
    return wrap(ctx, conformance(ctx, resources) + resources, at=at)


def as_ndjson(document: Resource) -> dict[str, str]:
    """One NDJSON text per resource type, {"Observation": "...\\n..."}: references rewritten
    from `urn:uuid:<id>` to `Type/<id>` (Bulk Data files are not a Bundle)."""
    entries = document["entry"]
    types = {e["resource"]["id"]: e["resource"]["resourceType"] for e in entries}
    lines: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        resource = _relative(entry["resource"], types)
        lines[resource["resourceType"]].append(dumps(resource))
    return {kind: "\n".join(rows) + "\n" for kind, rows in lines.items()}


def _relative(value: Any, types: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {k: _relative(v, types) for k, v in value.items()}
        ref = out.get("reference")
        if isinstance(ref, str) and ref.startswith("urn:uuid:"):
            target = ref.removeprefix("urn:uuid:")
            out["reference"] = f"{types.get(target, 'Resource')}/{target}"
        return out
    if isinstance(value, list):
        return [_relative(v, types) for v in value]
    return value
