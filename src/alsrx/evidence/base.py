"""Load and validate the evidence base: references, guidance and recommendations.

The data are TOML files in `data/` (one record per reference the review cites, [1]-[48], plus
the guidance the engine relies on beyond it, and the review's conclusions as recommendation
records). Loading validates every record: a malformed or dangling record is an error at load,
never a silent gap in a prescription's citations.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

RESOLUTIONS = ("verified", "probable", "guess", "unresolved", "not_applicable")
KINDS = ("review_reference", "guidance", "primary_source")
STUDY_TYPES = (
    "rct",
    "protocol",
    "cohort",
    "case_control",
    "cross_sectional",
    "case_series",
    "historical_control",
    "pilot_single_arm",
    "systematic_review",
    "meta_analysis",
    "narrative_review",
    "guideline",
    "animal",
    "background",
    "unresolved",
)
# alsrx_default: a rule the project sets where no source found says so; it may cite context
# (or nothing) but must say in its caveat that it is a project default.
STRENGTHS = ("weak", "conditional", "consensus", "alsrx_default")
PROJECT_DEFAULT = "alsrx_default"
_PROJECT_DEFAULT_WORDS = ("project default", "alsrx default")
REVIEW_REFERENCE_COUNT = 48
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,9}$")


class EvidenceError(ValueError):
    """The evidence data break a rule; the message names the record and field."""


@dataclass(frozen=True)
class Fitt:
    type: str
    frequency_per_week_min: float
    frequency_per_week_max: float
    intensity: str
    time_min_per_session_min: float
    time_min_per_session_max: float
    duration_weeks: float
    setting: str


@dataclass(frozen=True)
class Reference:
    id: str
    review_number: int
    kind: str
    resolution: str
    resolution_note: str
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    volume_pages: str
    doi: str
    pmid: str
    identifiers_unconfirmed: tuple[str, ...]
    alternative_candidates: tuple[str, ...]
    study_type: str
    level_of_evidence: int
    topic: tuple[str, ...]
    population: str
    n: int
    n_as_reported_by_review: int
    comparator: str
    outcomes: tuple[str, ...]
    findings_review: str
    findings_primary: str
    discrepancy_note: str
    summary_en: str
    summary_zh: str
    fitt: Fitt

    def citation(self) -> str:
        """A one-line citation; unresolved references say so rather than invent one."""
        if not self.title:
            return f"[{self.id}] unresolved: {self.resolution_note}"
        named = [a for a in self.authors if a != "et al."]
        more = len(named) > 3 or len(named) < len(self.authors)
        authors = ", ".join(named[:3]) + (", et al" if more else "")
        ids = [f"doi:{self.doi}" if self.doi else "", f"PMID {self.pmid}" if self.pmid else ""]
        source = " ".join(x for x in (self.journal, str(self.year) if self.year > 0 else "") if x)
        if self.volume_pages:
            source += f";{self.volume_pages}"
        tail = "; ".join(x for x in ids if x)
        return f"{authors}. {self.title}. {source}" + (f". {tail}" if tail else "")


@dataclass(frozen=True)
class Recommendation:
    id: str
    component: str
    statement_en: str
    statement_zh: str
    strength: str
    evidence: tuple[str, ...]
    source_in_review: str
    caveat: str
    parameters: Mapping[str, float]


@dataclass(frozen=True)
class EvidenceBase:
    references: Mapping[str, Reference]
    recommendations: Mapping[str, Recommendation]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.references or record_id in self.recommendations

    def get(self, record_id: str) -> Reference | Recommendation:
        if record_id in self.references:
            return self.references[record_id]
        return self.recommendations[record_id]


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def load() -> EvidenceBase:
    """The bundled evidence base, validated once per process."""
    return build(_read("references.toml"), _read("recommendations.toml"))


def build(references: Mapping[str, Any], recommendations: Mapping[str, Any]) -> EvidenceBase:
    refs = [_reference(raw) for raw in references.get("reference", [])]
    recs = [_recommendation(raw) for raw in recommendations.get("recommendation", [])]
    base = EvidenceBase(_unique(refs, "reference"), _unique(recs, "recommendation"))
    _check_links(base)
    _check_review_complete(base)
    return base


def _unique(records: Sequence[Any], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for record in records:
        if record.id in out:
            raise EvidenceError(f"{what} {record.id}: duplicate id")
        out[record.id] = record
    return out


def _field(raw: Mapping[str, Any], key: str, kind: type | tuple[type, ...], rid: str) -> Any:
    if key not in raw:
        raise EvidenceError(f"{rid}: missing field {key!r}")
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise EvidenceError(f"{rid}: field {key!r} has type {type(value).__name__}")
    return value


def _choice(raw: Mapping[str, Any], key: str, allowed: Sequence[str], rid: str) -> str:
    value: str = _field(raw, key, str, rid)
    if value not in allowed:
        raise EvidenceError(f"{rid}: {key} {value!r} not one of {', '.join(allowed)}")
    return value


def _strings(raw: Mapping[str, Any], key: str, rid: str) -> tuple[str, ...]:
    values = _field(raw, key, list, rid)
    if not all(isinstance(v, str) for v in values):
        raise EvidenceError(f"{rid}: {key} must list strings")
    return tuple(values)


def _fitt(raw: Mapping[str, Any], rid: str) -> Fitt:
    f = _field(raw, "fitt", dict, rid)
    num = (int, float)
    return Fitt(
        type=_field(f, "type", str, rid),
        frequency_per_week_min=_field(f, "frequency_per_week_min", num, rid),
        frequency_per_week_max=_field(f, "frequency_per_week_max", num, rid),
        intensity=_field(f, "intensity", str, rid),
        time_min_per_session_min=_field(f, "time_min_per_session_min", num, rid),
        time_min_per_session_max=_field(f, "time_min_per_session_max", num, rid),
        duration_weeks=_field(f, "duration_weeks", num, rid),
        setting=_field(f, "setting", str, rid),
    )


def _reference(raw: Mapping[str, Any]) -> Reference:
    rid = str(raw.get("id", "(no id)"))
    ref = Reference(
        id=_field(raw, "id", str, rid),
        review_number=_field(raw, "review_number", int, rid),
        kind=_choice(raw, "kind", KINDS, rid),
        resolution=_choice(raw, "resolution", RESOLUTIONS, rid),
        resolution_note=_field(raw, "resolution_note", str, rid),
        authors=_strings(raw, "authors", rid),
        title=_field(raw, "title", str, rid),
        journal=_field(raw, "journal", str, rid),
        year=_field(raw, "year", int, rid),
        volume_pages=_field(raw, "volume_pages", str, rid),
        doi=_field(raw, "doi", str, rid),
        pmid=_field(raw, "pmid", str, rid),
        identifiers_unconfirmed=_strings(raw, "identifiers_unconfirmed", rid),
        alternative_candidates=_strings(raw, "alternative_candidates", rid),
        study_type=_choice(raw, "study_type", STUDY_TYPES, rid),
        level_of_evidence=_field(raw, "level_of_evidence", int, rid),
        topic=_strings(raw, "topic", rid),
        population=_field(raw, "population", str, rid),
        n=_field(raw, "n", int, rid),
        n_as_reported_by_review=_field(raw, "n_as_reported_by_review", int, rid),
        comparator=_field(raw, "comparator", str, rid),
        outcomes=_strings(raw, "outcomes", rid),
        findings_review=_field(raw, "findings_review", str, rid),
        findings_primary=_field(raw, "findings_primary", str, rid),
        discrepancy_note=_field(raw, "discrepancy_note", str, rid),
        summary_en=_field(raw, "summary_en", str, rid),
        summary_zh=_field(raw, "summary_zh", str, rid),
        fitt=_fitt(raw, rid),
    )
    _check_reference(ref)
    return ref


def _check_reference(ref: Reference) -> None:
    rid = ref.id
    if not 1 <= ref.level_of_evidence <= 5:
        raise EvidenceError(f"{rid}: level_of_evidence must be 1-5 (OCEBM 2011)")
    if ref.doi and not _DOI.match(ref.doi):
        raise EvidenceError(f"{rid}: doi {ref.doi!r} is not a DOI")
    if ref.pmid and not _PMID.match(ref.pmid):
        raise EvidenceError(f"{rid}: pmid {ref.pmid!r} is not a PMID")
    if ref.resolution in ("verified", "probable") and not (ref.title and ref.authors):
        raise EvidenceError(f"{rid}: a {ref.resolution} reference needs authors and a title")
    if ref.resolution in ("guess", "unresolved") and not ref.resolution_note:
        raise EvidenceError(f"{rid}: an uncertain reference must say why in resolution_note")
    if not (ref.summary_en and ref.summary_zh):
        raise EvidenceError(f"{rid}: summaries in en and zh are required")
    if ref.kind == "review_reference" and not 1 <= ref.review_number <= REVIEW_REFERENCE_COUNT:
        raise EvidenceError(f"{rid}: review_number must be 1-{REVIEW_REFERENCE_COUNT}")


def _recommendation(raw: Mapping[str, Any]) -> Recommendation:
    rid = str(raw.get("id", "(no id)"))
    params = _field(raw, "parameters", dict, rid)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in params.values()):
        raise EvidenceError(f"{rid}: parameters must be numbers")
    rec = Recommendation(
        id=_field(raw, "id", str, rid),
        component=_field(raw, "component", str, rid),
        statement_en=_field(raw, "statement_en", str, rid),
        statement_zh=_field(raw, "statement_zh", str, rid),
        strength=_choice(raw, "strength", STRENGTHS, rid),
        evidence=_strings(raw, "evidence", rid),
        source_in_review=_field(raw, "source_in_review", str, rid),
        caveat=_field(raw, "caveat", str, rid),
        parameters=dict(params),
    )
    _check_recommendation(rec)
    return rec


def _check_recommendation(rec: Recommendation) -> None:
    """A project default says so; only a project default may stand without a source."""
    if rec.strength == PROJECT_DEFAULT:
        if not any(w in rec.caveat.lower() for w in _PROJECT_DEFAULT_WORDS):
            raise EvidenceError(f"{rec.id}: an alsrx_default caveat must say 'project default'")
    elif not rec.evidence:
        raise EvidenceError(f"{rec.id}: a recommendation must cite evidence (or be alsrx_default)")


def _check_links(base: EvidenceBase) -> None:
    for rec in base.recommendations.values():
        for ref_id in rec.evidence:
            if ref_id not in base.references:
                raise EvidenceError(f"{rec.id}: evidence {ref_id!r} does not exist")


def _check_review_complete(base: EvidenceBase) -> None:
    numbers = {r.review_number for r in base.references.values() if r.kind == "review_reference"}
    missing = sorted(set(range(1, REVIEW_REFERENCE_COUNT + 1)) - numbers)
    if missing:
        raise EvidenceError(f"review references missing: {missing}")
