"""Parse one assessment-input document into domain values, or raise InvalidInput naming fields.

Order of checks: the JSON Schema (types, ranges, units, unknown fields), then the rules the
schema cannot say (real calendar dates, dates not in the future, onset after birth and not
after the visit, exactly one of ALSFRS-R items 5a/5b). `today` is passed in by the edge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alsrx.domain import assessment
from alsrx.domain.equations import gli2012
from alsrx.domain.scales import alsfrs_r
from alsrx.domain.sex import Sex
from alsrx.errors import FieldError, InvalidInput
from alsrx.intake.schema import schema_errors

MAX_AGE_YEARS = 120
AT_SCHEMA_MIN, AT_SCHEMA_MAX = 40, 230  # the schema's own range for the threshold


@dataclass(frozen=True)
class ParsedInput:
    patient: assessment.Patient
    visit: assessment.Visit
    raw: Mapping[str, Any]


def parse(document: object, *, today: dt.date) -> ParsedInput:
    errors = schema_errors(document)
    if errors:
        raise InvalidInput(errors)
    assert isinstance(document, Mapping)  # the schema guarantees an object
    p, a = document["patient"], document["assessment"]
    dates, date_errors = _dates(p, a, today=today)
    frs_errors = _frs_errors(a["alsfrs_r"]) + threshold_errors(a)
    if date_errors or frs_errors:
        raise InvalidInput(date_errors + frs_errors)
    if "weight_kg" in a:  # the visit's weight is newer than the patient's record
        p = {**p, "weight_kg": a["weight_kg"]}
    return ParsedInput(_patient(p, dates), _visit(a, dates), document)


def _parse_date(value: str | None, path: str, errors: list[FieldError]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(path, "bad_date", {}))
        return None


def _dates(
    p: Mapping[str, Any], a: Mapping[str, Any], *, today: dt.date
) -> tuple[dict[str, dt.date | None], list[FieldError]]:
    errors: list[FieldError] = []
    fields = {
        "patient.birth_date": p.get("birth_date"),
        "patient.symptom_onset_date": p.get("symptom_onset_date"),
        "patient.diagnosis_date": p.get("diagnosis_date"),
        "assessment.date": a.get("date"),
    }
    dates = {path: _parse_date(value, path, errors) for path, value in fields.items()}
    for path, value in dates.items():
        if value is not None and value > today:
            errors.append(FieldError(path, "in_future", {"today": today.isoformat()}))
    _order(dates, errors)
    return dates, errors


def _order(dates: Mapping[str, dt.date | None], errors: list[FieldError]) -> None:
    birth, onset = dates["patient.birth_date"], dates["patient.symptom_onset_date"]
    diagnosis, visit = dates["patient.diagnosis_date"], dates["assessment.date"]
    pairs = (
        ("patient.symptom_onset_date", onset, "patient.birth_date", birth),
        ("assessment.date", visit, "patient.symptom_onset_date", onset),
        ("patient.diagnosis_date", diagnosis, "patient.symptom_onset_date", onset),
    )
    for path, later, other, earlier in pairs:
        if later is not None and earlier is not None and later < earlier:
            errors.append(FieldError(path, "not_before", {"other": other}))
    if birth is not None and visit is not None:
        errors += age_errors(birth, on=visit, path="patient.birth_date")


def age_errors(birth: dt.date, *, on: dt.date, path: str) -> list[FieldError]:
    """An age beyond MAX_AGE_YEARS on a day is a typing error (a year 1 or 1800), not a patient.
    (Below 18 is allowed: the engine sends the draft to a clinician, screening.ADULT_YEARS.)"""
    if (on - birth).days / 365.25 > MAX_AGE_YEARS:
        return [FieldError(path, "out_of_range", {"max_age": MAX_AGE_YEARS})]
    return []


def _frs_errors(items: Mapping[str, Any]) -> list[FieldError]:
    answered = [k for k in (alsfrs_r.Q5A, alsfrs_r.Q5B) if k in items]
    if len(answered) == 1:
        return []
    path = f"assessment.alsfrs_r.{alsfrs_r.Q5A}"
    return [FieldError(path, "exactly_one_of", {"fields": (alsfrs_r.Q5A, alsfrs_r.Q5B)})]


def threshold_errors(a: Mapping[str, Any]) -> list[FieldError]:
    """An anaerobic threshold must lie between the resting and the peak heart rate of the same
    visit: one outside is a measurement or typing error, never a training target (R09 sets
    intensity from CPET, so a wrong threshold would become a wrong dose)."""
    at = a.get("cpet", {}).get("anaerobic_threshold_hr_bpm")
    if at is None:
        return []
    low, high = a.get("resting_hr_bpm"), a.get("cpet", {}).get("peak_hr_bpm")
    if (low is not None and at < low) or (high is not None and at > high):
        params: dict[str, object] = {"unit": "bpm"}
        params["min"] = low if low is not None else AT_SCHEMA_MIN
        params["max"] = high if high is not None else AT_SCHEMA_MAX
        return [FieldError("assessment.cpet.anaerobic_threshold_hr_bpm", "out_of_range", params)]
    return []


def _patient(p: Mapping[str, Any], dates: Mapping[str, dt.date | None]) -> assessment.Patient:
    birth, onset = dates["patient.birth_date"], dates["patient.symptom_onset_date"]
    assert birth is not None and onset is not None  # required by the schema
    ethnicity = p.get("ethnicity")
    return assessment.Patient(
        sex=Sex(p["sex"]),
        birth_date=birth,
        symptom_onset_date=onset,
        height_cm=_float(p.get("height_cm")),
        weight_kg=_float(p.get("weight_kg")),
        ethnicity=gli2012.Group(ethnicity) if ethnicity is not None else None,
        onset_region=p.get("onset_region"),
        diagnosis_date=dates["patient.diagnosis_date"],
        beta_blocker=bool(p.get("beta_blocker", False)),
    )


def _visit(a: Mapping[str, Any], dates: Mapping[str, dt.date | None]) -> assessment.Visit:
    visit_date = dates["assessment.date"]
    assert visit_date is not None
    raw_items = dict(a["alsfrs_r"])
    mode = raw_items.pop("mode", None)
    frs = alsfrs_r.score(
        raw_items, mode=alsfrs_r.Mode(mode) if mode else None, path="assessment.alsfrs_r"
    )
    cpet = a.get("cpet", {})
    return assessment.Visit(
        date=visit_date,
        alsfrs_r=frs,
        fvc_l=_float(a.get("fvc_l")),
        six_minute_walk_m=_float(a.get("six_minute_walk_m")),
        resting_hr_bpm=_float(a.get("resting_hr_bpm")),
        cpet=assessment.Cpet(
            peak_hr_bpm=_float(cpet.get("peak_hr_bpm")),
            vo2peak_ml_kg_min=_float(cpet.get("vo2peak_ml_kg_min")),
            peak_work_w=_float(cpet.get("peak_work_w")),
            anaerobic_threshold_hr_bpm=_float(cpet.get("anaerobic_threshold_hr_bpm")),
        ),
        mep_cmh2o=_float(a.get("mep_cmh2o")),
        mip_cmh2o=_float(a.get("mip_cmh2o")),
        snip_cmh2o=_float(a.get("snip_cmh2o")),
    )


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
