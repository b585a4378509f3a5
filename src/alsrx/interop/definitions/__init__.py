"""alsrx's own StructureDefinitions: the extensions and profiles its FHIR exports use.

The JSON files beside this module are the definitions (FHIR R4B 4.3.0, status draft, written as
differentials over the core definitions). The exporter adds them to the Bundle so a receiver can
resolve every alsrx extension and profile without reaching our canonical base; the test suite
builds validators from them (fhircraft). Each file's url is a codes.py constant: one owner.

Value types the exporter must produce (the definitions' value[x]):
  exercise-sets, exercise-repetitions      valueRange, whole numbers, no unit ("2-3": low 2, high 3)
  exercise-rpe-range                       valueRange, whole numbers within Borg 6-20, no unit
  exercise-sessions-per-week               valueRange, whole numbers, UCUM "/wk" on both ends
  exercise-minutes-per-session             valueRange, whole numbers, UCUM "min" on both ends
  exercise-load                            valueCodeableConcept, one coding from LOAD_SYSTEM,
                                           optional text (e.g. the cuff weight in kg)
  exercise-heart-rate-ceiling              valueQuantity, UCUM "/min", whole number 30-250
  evidence                                 valueCoding, system EVIDENCE_SYSTEM, code = evidence id
  prescription-version                     valuePositiveInt
  prescription-approval                    complex: approvedAt (valueDateTime) and approvedBy
                                           (valueReference to a Practitioner), both required
  alsfrs-r-administration-mode             valueCoding, ADMINISTRATION_SYSTEM, clinician | self |
                                           caregiver | telephone
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from alsrx.interop import codes

FILES: dict[str, str] = {
    codes.EXT_SETS: "exercise-sets.json",
    codes.EXT_REPETITIONS: "exercise-repetitions.json",
    codes.EXT_LOAD: "exercise-load.json",
    codes.EXT_HR_CEILING: "exercise-heart-rate-ceiling.json",
    codes.EXT_RPE_RANGE: "exercise-rpe-range.json",
    codes.EXT_SESSIONS_PER_WEEK: "exercise-sessions-per-week.json",
    codes.EXT_MINUTES_PER_SESSION: "exercise-minutes-per-session.json",
    codes.EXT_EVIDENCE: "evidence.json",
    codes.EXT_PRESCRIPTION_VERSION: "prescription-version.json",
    codes.EXT_APPROVAL: "prescription-approval.json",
    codes.EXT_ADMINISTRATION_MODE: "alsfrs-r-administration-mode.json",
    codes.PROFILE_ALSFRS_R_SCORE: "alsfrs-r-score.json",
    codes.PROFILE_EXERCISE_REQUEST: "exercise-service-request.json",
}
EXTENSIONS = tuple(url for url in FILES if url not in codes.PROFILES)


@functools.cache
def _text(filename: str) -> str:
    return resources.files(__package__).joinpath(filename).read_text("utf-8")


def get(url: str) -> dict[str, Any]:
    """One StructureDefinition by its canonical url, a fresh dict the caller may change."""
    definition: dict[str, Any] = json.loads(_text(FILES[url]))
    return definition


def all_definitions() -> list[dict[str, Any]]:
    """Every alsrx StructureDefinition, extensions first, each a fresh dict."""
    return [get(url) for url in FILES]
