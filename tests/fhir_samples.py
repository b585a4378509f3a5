"""Hand-written FHIR R4B resources in the shapes the exporter produces, each a fresh dict.

They prove the validators in tests/fhir_validators.py accept what is right; the tests derive the
wrong variants from them one change at a time.
"""

from __future__ import annotations

from typing import Any

from alsrx.interop import codes

PATIENT = "urn:uuid:5d1f0c8e-8d5b-4b7e-9a51-1c6a1f0e2a01"
CONDITION = "urn:uuid:5d1f0c8e-8d5b-4b7e-9a51-1c6a1f0e2a02"
RESPONSE = "urn:uuid:5d1f0c8e-8d5b-4b7e-9a51-1c6a1f0e2a03"
PRACTITIONER = "urn:uuid:5d1f0c8e-8d5b-4b7e-9a51-1c6a1f0e2a04"
# fullUrl -> resourceType, as a Bundle of these resources resolves them.
TARGETS = {
    PATIENT: "Patient",
    CONDITION: "Condition",
    RESPONSE: "QuestionnaireResponse",
    PRACTITIONER: "Practitioner",
}


def ucum(value: float, code: str) -> dict[str, Any]:
    return {
        "value": value,
        "unit": codes.UCUM_DISPLAY.get(code, code),
        "system": codes.UCUM,
        "code": code,
    }


def whole_range(low: int, high: int, unit: str | None = None) -> dict[str, Any]:
    """A Range of whole numbers; with `unit` both ends carry that UCUM code."""
    if unit is None:
        return {"low": {"value": low}, "high": {"value": high}}
    return {"low": ucum(low, unit), "high": ucum(high, unit)}


def score(code: str = "total", value: int = 38) -> dict[str, Any]:
    """An ALSFRS-R total or domain score Observation (profile alsfrs-r-score)."""
    return {
        "resourceType": "Observation",
        "meta": {"profile": [codes.PROFILE_ALSFRS_R_SCORE]},
        "identifier": [{"system": codes.OBSERVATION_IDENTIFIER, "value": f"17-alsfrs-r-{code}"}],
        "status": "final",
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": codes.SURVEY}]}],
        "code": {"coding": [{"system": codes.ALSFRS_R_SYSTEM, "code": code}]},
        "subject": {"reference": PATIENT},
        "effectiveDateTime": "2026-05-01",
        "valueInteger": value,
        "derivedFrom": [{"reference": RESPONSE}],
    }


def dose_extensions() -> list[dict[str, Any]]:
    """Every ServiceRequest extension alsrx defines, with its chosen value type."""
    return [
        {"url": codes.EXT_SETS, "valueRange": whole_range(2, 3)},
        {"url": codes.EXT_REPETITIONS, "valueRange": whole_range(8, 12)},
        {
            "url": codes.EXT_LOAD,
            "valueCodeableConcept": {
                "coding": [{"system": codes.LOAD_SYSTEM, "code": "light_added_load"}],
                "text": "Light added load: elastic band or 0.5-1 kg cuff weight",
            },
        },
        {"url": codes.EXT_HR_CEILING, "valueQuantity": ucum(118, "/min")},
        {"url": codes.EXT_RPE_RANGE, "valueRange": whole_range(11, 13)},
        {"url": codes.EXT_SESSIONS_PER_WEEK, "valueRange": whole_range(3, 3, "/wk")},
        {"url": codes.EXT_MINUTES_PER_SESSION, "valueRange": whole_range(20, 30, "min")},
        {
            "url": codes.EXT_EVIDENCE,
            "valueCoding": {"system": codes.EVIDENCE_SYSTEM, "code": "rec-aerobic"},
        },
        {
            "url": codes.EXT_EVIDENCE,
            "valueCoding": {"system": codes.EVIDENCE_SYSTEM, "code": "R35"},
        },
    ]


def exercise_request() -> dict[str, Any]:
    """One prescription component as a ServiceRequest (profile exercise-service-request)."""
    return {
        "resourceType": "ServiceRequest",
        "meta": {"profile": [codes.PROFILE_EXERCISE_REQUEST]},
        "extension": dose_extensions(),
        "identifier": [{"system": codes.PRESCRIPTION_IDENTIFIER, "value": "9-v2-aerobic"}],
        "status": "active",
        "intent": "plan",
        "code": {
            "coding": [
                {
                    "system": codes.SNOMED,
                    "code": codes.EXERCISE_THERAPY_SNOMED,
                    "display": "Exercise therapy (regime/therapy)",
                }
            ]
        },
        "subject": {"reference": PATIENT},
        "occurrenceTiming": {
            "repeat": {
                "frequency": 3,
                "period": 1,
                "periodUnit": "wk",
                "dayOfWeek": ["mon", "wed", "fri"],
            }
        },
        "reasonReference": [{"reference": CONDITION}],
        "patientInstruction": "Walk or cycle at an easy pace, 20-30 minutes; stop if breathless.",
    }


def care_plan() -> dict[str, Any]:
    """The approved prescription version as a CarePlan carrying version and approval."""
    return {
        "resourceType": "CarePlan",
        "extension": [
            {"url": codes.EXT_PRESCRIPTION_VERSION, "valuePositiveInt": 2},
            {
                "url": codes.EXT_APPROVAL,
                "extension": [
                    {"url": "approvedAt", "valueDateTime": "2026-05-02T09:30:00+02:00"},
                    {"url": "approvedBy", "valueReference": {"reference": PRACTITIONER}},
                ],
            },
            {
                "url": codes.EXT_EVIDENCE,
                "valueCoding": {"system": codes.EVIDENCE_SYSTEM, "code": "R35"},
            },
        ],
        "status": "active",
        "intent": "plan",
        "subject": {"reference": PATIENT},
        "activity": [{"reference": {"reference": "urn:uuid:5d1f0c8e-8d5b-4b7e-9a51-1c6a1f0e2a05"}}],
    }


def questionnaire_response() -> dict[str, Any]:
    """The ALSFRS-R answers, with how they were collected."""
    return {
        "resourceType": "QuestionnaireResponse",
        "extension": [
            {
                "url": codes.EXT_ADMINISTRATION_MODE,
                "valueCoding": {"system": codes.ADMINISTRATION_SYSTEM, "code": "telephone"},
            }
        ],
        "questionnaire": f"{codes.ALSFRS_R_QUESTIONNAIRE}|{codes.ALSFRS_R_QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": {"reference": PATIENT},
        "authored": "2026-05-01",
        "item": [
            {
                "linkId": "q1",
                "answer": [{"valueCoding": {"system": codes.ALSFRS_R_SYSTEM, "code": "q1-4"}}],
            },
            {"linkId": codes.GASTROSTOMY_ITEM, "answer": [{"valueBoolean": False}]},
        ],
    }


def condition() -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "clinicalStatus": {"coding": [{"system": codes.CONDITION_CLINICAL, "code": "active"}]},
        "verificationStatus": {
            "coding": [{"system": codes.CONDITION_VERIFICATION, "code": "confirmed"}]
        },
        "code": {
            "coding": [
                {
                    "system": codes.SNOMED,
                    "code": codes.ALS_SNOMED,
                    "display": "Amyotrophic lateral sclerosis (disorder)",
                }
            ]
        },
        "subject": {"reference": PATIENT},
    }


def valid_resources() -> list[dict[str, Any]]:
    """One of each: every validator must accept all of them."""
    return [
        score(),
        score("bulbar", 11),
        exercise_request(),
        care_plan(),
        questionnaire_response(),
        condition(),
        {
            "resourceType": "Patient",
            "identifier": [{"system": codes.PATIENT_CODE_IDENTIFIER, "value": "P-0017"}],
        },
    ]
