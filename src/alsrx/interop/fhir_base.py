"""What every exported resource shares: ids, references, codings, quantities and dates.

Ids are name-based UUIDs (RFC 4122 version 5) of the alsrx row a resource comes from, so an
export repeated tomorrow gives the same ids and a receiver can update rather than duplicate. A
de-identified export draws a fresh namespace, so its ids link to nothing, and moves every date of
the patient back by one shift (analytics.dateshift: intervals within the patient are kept).
References point at Bundle entries by `urn:uuid:` (FHIR R4B Bundle, "resolving references");
the NDJSON writer rewrites them as `Type/id`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fhir.resources.R4B import get_fhir_model_class

from alsrx.interop import codes

# The namespace of alsrx's name-based ids (itself a version-5 id of the canonical base).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, codes.CANONICAL)
CATEGORY_DISPLAY = {
    codes.SURVEY: "Survey",
    codes.VITAL_SIGNS: "Vital Signs",
    codes.EXAM: "Exam",
    codes.ACTIVITY: "Activity",
}

Resource = dict[str, Any]
PEOPLE = ("Practitioner", "RelatedPerson")


@dataclass(frozen=True)
class Context:
    """How one export writes: its id namespace, its language, its date shift."""

    lang: str = "en"
    namespace: uuid.UUID = NAMESPACE
    shift_days: int = 0
    deidentified: bool = False
    # The people referenced so far (Practitioner and RelatedPerson keys), so that the bundle
    # holds a resource for every reference it makes.
    people: dict[tuple[str, str], None] = field(default_factory=dict, compare=False)

    def id(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(self.namespace, f"{kind}/{key}"))

    def ref(self, kind: str, key: object, display: str | None = None) -> Resource:
        if kind in PEOPLE:
            self.people[(kind, str(key))] = None
        ref: Resource = {"reference": f"urn:uuid:{self.id(kind, key)}"}
        if display:
            ref["display"] = display
        return ref

    def date(self, day: dt.date) -> str:
        return (day - dt.timedelta(days=self.shift_days)).isoformat()

    def instant(self, at: dt.datetime) -> str:
        """A UTC timestamp (stored timestamps are UTC; a naive one from SQLite is UTC too)."""
        utc = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
        shifted = utc - dt.timedelta(days=self.shift_days)
        return shifted.isoformat(timespec="seconds").replace("+00:00", "Z")


def coding(system: str, code: str, display: str | None = None) -> Resource:
    out: Resource = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(
    system: str, code: str, display: str | None = None, text: str | None = None
) -> Resource:
    out: Resource = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def quantity(value: Decimal, unit: str) -> Resource:
    """A UCUM quantity: `code` is the UCUM code, `unit` what a person reads."""
    return {
        "value": value,
        "unit": codes.UCUM_DISPLAY.get(unit, unit),
        "system": codes.UCUM,
        "code": unit,
    }


def category(code: str) -> list[Resource]:
    return [{"coding": [coding(codes.OBSERVATION_CATEGORY, code, CATEGORY_DISPLAY[code])]}]


def identifier(system: str, value: str) -> Resource:
    return {"system": system, "value": value}


def validated(resource: Resource) -> Resource:
    """The resource, after fhir.resources' R4B model has accepted it (types, cardinalities,
    required elements, value formats). A refusal is a bug of ours, never of the data: raise."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return resource
