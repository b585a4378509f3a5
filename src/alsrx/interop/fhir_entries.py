"""One importable entry read into a part of an assessment input: an ALSFRS-R
QuestionnaireResponse (the visit's date, items and mode) or a measurement Observation (one
field). Each value keeps the FHIR element it came from, so that the assessment's own
validation, run later on the whole visit, names the element that holds a bad value.

What is read follows the export (interop/codes.py owns every code): items by linkId, scores as
the answer's ordinalValue (its code's suffix must agree), measures by MEASURES' codings and
UCUM units, MRC grades by MRC_PREFIX + a key of MRC_KEYS.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alsrx.domain.scales import alsfrs_r
from alsrx.errors import FieldError
from alsrx.interop import codes
from alsrx.interop import fhir_checks as checks
from alsrx.interop.fhir_checks import element

QUESTIONNAIRE = f"{codes.ALSFRS_R_QUESTIONNAIRE}|{codes.ALSFRS_R_QUESTIONNAIRE_VERSION}"
_MODES = ("clinician", "self", "caregiver", "telephone")


@dataclass
class Read:
    """An entry's part of a visit: values by assessment-input path ("alsfrs_r.q1_speech",
    "cpet.peak_hr_bpm") and the FHIR element each came from."""

    index: int
    resource_type: str
    date: str
    source: tuple[str, str]  # identifier (system, value)
    values: dict[str, object] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)
    link: str | None = None  # an Observation: the assessment its identifier names
    author: str | None = None  # a QuestionnaireResponse: who answered or recorded it
    broken: bool = False  # read with errors: kept only so its measurements find their visit


@dataclass(frozen=True)
class Skip:
    """An entry accepted as context, not stored: why (a code the report says in words)."""

    reason: str


def number(value: decimal.Decimal | int) -> int | float:
    """A FHIR decimal as the typed input holds it: written without a fraction, an int."""
    if isinstance(value, int) or value.as_tuple().exponent >= 0:  # type: ignore[operator]
        return int(value)
    return float(value)


def response(
    index: int, res: Mapping[str, Any], base: str, errors: list[FieldError]
) -> Read | None:
    """An ALSFRS-R QuestionnaireResponse: the date, the items, the mode."""
    before = len(errors)
    if res.get("questionnaire") != QUESTIONNAIRE:
        path = element(base, "questionnaire")
        errors.append(FieldError(path, "fhir_unknown_questionnaire", {"expected": QUESTIONNAIRE}))
    _status(res, base, codes.QUESTIONNAIRE_RESPONSE_STATUSES, errors)
    date = checks.date_part(res.get("authored"), element(base, "authored"), errors)
    source = checks.identifier(
        res.get("identifier"),
        element(base, "identifier"),
        errors,
        prefer=codes.ASSESSMENT_IDENTIFIER,
    )
    read = Read(index, "QuestionnaireResponse", date or "", source or ("", ""))
    read.elements["date"] = element(base, "authored")
    _mode(res, base, read, errors)
    _items(res, base, read, errors)
    read.broken = len(errors) > before
    return read


def _status(
    res: Mapping[str, Any], base: str, allowed: tuple[str, ...], errors: list[FieldError]
) -> None:
    if res.get("status") not in allowed:
        errors.append(FieldError(element(base, "status"), "not_one_of", {"allowed": allowed}))


def _mode(res: Mapping[str, Any], base: str, read: Read, errors: list[FieldError]) -> None:
    found = checks.extension(res, codes.EXT_ADMINISTRATION_MODE)
    if found is None:
        return
    k, ext = found
    coding = ext.get("valueCoding")
    path = element(base, "extension", k, "valueCoding")
    if not isinstance(coding, Mapping) or coding.get("system") != codes.ADMINISTRATION_SYSTEM:
        errors.append(
            FieldError(path, "fhir_unknown_code", {"system": codes.ADMINISTRATION_SYSTEM})
        )
        return
    read.values["alsfrs_r.mode"] = coding.get("code")
    read.elements["alsfrs_r.mode"] = element(path, "code")


def _items(res: Mapping[str, Any], base: str, read: Read, errors: list[FieldError]) -> None:
    gastrostomy: tuple[bool, str] | None = None
    for j, item in enumerate(res.get("item") or ()):
        link = item.get("linkId")
        answers: list[Any] = item.get("answer") or []
        here = element(base, "item", j)
        if link != codes.GASTROSTOMY_ITEM and link not in alsfrs_r.ALL_ITEM_KEYS:
            allowed = (*alsfrs_r.ALL_ITEM_KEYS, codes.GASTROSTOMY_ITEM)
            errors.append(FieldError(element(here, "linkId"), "not_one_of", {"allowed": allowed}))
        elif len(answers) != 1:
            errors.append(FieldError(element(here, "answer"), "fhir_one_answer", {}))
        elif link == codes.GASTROSTOMY_ITEM:
            gastrostomy = _gastrostomy(answers[0], element(here, "answer", 0), errors)
        else:
            _score(str(link), answers[0], element(here, "answer", 0), read, errors)
    if gastrostomy is not None:
        has, path = gastrostomy
        answered, other = (alsfrs_r.Q5B, alsfrs_r.Q5A) if has else (alsfrs_r.Q5A, alsfrs_r.Q5B)
        if f"alsfrs_r.{other}" in read.elements or f"alsfrs_r.{answered}" not in read.elements:
            errors.append(FieldError(path, "fhir_inconsistent", {"other": answered}))


def _gastrostomy(
    answer: Mapping[str, Any], path: str, errors: list[FieldError]
) -> tuple[bool, str] | None:
    value = answer.get("valueBoolean")
    if not isinstance(value, bool):
        errors.append(FieldError(element(path, "valueBoolean"), "required", {}))
        return None
    return value, element(path, "valueBoolean")


def _score(
    link: str, answer: Mapping[str, Any], path: str, read: Read, errors: list[FieldError]
) -> None:
    """An item's score: the ordinalValue of its coding, which must agree with the code."""
    coding = answer.get("valueCoding")
    here = element(path, "valueCoding")
    if not isinstance(coding, Mapping):
        errors.append(FieldError(here, "required", {}))
        return
    if coding.get("system") != codes.ALSFRS_R_SYSTEM:
        errors.append(
            FieldError(
                element(here, "system"), "fhir_unknown_code", {"system": codes.ALSFRS_R_SYSTEM}
            )
        )
        return
    code = str(coding.get("code") or "")
    item, _, suffix = code.rpartition(".")
    ordinal = checks.extension(coding, codes.ORDINAL_VALUE)
    value: object = ordinal[1].get("valueDecimal") if ordinal else None
    if value is None and suffix.isdigit():
        value = decimal.Decimal(suffix)  # an answer coded without its ordinalValue
    if item != link or not suffix.isdigit() or value is None:
        errors.append(FieldError(element(here, "code"), "fhir_inconsistent", {"other": link}))
        return
    if isinstance(value, decimal.Decimal | int) and not isinstance(value, bool):
        if value != int(suffix):
            errors.append(
                FieldError(element(here, "code"), "fhir_inconsistent", {"other": "ordinalValue"})
            )
            return
        value = int(value) if value == int(value) else float(value)
    read.values[f"alsfrs_r.{link}"] = value  # the range is the assessment's rule, checked later
    read.elements[f"alsfrs_r.{link}"] = here
