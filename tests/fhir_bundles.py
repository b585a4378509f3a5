"""Hand-built FHIR R4B bundles as the export writes them (the export contract of issue 17), for
the import's tests: one visit = an ALSFRS-R QuestionnaireResponse + measurement Observations.

Numbers are written as JSON text (`to_json`) and read back with decimals exact, as a file or a
request body would be: FVC 3.10 L stays 3.10 until the typed input is built.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from decimal import Decimal
from typing import Any

from alsrx.interop import codes, fhir_import

PATIENT_URL = "urn:uuid:00000000-0000-4000-8000-000000000001"
PRACTITIONER_URL = "urn:uuid:00000000-0000-4000-8000-000000000002"

ITEMS = {
    "q1_speech": 3,
    "q2_salivation": 4,
    "q3_swallowing": 3,
    "q4_handwriting": 2,
    "q5a_cutting_food": 3,
    "q6_dressing_hygiene": 3,
    "q7_turning_in_bed": 3,
    "q8_walking": 2,
    "q9_climbing_stairs": 2,
    "q10_dyspnea": 4,
    "q11_orthopnea": 4,
    "q12_respiratory_insufficiency": 4,
}
# The same visit as typed input (POST /patients/{id}/assessments) would carry it.
MEASURES = {
    "fvc": Decimal("3.10"),
    "six-minute-walk": Decimal("412.5"),
    "heart-rate-rest": Decimal("72"),
    "heart-rate-cpet-peak": Decimal("151"),
    "body-weight": Decimal("68.4"),
}
TYPED_MEASURES = {
    "fvc_l": 3.1,
    "six_minute_walk_m": 412.5,
    "resting_hr_bpm": 72,
    "cpet": {"peak_hr_bpm": 151},
    "weight_kg": 68.4,
}


def typed(date: str, *, items: dict[str, int] | None = None, mrc: dict[str, int] | None = None):
    body: dict[str, Any] = {"date": date, "alsfrs_r": {**(items or ITEMS), "mode": "clinician"}}
    body.update(copy.deepcopy(TYPED_MEASURES))
    if mrc:
        body["mrc"] = dict(mrc)
    return body


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    rid = resource.setdefault("id", str(uuid.uuid4()))
    return {"fullUrl": f"urn:uuid:{rid}", "resource": resource}


def patient() -> dict[str, Any]:
    return {
        "fullUrl": PATIENT_URL,
        "resource": {
            "resourceType": "Patient",
            "id": PATIENT_URL.rsplit(":", 1)[1],
            # the code of tests/db_fixtures.PATIENT_A, the patient these bundles are imported into
            "identifier": [{"system": codes.PATIENT_CODE_IDENTIFIER, "value": "A-001"}],
        },
    }


def practitioner() -> dict[str, Any]:
    return {
        "fullUrl": PRACTITIONER_URL,
        "resource": {
            "resourceType": "Practitioner",
            "id": PRACTITIONER_URL.rsplit(":", 1)[1],
            "identifier": [{"system": codes.USER_IDENTIFIER, "value": "7"}],
        },
    }


def response(assessment_id: str, date: str, items: dict[str, int] | None = None) -> dict:
    items = items or ITEMS
    answers = [
        {
            "linkId": link,
            "answer": [
                {
                    "valueCoding": {
                        "system": codes.ALSFRS_R_SYSTEM,
                        "code": f"{link}.{score}",
                        "display": f"{link} {score}",
                        "extension": [{"url": codes.ORDINAL_VALUE, "valueDecimal": score}],
                    }
                }
            ],
        }
        for link, score in items.items()
    ]
    answers.append(
        {
            "linkId": codes.GASTROSTOMY_ITEM,
            "answer": [{"valueBoolean": "q5b_cutting_food_gastrostomy" in items}],
        }
    )
    return _entry(
        {
            "resourceType": "QuestionnaireResponse",
            "identifier": {"system": codes.ASSESSMENT_IDENTIFIER, "value": assessment_id},
            "questionnaire": (
                f"{codes.ALSFRS_R_QUESTIONNAIRE}|{codes.ALSFRS_R_QUESTIONNAIRE_VERSION}"
            ),
            "status": "completed",
            "subject": {"reference": PATIENT_URL},
            "authored": date,
            "author": {"reference": PRACTITIONER_URL},
            "extension": [
                {
                    "url": codes.EXT_ADMINISTRATION_MODE,
                    "valueCoding": {"system": codes.ADMINISTRATION_SYSTEM, "code": "clinician"},
                }
            ],
            "item": answers,
        }
    )


def measurement(assessment_id: str, date: str, key: str, value: Decimal) -> dict:
    m = codes.BY_KEY[key]
    coding = [{"system": m.system, "code": m.code, "display": m.display}]
    if m.qualifier:
        coding.append({"system": codes.OBSERVATION_SYSTEM, "code": m.qualifier})
    return _entry(
        {
            "resourceType": "Observation",
            "identifier": [
                {"system": codes.OBSERVATION_IDENTIFIER, "value": f"{assessment_id}/{key}"}
            ],
            "status": "final",
            "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": m.category}]}],
            "code": {"coding": coding},
            "subject": {"reference": PATIENT_URL},
            "effectiveDateTime": date,
            "valueQuantity": {"value": value, "unit": m.unit, "system": codes.UCUM, "code": m.unit},
        }
    )


def mrc(assessment_id: str, date: str, key: str, grade: int) -> dict:
    return _entry(
        {
            "resourceType": "Observation",
            "identifier": [
                {"system": codes.OBSERVATION_IDENTIFIER, "value": f"{assessment_id}/mrc-{key}"}
            ],
            "status": "final",
            "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": codes.EXAM}]}],
            "code": {"coding": [{"system": codes.OBSERVATION_SYSTEM, "code": f"mrc-{key}"}]},
            "subject": {"reference": PATIENT_URL},
            "effectiveDateTime": date,
            "valueInteger": grade,
        }
    )


def derived_total(assessment_id: str, date: str) -> dict:
    return _entry(
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": codes.ALSFRS_R_SYSTEM, "code": "total"}]},
            "subject": {"reference": PATIENT_URL},
            "effectiveDateTime": date,
            "valueInteger": 38,
            "derivedFrom": [{"reference": "urn:uuid:whatever"}],
        }
    )


def visit(assessment_id: str, date: str, **kw: Any) -> list[dict]:
    """One visit: the response, its measures and one MRC grade, and a derived total."""
    entries = [response(assessment_id, date, kw.get("items"))]
    entries += [measurement(assessment_id, date, k, v) for k, v in MEASURES.items()]
    entries.append(mrc(assessment_id, date, "knee_extension_left", 4))
    entries.append(derived_total(assessment_id, date))
    return entries


def bundle(*visits: list[dict]) -> dict[str, Any]:
    entries = [patient(), practitioner()]
    for v in visits:
        entries += v
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": "2026-11-30T10:00:00+00:00",
        "entry": entries,
    }


def to_json(document: dict[str, Any]) -> bytes:
    """JSON text with each Decimal written with its own digits (3.10, not 3.1)."""
    text = json.dumps(_marked(document))
    return re.sub(r'"@dec:([-0-9.eE+]+)"', r"\1", text).encode()


def _marked(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"@dec:{value}"
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v) for v in value]
    return value


def loads(document: dict[str, Any]) -> Any:
    """The bundle as the import receives it: its JSON text read with decimals exact."""
    return fhir_import.loads(to_json(document))
