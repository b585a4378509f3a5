"""A FHIR R4B Bundle read into visits: the assessment inputs an import stores (no database).

Each ALSFRS-R QuestionnaireResponse is a visit; the measurement Observations of its date join
it (an Observation whose identifier names the response's assessment joins that one, so two
visits on one date stay apart, as the typed path allows). Every value keeps its FHIR element,
so the assessment's own validation, run by the service on the whole visit, names the element.

Everything wrong with a bundle is collected and raised at once as InvalidInput on element
paths ("entry[3].resource.item[0].answer[0].valueCoding"): structure by the R4B models, then
what the import needs (a subject, a known questionnaire, codes, units), then the assessment
input schema on every visit that was read whole. Entries the import does not store (the
patient, the plan, derived values) are context: accepted, reported as skipped with a reason.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alsrx.errors import FieldError, InvalidInput
from alsrx.intake import schema, wire
from alsrx.interop import codes, fhir_entries, fhir_observation_reader
from alsrx.interop import fhir_checks as checks
from alsrx.interop.fhir_checks import element
from alsrx.interop.fhir_entries import Read, Skip

QR, OBSERVATION = "QuestionnaireResponse", "Observation"
CONTEXT, ANOTHER_PATIENT = "context", "another_patient"
_TEXT_MAX = 255  # the provenance columns' width
_RELATIVE = re.compile(r"^([A-Z][A-Za-z]+)/([A-Za-z0-9.\-]{1,64})$")


@dataclass(frozen=True)
class Source:
    """One entry a visit was read from, by its identifier (the duplicate key)."""

    index: int
    resource_type: str
    system: str
    value: str

    @property
    def key(self) -> str:
        return f"{self.system}|{self.value}"


@dataclass(frozen=True)
class Outcome:
    """An entry's line of the report: imported, duplicate or skipped, and why."""

    index: int
    resource_type: str
    outcome: str
    reason: str | None = None
    assessment_id: str | None = None
    source: str | None = None


@dataclass
class Visit:
    """One assessment to store: its input (the typed input's shape), where each value came
    from, and the provenance of the response it was read from."""

    date: str
    body: dict[str, Any]
    sources: list[Source]
    elements: dict[str, str]  # "assessment.alsfrs_r.q1_speech" -> its FHIR element
    author: str | None
    response: str  # the response's element path ("entry[3].resource")
    duplicates: list[Source] = field(default_factory=list)  # the same entries again

    @property
    def key(self) -> str:
        return self.sources[0].key


@dataclass(frozen=True)
class Parsed:
    visits: tuple[Visit, ...]
    skipped: tuple[Outcome, ...]
    bundle_id: str | None
    timestamp: str | None


def loads(raw: bytes | str) -> Any:
    """The bundle's JSON text, decimals as written (Decimal), under the wire rules."""
    return wire.loads(raw, exact=True)


def parse(document: object, *, patient_code: str | None = None) -> Parsed:
    """The bundle's visits and its context entries; InvalidInput naming every element wrong.

    `patient_code`: the target patient's centre-local code. A bundle whose Patient entries carry
    alsrx patient codes (an alsrx export) is read for the entry with that code only: its other
    patients' entries are skipped, and a bundle without it is refused, so that one patient's
    record can never be stored as another's. A bundle whose Patients carry no alsrx code (a
    hospital's) must be about one patient, the one the importing clinician chose."""
    errors: list[FieldError] = []
    entries = _entries(document, errors)
    if errors:
        raise InvalidInput(errors)
    assert isinstance(document, Mapping)
    urls = _full_urls(entries)
    others = _other_patients(entries, urls, patient_code, errors)
    if errors:
        raise InvalidInput(errors)
    reads, skipped = _read_all(entries, urls, errors, others=others)
    visits = _group(reads, errors)
    for visit in visits:
        errors += _schema_errors(visit)
    if errors:
        raise InvalidInput(errors)
    return Parsed(
        visits=tuple(sorted(visits, key=lambda v: v.date)),
        skipped=tuple(skipped),
        bundle_id=_text(document.get("id")),
        timestamp=_text(document.get("timestamp")),
    )


def _entries(document: object, errors: list[FieldError]) -> list[Any]:
    if not isinstance(document, Mapping):
        errors.append(FieldError("(body)", "wrong_type", {"expected": "object"}))
        return []
    if document.get("resourceType") != "Bundle":
        errors.append(
            FieldError("resourceType", "fhir_unsupported_resource", {"allowed": ("Bundle",)})
        )
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        errors.append(FieldError("entry", "wrong_type", {"expected": "array"}))
        return []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("resource"), Mapping):
            errors.append(FieldError(f"entry[{i}].resource", "required", {}))
    return entries


def _full_urls(entries: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(e["fullUrl"]): e["resource"] for e in entries if isinstance(e.get("fullUrl"), str)}


def _codes_of(patient: Mapping[str, Any]) -> set[str]:
    """A Patient's alsrx centre-local codes (identifier systems under PATIENT_CODE_IDENTIFIER)."""
    found = set()
    for ident in patient.get("identifier") or ():
        if not isinstance(ident, Mapping):
            continue
        system, value = ident.get("system"), ident.get("value")
        ours = isinstance(system, str) and system.startswith(codes.PATIENT_CODE_IDENTIFIER)
        if ours and isinstance(value, str):
            found.add(value)
    return found


def _other_patients(
    entries: Sequence[Mapping[str, Any]],
    urls: Mapping[str, Mapping[str, Any]],
    patient_code: str | None,
    errors: list[FieldError],
) -> frozenset[str]:
    """The references ("Patient/id") of the bundle's patients who are not the target."""
    coded: dict[str, tuple[int, set[str]]] = {}
    for i, entry in enumerate(entries):
        res = entry["resource"]
        if res.get("resourceType") == "Patient" and _codes_of(res):
            ref = _resolve({"reference": entry.get("fullUrl")}, urls) or ""
            coded[ref] = (i, _codes_of(res))
    if patient_code is None or not coded:
        return frozenset()
    mine = {ref for ref, (_, found) in coded.items() if patient_code in found}
    if not mine:
        first, _found = min(coded.values())
        path = f"entry[{first}].resource.identifier"
        errors.append(FieldError(path, "fhir_other_patient", {"code": patient_code}))
    return frozenset(coded) - mine


def _read_all(
    entries: Sequence[Mapping[str, Any]],
    urls: Mapping[str, Mapping[str, Any]],
    errors: list[FieldError],
    *,
    others: frozenset[str] = frozenset(),
) -> tuple[list[Read], list[Outcome]]:
    reads: list[Read] = []
    skipped: list[Outcome] = []
    subjects: dict[str, int] = {}
    for i, entry in enumerate(entries):
        res, base = entry["resource"], f"entry[{i}].resource"
        kind = res.get("resourceType")
        if kind in codes.CONTEXT_RESOURCES:
            skipped.append(Outcome(i, str(kind), "skipped", CONTEXT))
            continue
        if kind not in (QR, OBSERVATION):
            allowed = (QR, OBSERVATION, *codes.CONTEXT_RESOURCES)
            errors.append(
                FieldError(
                    element(base, "resourceType"), "fhir_unsupported_resource", {"allowed": allowed}
                )
            )
            continue
        if others and _resolve(res.get("subject"), urls) in others:
            skipped.append(Outcome(i, str(kind), "skipped", ANOTHER_PATIENT))
            continue
        found = _read(i, res, base, urls, subjects, errors)
        if isinstance(found, Skip):
            skipped.append(Outcome(i, str(kind), "skipped", found.reason))
        elif found is not None:
            reads.append(found)
    return reads, skipped


def _read(
    i: int,
    res: Mapping[str, Any],
    base: str,
    urls: Mapping[str, Mapping[str, Any]],
    subjects: dict[str, int],
    errors: list[FieldError],
) -> Read | Skip | None:
    if res["resourceType"] == OBSERVATION:
        context = fhir_observation_reader.kind(res, base, [])
        if isinstance(context, Skip):
            return context  # derived values and session logs are not read, nor checked
    model = checks.model_errors(res, base)
    if model:
        errors += model
        return _unreadable(i, res) if res["resourceType"] == QR else None
    before = len(errors)
    _subject(res, base, urls, subjects, errors)
    if res["resourceType"] == QR:
        found: Read | Skip | None = fhir_entries.response(i, res, base, errors)
        if isinstance(found, Read):
            found.author = _author(res.get("author"), urls)
    else:
        found = fhir_observation_reader.observation(i, res, base, errors)
    if isinstance(found, Read) and found.resource_type == QR:
        found.broken = found.broken or len(errors) > before
        return found  # even broken: its measurements join it, not "a day without ALSFRS-R"
    return found if len(errors) == before else None


def _unreadable(i: int, res: Mapping[str, Any]) -> Read:
    """A response refused by the model check, kept so that its measurements find it."""
    ident = res.get("identifier")
    value = ident.get("value") if isinstance(ident, Mapping) else None
    authored = res.get("authored")
    date = authored[:10] if isinstance(authored, str) else ""
    return Read(i, QR, date, ("", str(value or f"entry[{i}]")), broken=True)


def _subject(
    res: Mapping[str, Any],
    base: str,
    urls: Mapping[str, Mapping[str, Any]],
    subjects: dict[str, int],
    errors: list[FieldError],
) -> None:
    """Every stored entry names one patient, the same one (the import's patient is the URL's:
    a bundle about two people is refused, never split)."""
    path = element(base, "subject")
    reference = _resolve(res.get("subject"), urls)
    if reference is None:
        errors.append(FieldError(path, "required", {}))
        return
    if not reference.startswith("Patient/"):
        errors.append(FieldError(path, "fhir_unresolved_reference", {"allowed": ("Patient",)}))
        return
    first = subjects.setdefault(reference, len(subjects))
    if first != 0:
        errors.append(FieldError(path, "fhir_other_subject", {}))


def _resolve(ref: object, urls: Mapping[str, Mapping[str, Any]]) -> str | None:
    """A reference as "Type/id": an entry's fullUrl read as its resource, or a relative one."""
    if not isinstance(ref, Mapping) or not isinstance(ref.get("reference"), str):
        return None
    target = str(ref["reference"])
    if target in urls:
        found = urls[target]
        return f"{found.get('resourceType')}/{found.get('id') or target.rsplit(':', 1)[-1]}"
    return target if _RELATIVE.match(target) else "unresolved/"


def _author(refs: object, urls: Mapping[str, Mapping[str, Any]]) -> str | None:
    """Who recorded the response, as its type and identifier (never a name)."""
    ref = refs[0] if isinstance(refs, list) and refs else refs
    if not isinstance(ref, Mapping):
        return None
    target = urls.get(str(ref.get("reference")))
    ident = (target or ref).get("identifier")
    ident = ident[0] if isinstance(ident, list) and ident else ident
    kind = (target or {}).get("resourceType") or ref.get("type") or ""
    if isinstance(ident, Mapping) and ident.get("value"):
        return _text(f"{kind} {ident.get('system', '')}|{ident['value']}".strip())
    return _text(_resolve(ref, urls))


def _group(reads: list[Read], errors: list[FieldError]) -> list[Visit]:
    """Visits from responses, each Observation joined to the visit of its date; an entry
    whose identifier came before in the bundle is the same record again."""
    by_date: dict[str, list[Visit]] = collections.defaultdict(list)
    broken: dict[str, Visit] = {}  # responses read with errors, by identifier value
    seen: dict[tuple[str, str], Visit | None] = {}
    for read in sorted(reads, key=lambda r: (r.resource_type != QR, r.index)):
        source = Source(read.index, read.resource_type, *read.source)
        if read.source in seen:
            first = seen[read.source]
            if first is not None:
                first.duplicates.append(source)
            continue
        if read.resource_type == QR and read.broken:
            broken[read.source[1]] = _visit(read, source)
            continue
        if read.resource_type == QR:
            visit: Visit | None = _visit(read, source)
            by_date[read.date].append(visit)  # type: ignore[arg-type]
        elif read.link in broken or (read.date in broken_dates(broken) and not by_date[read.date]):
            continue  # its response is refused already: one error, not one per measurement
        else:
            visit = _join(read, source, by_date[read.date], errors)
        seen[read.source] = visit
    return [v for visits in by_date.values() for v in visits]


def broken_dates(broken: Mapping[str, Visit]) -> set[str]:
    return {v.date for v in broken.values()}


def _visit(read: Read, source: Source) -> Visit:
    visit = Visit(
        date=read.date,
        body={"date": read.date, "alsfrs_r": {}},
        sources=[source],
        elements={},
        author=read.author,
        response=f"entry[{read.index}].resource",
    )
    _put(visit, read)
    return visit


def _join(
    read: Read, source: Source, candidates: list[Visit], errors: list[FieldError]
) -> Visit | None:
    base = f"entry[{read.index}].resource"
    linked = [v for v in candidates if v.sources[0].value == read.link]
    target = linked[0] if len(linked) == 1 else candidates[0] if len(candidates) == 1 else None
    if target is None:
        code = "fhir_ambiguous_visit" if candidates else "fhir_no_alsfrs_r_on_date"
        path = element(base, "identifier" if candidates else "effectiveDateTime")
        errors.append(FieldError(path, code, {"date": read.date}))
        return None
    for name in read.values:
        if f"assessment.{name}" in target.elements:
            other = target.elements[f"assessment.{name}"]
            path = element(base, "code")
            errors.append(FieldError(path, "fhir_duplicate_measure", {"other": other}))
            return None
    target.sources.append(source)
    _put(target, read)
    return target


def _put(visit: Visit, read: Read) -> None:
    for name, value in read.values.items():
        node = visit.body
        *parents, last = name.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        node[last] = value
    for name, path in read.elements.items():  # the date too, which the body holds already
        visit.elements[f"assessment.{name}"] = path


def _schema_errors(visit: Visit) -> list[FieldError]:
    """The assessment input schema on the visit (the service's record checks it again, with
    the rules that need the patient): every bad value of the bundle is named in one answer."""
    found = schema.schema_errors(visit.body, "assessment")
    return remap([FieldError(f"assessment.{e.path}", e.code, e.params) for e in found], visit)


def remap(errors: Sequence[FieldError], visit: Visit) -> list[FieldError]:
    """Errors on assessment-input paths as errors on the FHIR elements the values came from."""
    return [FieldError(element_of(visit, e.path), e.code, e.params) for e in errors]


def element_of(visit: Visit, path: str) -> str:
    if path in visit.elements:
        return visit.elements[path]
    item = path.removeprefix("assessment.alsfrs_r.")
    if item != path:  # a required item that was not answered
        return f"{visit.response}.item.where(linkId='{item}')"
    prefix = max((p for p in visit.elements if path.startswith(p + ".")), key=len, default=None)
    if prefix is not None:
        return visit.elements[prefix]
    # The visit as a whole, or a patient's field its date conflicts with (onset, birth).
    return visit.elements.get("assessment.date", visit.response)


def _text(value: object) -> str | None:
    return str(value)[:_TEXT_MAX] if isinstance(value, str) and value else None
