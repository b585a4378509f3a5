"""A measurement Observation of an import: which assessment-input field it fills, or why it is
only context (a value the core derives, a session log, a patient's height).

Two measures share LOINC 8867-4 (heart rate): the resting rate and the CPET peak, told apart by
a second, local coding (Measure.qualifier). Without it the Observation is refused: a peak
taken for a resting rate would set wrong training targets. A unit other than the measure's
UCUM code is refused too, never converted silently.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from typing import Any

from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.errors import FieldError
from alsrx.interop import codes
from alsrx.interop import fhir_checks as checks
from alsrx.interop.fhir_checks import element
from alsrx.interop.fhir_entries import Read, Skip, number

# Why an Observation is context (the report's reason codes).
DERIVED, SESSION_LOG, PATIENT_RECORD = "derived", "session_log", "patient_record"
_PATIENT_MEASURES = frozenset({"body-height"})  # on the patient, not on a visit


def observation(
    index: int, res: Mapping[str, Any], base: str, errors: list[FieldError]
) -> Read | Skip | None:
    found = kind(res, base, errors)
    if found is None or isinstance(found, Skip):
        return found
    before = len(errors)
    if res.get("status") not in codes.OBSERVATION_STATUSES:
        allowed = codes.OBSERVATION_STATUSES
        errors.append(FieldError(element(base, "status"), "not_one_of", {"allowed": allowed}))
    path = element(base, "effectiveDateTime")
    date = checks.date_part(res.get("effectiveDateTime"), path, errors)
    source = checks.identifier(
        res.get("identifier"),
        element(base, "identifier"),
        errors,
        prefer=codes.OBSERVATION_IDENTIFIER,
    )
    field, value = _value(found, res, base, errors)
    if len(errors) > before or date is None or source is None or field is None:
        return None
    link = source[1].split("/")[0] if source[0] == codes.OBSERVATION_IDENTIFIER else None
    read = Read(index, "Observation", date, source, link=link)
    read.values[field] = value
    read.elements[field] = value_element(found, base)
    return read


def kind(res: Mapping[str, Any], base: str, errors: list[FieldError]) -> Any:
    """The Measure, or the MRC key (str), an Observation holds; a Skip for context; None
    (with an error) for a code the import does not know or cannot tell apart."""
    categories = [c.get("code") for cat in res.get("category") or () for c in checks.codings(cat)]
    if codes.ACTIVITY in categories:
        return Skip(SESSION_LOG)
    if res.get("derivedFrom"):
        return Skip(DERIVED)
    found = checks.codings(res.get("code"))
    if any(c.get("system") == codes.ALSFRS_R_SYSTEM for c in found):
        return Skip(DERIVED)  # the ALSFRS-R total and domains: sums of the items
    mrc = _mrc(found, base, errors)
    if mrc is not False:
        return mrc
    return _measure(found, base, errors)


def _mrc(found: Sequence[Mapping[str, Any]], base: str, errors: list[FieldError]) -> Any:
    for k, coding in enumerate(found):
        code = str(coding.get("code") or "")
        if coding.get("system") == codes.OBSERVATION_SYSTEM and code.startswith(codes.MRC_PREFIX):
            key = code.removeprefix(codes.MRC_PREFIX)
            if key in MRC_KEYS:
                return key
            path = element(base, "code", "coding", k, "code")
            errors.append(
                FieldError(path, "fhir_unknown_code", {"system": codes.OBSERVATION_SYSTEM})
            )
            return None
    return False


def _measure(
    found: Sequence[Mapping[str, Any]], base: str, errors: list[FieldError]
) -> codes.Measure | Skip | None:
    coded = [m for m in codes.MEASURES if checks.has_coding(found, m.system, m.code)]
    matched = [
        m
        for m in coded
        if m.qualifier is None or checks.has_coding(found, codes.OBSERVATION_SYSTEM, m.qualifier)
    ]
    if len(matched) != 1:
        code = "fhir_ambiguous_code" if coded else "fhir_unknown_code"
        params = {"qualifiers": tuple(m.qualifier for m in coded if m.qualifier)} if coded else {}
        errors.append(FieldError(element(base, "code", "coding"), code, params))
        return None
    measure = matched[0]
    if measure.key in _PATIENT_MEASURES:
        return Skip(PATIENT_RECORD)
    return measure if measure.field is not None else Skip(DERIVED)


def value_element(found: codes.Measure | str, base: str) -> str:
    if isinstance(found, str):
        return element(base, "valueInteger")
    return element(base, "valueQuantity", "value")


def _value(
    found: codes.Measure | str, res: Mapping[str, Any], base: str, errors: list[FieldError]
) -> tuple[str | None, object]:
    """(assessment-input path, value) of the Observation's value."""
    if isinstance(found, str):  # an MRC grade, 0-5 (the range is the assessment's rule)
        grade = res.get("valueInteger")
        if not isinstance(grade, int) or isinstance(grade, bool):
            errors.append(FieldError(element(base, "valueInteger"), "required", {}))
            return None, None
        return f"mrc.{found}", grade
    quantity = res.get("valueQuantity")
    path = element(base, "valueQuantity")
    if not isinstance(quantity, Mapping) or quantity.get("value") is None:
        errors.append(FieldError(element(path, "value"), "required", {}))
        return None, None
    if quantity.get("system", codes.UCUM) != codes.UCUM:
        errors.append(FieldError(element(path, "system"), "not_one_of", {"allowed": (codes.UCUM,)}))
    if quantity.get("code") != found.unit:
        errors.append(
            FieldError(element(path, "code"), "fhir_unit_mismatch", {"expected": found.unit})
        )
    value = quantity["value"]
    if not isinstance(value, decimal.Decimal | int) or isinstance(value, bool):
        return None, None  # the model check has named it
    assert found.field is not None
    return found.field, number(value)
