"""Reading one FHIR resource of an import: its structure checked by the R4B models, and the
small readers every entry shares (a date's date part, an identifier, a reference).

Errors are FieldErrors on FHIR element paths ("entry[3].resource.effectiveDateTime") with
alsrx's own codes, so that they are said in the reader's language: pydantic's English text is
never shown (its error type, a code, may be named as the detail of `fhir_invalid`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pydantic
from fhir.resources import R4B

from alsrx.errors import FieldError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE_PART = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Elements of the date/dateTime/instant types in the resources the import reads; pydantic
# reports a malformed one as a generic value error, which is a bad date to the reader.
_DATE_ELEMENTS = frozenset(
    {"authored", "issued", "timestamp", "date", "start", "end", "lastUpdated", "birthDate"}
)
_DATE_SUFFIXES = ("Date", "DateTime", "Instant")


def element(base: str, *parts: str | int) -> str:
    """A FHIR element path: element("entry[2].resource", "item", 0, "linkId")
    is "entry[2].resource.item[0].linkId"."""
    path = base
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else f"{path}.{part}"
    return path


def model_errors(resource: Mapping[str, Any], base: str) -> list[FieldError]:
    """The resource checked against its FHIR R4B model (types, cardinality, element names,
    primitive formats such as dates and decimals). The caller has checked resourceType."""
    model = R4B.get_fhir_model_class(str(resource["resourceType"]))
    try:
        model.model_validate(dict(resource))
    except pydantic.ValidationError as exc:
        return [_field_error(e, base) for e in exc.errors()]
    return []


def _field_error(error: Any, base: str) -> FieldError:
    parts = [p for p in error["loc"] if isinstance(p, int) or _NAME.match(str(p))]
    path = element(base, *parts)
    kind = str(error["type"])
    last = next((str(p) for p in reversed(parts) if isinstance(p, str)), "")
    if kind == "missing":
        return FieldError(path, "required", {})
    if kind == "extra_forbidden":
        return FieldError(path, "fhir_unknown_element", {})
    if "date" in kind or "time" in kind or last in _DATE_ELEMENTS or last.endswith(_DATE_SUFFIXES):
        return FieldError(path, "bad_date", {})
    return FieldError(path, "fhir_invalid", {"detail": kind})


def date_part(value: object, path: str, errors: list[FieldError]) -> str | None:
    """The date of a FHIR date or dateTime as written ("2026-03-04T09:30:00+08:00" is
    2026-03-04 where it was taken); a partial date ("2026-03") is no visit date."""
    if value is None:
        errors.append(FieldError(path, "required", {}))
        return None
    text = value if isinstance(value, str) else ""
    match = _DATE_PART.match(text)
    try:
        if match:
            return dt.date.fromisoformat(match.group(0)).isoformat()
    except ValueError:
        pass
    errors.append(FieldError(path, "bad_date", {}))
    return None


def identifier(
    value: object, path: str, errors: list[FieldError], *, prefer: str
) -> tuple[str, str] | None:
    """(system, value) of a resource's identifier (one, or the first of a list with both parts,
    `prefer`'s system first): the key that keeps an import from storing a record twice."""
    found = [value] if isinstance(value, Mapping) else list(value or ())  # type: ignore[call-overload]
    pairs = [
        (str(i["system"]), str(i["value"]))
        for i in found
        if isinstance(i, Mapping) and i.get("system") and i.get("value")
    ]
    pairs.sort(key=lambda pair: pair[0] != prefer)
    if not pairs:
        errors.append(FieldError(path, "required", {"detail": "system|value"}))
        return None
    return pairs[0]


def codings(concept: object) -> list[Mapping[str, Any]]:
    """The codings of a CodeableConcept (none when it is not one)."""
    if not isinstance(concept, Mapping):
        return []
    return [c for c in concept.get("coding") or () if isinstance(c, Mapping)]


def has_coding(found: Sequence[Mapping[str, Any]], system: str, code: str | None) -> bool:
    return any(c.get("system") == system and c.get("code") == code for c in found)


def extension(resource: Mapping[str, Any], url: str) -> tuple[int, Mapping[str, Any]] | None:
    """The first extension with this url and its index."""
    for k, ext in enumerate(resource.get("extension") or ()):
        if isinstance(ext, Mapping) and ext.get("url") == url:
            return k, ext
    return None
