"""The FHIR R4B export of a demo patient, on SQLite and PostgreSQL: every resource parses with
fhir.resources, every reference resolves inside the Bundle, the values are the core's, decimals
keep their precision, the export is audited, and a de-identified export identifies no one."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest
from fhir.resources.R4B import get_fhir_model_class
from sqlalchemy import func, select
from tests import fhir_validators as check
from tests.db_fixtures import SQLITE_ONLY

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import NotFound, PermissionDenied
from alsrx.interop import codes, fhir_json
from alsrx.services import demo, fhir_export, followup
from alsrx.services.actor import Actor

TODAY = dt.date(2026, 11, 26)
AT = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def seeded(factory):
    demo.seed(factory, patients_n=1, months=2, seed_value=3, today=TODAY)
    with transaction(factory) as s:
        patient = s.scalars(select(models.Patient)).one()
        clinician = s.scalars(
            select(models.User).where(models.User.username == "demo-clinician")
        ).one()
        actor = Actor(clinician.id, clinician.username, "clinician", frozenset({patient.centre_id}))
        # A spirometer's reading to the hundredth, typed as 3.10.
        body = dict(demo_visit(s, patient.id), fvc_l=3.10)
        followup.record_assessment(s, actor, patient.id, body, today=TODAY)
    return factory, actor, patient.id


def demo_visit(s, patient_id):
    newest = s.scalars(
        select(models.Assessment)
        .where(models.Assessment.patient_id == patient_id, models.Assessment.is_current.is_(True))
        .order_by(models.Assessment.date.desc())
    ).first()
    return {**newest.data, "date": TODAY.isoformat()}


def export(factory, actor, patient_id, **options):
    wanted = fhir_export.ExportOptions(today=TODAY, **options)
    with transaction(factory) as s:
        return fhir_export.export(s, actor, patient_id=patient_id, wanted=wanted, at=AT)


def entries(text):
    return [e["resource"] for e in fhir_json.loads(text)["entry"]]


def test_every_exported_resource_parses_as_its_fhir_r4b_model(seeded):
    text = export(*seeded)
    resources = entries(text)
    kinds = Counter(r["resourceType"] for r in resources)
    assert {"Patient", "Condition", "Questionnaire", "QuestionnaireResponse", "Observation"} <= set(
        kinds
    )
    assert kinds["CarePlan"] >= 1 and kinds["ServiceRequest"] >= kinds["CarePlan"]
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    get_fhir_model_class("Bundle").model_validate(json.loads(text))


def test_every_reference_resolves_to_an_entry_of_the_bundle(seeded):
    document = fhir_json.loads(export(*seeded))
    full_urls = {e["fullUrl"] for e in document["entry"]}
    assert len(full_urls) == len(document["entry"])  # no two entries share an id

    def references(value):
        if isinstance(value, dict):
            if isinstance(value.get("reference"), str):
                yield value["reference"]
            for item in value.values():
                yield from references(item)
        elif isinstance(value, list):
            for item in value:
                yield from references(item)

    dangling = {r for r in references(document["entry"]) if r not in full_urls}
    assert not dangling


def test_a_fvc_typed_as_3_10_is_written_as_3_10(seeded):
    text = export(*seeded)
    fvc = [
        r
        for r in entries(text)
        if r["resourceType"] == "Observation"
        and r["code"]["coding"][0]["code"] == "19870-5"
        and r["effectiveDateTime"] == TODAY.isoformat()
    ]
    assert fvc[0]["valueQuantity"]["value"] == Decimal("3.10")
    assert '"value":3.10,' in text
    assert fvc[0]["valueQuantity"]["code"] == "L"


def test_the_questionnaire_response_holds_the_stored_items_and_the_total_is_derived_from_it(seeded):
    factory, _actor, _patient_id = seeded
    resources = entries(export(*seeded))
    by_url = {f"urn:uuid:{r['id']}": r for r in resources}
    with transaction(factory) as s:
        stored = {
            a.id: a
            for a in s.scalars(
                select(models.Assessment).where(models.Assessment.is_current.is_(True))
            )
        }
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == len(stored)
    for qr in responses:
        row = stored[qr["identifier"]["value"]]
        assert (
            qr["questionnaire"]
            == f"{codes.ALSFRS_R_QUESTIONNAIRE}|{codes.ALSFRS_R_QUESTIONNAIRE_VERSION}"
        )
        scores = {
            i["linkId"]: int(i["answer"][0]["valueCoding"]["extension"][0]["valueDecimal"])
            for i in qr["item"]
            if i["linkId"] != codes.GASTROSTOMY_ITEM
        }
        expected = {k: v for k, v in row.data["alsfrs_r"].items() if k != "mode"}
        assert scores == expected
        total = [
            r
            for r in resources
            if r["resourceType"] == "Observation"
            and r["code"]["coding"][0]
            == {"system": codes.ALSFRS_R_SYSTEM, "code": "total", "display": "ALSFRS-R total score"}
            and r["derivedFrom"][0]["reference"] == f"urn:uuid:{qr['id']}"
        ]
        assert total[0]["valueInteger"] == row.derived["alsfrs_r"]["total"]
        assert by_url[qr["subject"]["reference"]]["resourceType"] == "Patient"


def test_derived_values_are_the_stored_assessments(seeded):
    factory, _, _ = seeded
    resources = entries(export(*seeded))
    with transaction(factory) as s:
        rows = list(
            s.scalars(select(models.Assessment).where(models.Assessment.is_current.is_(True)))
        )
    for row in rows:
        mine = {
            r["identifier"][0]["value"].split("/", 1)[1]: r
            for r in resources
            if r["resourceType"] == "Observation"
            and r.get("identifier", [{}])[0].get("value", "").startswith(row.id + "/")
        }
        assert (
            mine["kings-stage"]["valueCodeableConcept"]["coding"][0]["code"]
            == row.derived["kings_stage"]
        )
        assert mine["mitos-stage"]["valueInteger"] == row.derived["mitos_stage"]
        rate = row.derived["progression"]["delta_frs_per_month"]
        assert float(mine["delta-frs"]["valueQuantity"]["value"]) == pytest.approx(rate, abs=5e-4)
        percent = row.derived["fvc"]["percent_predicted"]
        if percent is not None:
            assert float(mine["fvc-percent-predicted"]["valueQuantity"]["value"]) == percent


def test_each_component_is_an_exercise_therapy_request_for_the_condition(seeded):
    resources = entries(export(*seeded))
    condition = next(r for r in resources if r["resourceType"] == "Condition")
    assert condition["code"]["coding"][0]["code"] == codes.ALS_SNOMED
    for request in (r for r in resources if r["resourceType"] == "ServiceRequest"):
        assert request["code"]["coding"][0] == {
            "system": codes.SNOMED,
            "code": codes.EXERCISE_THERAPY_SNOMED,
            "display": "Exercise therapy (regime/therapy)",
        }
        assert request["reasonReference"] == [{"reference": f"urn:uuid:{condition['id']}"}]
        assert request["occurrenceTiming"]["repeat"]["periodUnit"] == "wk"
        assert request["patientInstruction"]
        urls = {e["url"] for e in request["extension"]}
        assert codes.EXT_EVIDENCE in urls and codes.EXT_SESSIONS_PER_WEEK in urls


def test_session_logs_are_activity_observations_with_the_borg_scale_named(seeded):
    resources = entries(export(*seeded))
    logs = [
        r
        for r in resources
        if r.get("category", [{}])[0].get("coding", [{}])[0].get("code") == "activity"
    ]
    assert logs
    rated = [
        r
        for r in logs
        if any(c["code"]["coding"][0]["code"] == codes.RPE[0] for c in r["component"])
    ]
    assert rated and all("6-20" in r["method"]["text"] for r in rated)
    for log in logs:
        assert ("valueQuantity" in log) != ("dataAbsentReason" in log)  # FHIR obs-6
        assert log["performer"]


def test_the_export_is_audited_with_counts_and_no_values(seeded):
    factory, _actor, patient_id = seeded
    export(*seeded)
    with transaction(factory) as s:
        event = s.scalars(
            select(models.AuditEvent)
            .where(models.AuditEvent.action == "export")
            .order_by(models.AuditEvent.seq.desc())
        ).first()
    assert event.entity == "patient" and event.entity_id == patient_id
    assert event.new["format"] == "fhir-bundle" and event.new["assessments"] >= 2
    assert set(event.new) == {
        "format",
        "deidentified",
        "assessments",
        "prescriptions",
        "session_logs",
    }


def test_a_deidentified_export_names_no_code_birth_date_or_user_and_keeps_intervals(seeded):
    factory, _actor, patient_id = seeded
    plain, hidden = entries(export(*seeded)), entries(export(*seeded, deidentified=True))
    patient = next(r for r in hidden if r["resourceType"] == "Patient")
    assert "birthDate" not in patient
    assert patient["identifier"][0]["system"] == codes.RESEARCH_ID_IDENTIFIER
    text = fhir_json.dumps(hidden)
    with transaction(factory) as s:
        code = s.get(models.Patient, patient_id).code
    assert code not in text and codes.USER_IDENTIFIER not in text

    def dates(resources):
        return sorted(
            dt.date.fromisoformat(r["authored"])
            for r in resources
            if r["resourceType"] == "QuestionnaireResponse"
        )

    before, after = dates(plain), dates(hidden)
    shift = before[0] - after[0]
    assert all(b - a == shift for a, b in zip(after, before, strict=True))
    assert dt.timedelta(0) <= shift <= dt.timedelta(days=364)

    def ids(resources):  # the published definitions keep their ids: they describe no one
        return {r["id"] for r in resources if r["resourceType"] != "StructureDefinition"}

    assert not ids(plain) & ids(hidden)  # ids link to nothing


def test_ndjson_writes_one_resource_a_line_with_relative_references(seeded):
    factory, actor, patient_id = seeded
    wanted = fhir_export.ExportOptions(today=TODAY)
    with transaction(factory) as s:
        files = fhir_export.export(
            s, actor, patient_id=patient_id, wanted=wanted, fmt="ndjson", at=AT
        )
    assert isinstance(files, dict) and "Observation" in files
    for kind, text in files.items():
        for line in text.splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == kind
    assert '"reference":"Patient/' in files["Observation"]
    assert "urn:uuid:" not in "".join(files.values())


def test_only_clinicians_of_the_patients_centre_may_export(seeded):
    factory, actor, patient_id = seeded
    other = Actor(actor.user_id, actor.username, "clinician", frozenset({999}))
    with pytest.raises(NotFound):
        export(factory, other, patient_id)
    with pytest.raises(PermissionDenied):
        export(
            factory,
            Actor(actor.user_id, "p", "patient", patient_ids=frozenset({patient_id})),
            patient_id,
        )
    with transaction(factory) as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(models.AuditEvent)
                .where(models.AuditEvent.action == "export")
            )
            == 0
        )


@SQLITE_ONLY
def test_the_export_passes_the_fhir_json_schema_and_fhircraft_with_our_profiles(seeded):
    """The official FHIR JSON Schema over every entry; fhircraft over every entry for FHIR's
    invariants and, where a resource names one of our profiles, that profile too."""
    bundle = json.loads(export(*seeded))  # plain floats: what a receiver's parser reads
    resources = [e["resource"] for e in bundle["entry"]]
    targets = {e["fullUrl"]: e["resource"]["resourceType"] for e in bundle["entry"]}
    assert check.parse_errors(resources) == []
    # The R4 schema lists fhirVersion values up to 4.0.0; R4B's 4.3.0 came later, so our
    # StructureDefinitions are checked with that one (optional) element set aside.
    r4 = [{k: v for k, v in r.items() if k != "fhirVersion"} for r in resources]
    assert check.schema_errors(r4) == []
    ours = set(codes.PROFILES)
    errors, profiled = [], Counter()
    for resource in resources:
        profile = next((p for p in resource.get("meta", {}).get("profile", ()) if p in ours), None)
        profiled[profile] += 1
        errors += check.fhircraft_errors(resource, profile, targets=targets)
    assert errors == []
    assert (
        profiled[codes.PROFILE_ALSFRS_R_SCORE] >= 10
        and profiled[codes.PROFILE_EXERCISE_REQUEST] >= 4
    )
