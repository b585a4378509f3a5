"""The patient, the disease and the people who entered data: Patient, Condition, Practitioner
and RelatedPerson.

The Patient carries the centre-local code as its identifier (the clinic's own key, never a
name or contact). A de-identified export carries the research id instead and no birth date.
Practitioners and caregivers appear by an alsrx user identifier only (none when de-identified).
The Condition is SNOMED CT 86044005, with the symptom onset as its onset, the onset region as
its body site and the diagnosis date as the standard `condition-assertedDate` extension.
"""

from __future__ import annotations

from alsrx.i18n import translator
from alsrx.interop import codes
from alsrx.interop.fhir_base import Context, Resource, coding, concept, identifier, validated
from alsrx.interop.records import PatientFacts
from alsrx.render import patient_labels

ASSERTED_DATE = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"
ALS = "Amyotrophic lateral sclerosis (disorder)"


def patient(ctx: Context, facts: PatientFacts) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": ctx.id("Patient", facts.id),
        "gender": facts.sex if facts.sex in ("male", "female") else "unknown",
    }
    if ctx.deidentified:
        resource["identifier"] = [identifier(codes.RESEARCH_ID_IDENTIFIER, facts.research_id)]
    else:
        code = identifier(f"{codes.PATIENT_CODE_IDENTIFIER}/{facts.centre_id}", facts.code)
        resource["identifier"] = [{**code, "type": {"text": "Centre-local patient code"}}]
        resource["birthDate"] = ctx.date(facts.birth_date)
    return validated(resource)


def condition(ctx: Context, facts: PatientFacts) -> Resource:
    resource: Resource = {
        "resourceType": "Condition",
        "id": ctx.id("Condition", facts.id),
        "clinicalStatus": concept(codes.CONDITION_CLINICAL, "active"),
        "verificationStatus": concept(codes.CONDITION_VERIFICATION, "confirmed"),
        "code": concept(codes.SNOMED, codes.ALS_SNOMED, ALS, text="ALS"),
        "subject": ctx.ref("Patient", facts.id),
        "onsetDateTime": ctx.date(facts.symptom_onset_date),
    }
    if facts.onset_region:
        words = translator(ctx.lang)(patient_labels.ONSET_REGION[facts.onset_region])
        site = coding(codes.ONSET_REGION_SYSTEM, facts.onset_region, words)
        resource["bodySite"] = [{"coding": [site], "text": words}]
    if facts.diagnosis_date:
        asserted = {"url": ASSERTED_DATE, "valueDateTime": ctx.date(facts.diagnosis_date)}
        resource["extension"] = [asserted]
    return validated(resource)


def person(ctx: Context, kind: str, key: str) -> Resource:
    """A Practitioner (key: the user id) or a caregiver as RelatedPerson (key: "patient id/user
    id", or "patient id/unknown" for a caregiver report a clinician entered)."""
    resource: Resource = {"resourceType": kind, "id": ctx.id(kind, key), "active": True}
    user = key
    if kind == "RelatedPerson":
        patient_id, _, user = key.rpartition("/")
        resource["patient"] = ctx.ref("Patient", patient_id)
        resource["relationship"] = [{"text": "caregiver"}]
    if not ctx.deidentified and user.isdigit():
        resource["identifier"] = [identifier(codes.USER_IDENTIFIER, user)]
    return validated(resource)
