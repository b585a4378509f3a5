"""PRO-ACT's CSV files as a natural-history reference cohort: rows in, frozen values out.

PRO-ACT (Pooled Resource Open-Access ALS Clinical Trials, ncri1.partners.org/ProACT) pools the
placebo and treatment arms of completed ALS trials. Time is in days relative to trial entry
(`*_Delta`, `Death_Days`); symptom onset is a negative delta in ALSHISTORY (`Onset_Delta`). A
visit is stored as days since onset (visit delta - onset delta) when the onset is known, and
kept relative to entry (`days_since_onset` None) when it is not.

Choices, each counted in the report under its reason code:
- ALSFRS-R only. A row with neither `ALSFRS_R_Total` nor any respiratory item R1-R3 is the
  original ALSFRS (one breathing item, total 0-40), which must not be mixed with ALSFRS-R
  totals (Cedarbaum 1999; PRO-ACT's readme: "ALSFRS_Total ... Q1-Q10"): it is skipped
  (`original_alsfrs_only`). Without an R total, the twelve R items are summed when all are
  there; otherwise the row is skipped (`incomplete_items`).
- A row with both Q5a and Q5b filled is dropped, as PRO-ACT preprocessing does
  (yoonhohong/proact preprocess.R: "Exclude records with both Q5a and Q5b item scores").
- A row with any value out of range, non-numeric or in an unknown unit is skipped whole: one
  bad value casts doubt on its row. Nothing skipped is stored.
- Rows of one subject on the same day merge into one visit (ALSFRS-R, FVC, vitals); a repeated
  row is `duplicate_row`, a second different value for the same day `conflicting_visit`.
- A subject is kept when at least one of its visits is; facts about other subjects
  (demographics, history, death) are counted `no_visits`.
- FVC: the best (largest) of the three trials, with that trial's percent of normal, else the
  percent computed from `Subject_Normal` (the predicted normal in litres).

Ranges: ALSFRS-R items 0-4 and total 0-48 (Cedarbaum 1999); FVC 0.2-8.0 L, weight 20-300 kg and
height 100-250 cm are the assessment input's own bounds (intake/schemas/assessment-input).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from alsrx.analytics import proact_cells as cells
from alsrx.analytics import proact_scores as scores
from alsrx.analytics.proact_cells import SUBJECT_KEYS, Row, Skip, subject_id
from alsrx.analytics.proact_visits import Visit, VisitRows
from alsrx.errors import FieldError, InvalidInput

__all__ = ["FILES", "FileReport", "ImportReport", "ProactCohort", "ReferenceSubject", "Visit"]
__all__ += ["parse"]

ALSFRS = "PROACT_ALSFRS.csv"
HISTORY = "PROACT_ALSHISTORY.csv"
FVC = "PROACT_FVC.csv"
DEMOGRAPHICS = "PROACT_DEMOGRAPHICS.csv"
DEATHS = "PROACT_DEATHDATA.csv"
VITALS = "PROACT_VITALSIGNS.csv"
FILES = (ALSFRS, HISTORY, FVC, DEMOGRAPHICS, DEATHS, VITALS)
VISIT_FILES = {ALSFRS: "alsfrs_delta", FVC: "forced_vital_capacity_delta"}
VISIT_FILES[VITALS] = "vital_signs_delta"

AGE_MAX_YEARS = 120
DAYS_PER_YEAR = 365.25  # alsrx.domain.time's convention


@dataclass(frozen=True)
class ReferenceSubject:
    source_id: str
    sex: str | None = None  # "male" | "female"
    age_years: float | None = None
    onset_region: str | None = None  # "bulbar" | "limb" | "limb_and_bulbar" | "other"
    onset_delta_days: int | None = None  # negative: days before trial entry
    died: bool | None = None
    death_days: int | None = None  # days from trial entry


@dataclass(frozen=True)
class FileReport:
    file: str
    read: bool
    rows: int = 0
    used: int = 0
    skipped: Mapping[str, int] = field(default_factory=dict)  # "code" or "code:column" -> rows


@dataclass(frozen=True)
class ImportReport:
    files: tuple[FileReport, ...]
    subjects: int
    visits: int
    visits_without_onset: int  # kept relative to trial entry

    def as_counts(self) -> dict[str, Any]:
        """JSON-ready, for the cohort row and the audit event."""
        return {
            "subjects": self.subjects,
            "visits": self.visits,
            "visits_without_onset": self.visits_without_onset,
            "files": {
                f.file: {"read": f.read, "rows": f.rows, "used": f.used, "skipped": dict(f.skipped)}
                for f in self.files
            },
        }


@dataclass(frozen=True)
class ProactCohort:
    subjects: tuple[ReferenceSubject, ...]
    visits: tuple[Visit, ...]
    report: ImportReport


def parse(tables: Mapping[str, Iterable[Mapping[Any, Any]]]) -> ProactCohort:
    """The cohort from each file's rows (csv.DictReader rows), keyed by file name; a file
    missing from `tables` was not there. PROACT_ALSFRS.csv is required."""
    if ALSFRS not in tables:
        raise InvalidInput([FieldError(ALSFRS, "no_such_file")])
    facts: dict[str, dict[str, Any]] = {}
    visits = VisitRows()
    tallies: dict[str, _Tally] = {}
    subject_handlers = {DEMOGRAPHICS: _demographics, HISTORY: _history, DEATHS: _death}
    for name, handle in subject_handlers.items():
        if name in tables:
            tallies[name] = _read(name, tables[name], functools.partial(_merge, facts, handle))
    onsets = {sid: f.get("onset_delta_days") for sid, f in facts.items()}
    for name, handle in ((ALSFRS, scores.alsfrs), (FVC, scores.fvc), (VITALS, scores.vitals)):
        if name in tables:
            add = functools.partial(visits.add, VISIT_FILES[name], onsets, handle)
            tallies[name] = _read(name, tables[name], add)
    kept = visits.subject_ids()
    for name in subject_handlers:
        if name in tallies:
            tallies[name].drop_unless(kept, "no_visits")
    subjects = tuple(ReferenceSubject(sid, **facts.get(sid, {})) for sid in sorted(kept))
    stored = visits.values()
    report = ImportReport(
        files=tuple(tallies[n].report(n) if n in tallies else FileReport(n, False) for n in FILES),
        subjects=len(subjects),
        visits=len(stored),
        visits_without_onset=sum(v.days_since_onset is None for v in stored),
    )
    return ProactCohort(subjects, stored, report)


class _Tally:
    def __init__(self) -> None:
        self.rows = 0
        self.used: list[str] = []  # each used row's subject
        self.skipped: Counter[str] = Counter()

    def drop_unless(self, kept: set[str], reason: str) -> None:
        dropped = [sid for sid in self.used if sid not in kept]
        self.used = [sid for sid in self.used if sid in kept]
        if dropped:
            self.skipped[reason] += len(dropped)

    def report(self, name: str) -> FileReport:
        skipped = MappingProxyType(dict(sorted(self.skipped.items())))
        return FileReport(name, True, self.rows, len(self.used), skipped)


def _read(name: str, rows: Iterable[Mapping[Any, Any]], handle: Callable[[Row], str]) -> _Tally:
    tally = _Tally()
    for raw in rows:
        row = cells.normalise(raw)
        if tally.rows == 0:
            _check_columns(name, row)
        tally.rows += 1
        try:
            tally.used.append(handle(row))
        except Skip as skip:
            tally.skipped[skip.reason] += 1
    return tally


def _check_columns(name: str, row: Row) -> None:
    """A file without its key (or its time) column is refused: every row would be skipped."""
    if not any(key in row for key in SUBJECT_KEYS):
        raise InvalidInput([FieldError(name, "no_column", {"column": "subject_id"})])
    delta = VISIT_FILES.get(name)
    if delta is not None and delta not in row:
        raise InvalidInput([FieldError(name, "no_column", {"column": delta})])


def _merge(
    facts: dict[str, dict[str, Any]], handle: Callable[[Row], dict[str, Any]], row: Row
) -> str:
    """One row's facts about its subject; a second, different value for a fact skips the row."""
    sid = subject_id(row)
    found = {k: v for k, v in handle(row).items() if v is not None}
    if not found:
        raise Skip("no_values")
    known = facts.setdefault(sid, {})
    for key, value in found.items():
        if known.get(key, value) != value:
            raise Skip("conflicting_value", key)
    known.update(found)
    return sid


def _demographics(row: Row) -> dict[str, Any]:
    age = cells.number(row, "age", 0, AGE_MAX_YEARS)
    if age is None:  # some releases give birth as a delta instead of an age
        birth = cells.days(row, "date_of_birth")
        at = cells.days(row, "demographics_delta") or 0
        if birth is not None:
            age = (at - birth) / DAYS_PER_YEAR
            if not 0 <= age <= AGE_MAX_YEARS:
                raise Skip("out_of_range", "date_of_birth")
    return {"age_years": age, "sex": _sex(cells.text(row, "sex", "gender"))}


def _sex(value: str | None) -> str | None:
    if value is None:
        return None
    sex = {"male": "male", "m": "male", "female": "female", "f": "female"}.get(value.lower())
    if sex is None:
        raise Skip("not_one_of", "sex")
    return sex


SITES = {"bulbar": "bulbar", "limb": "limb", "limb and bulbar": "limb_and_bulbar"}
SITES |= {"other": "other", "spine": "other", "spinal": "other"}


def _history(row: Row) -> dict[str, Any]:
    onset = cells.days(row, "onset_delta")
    if onset is not None and onset > 0:  # onset after trial entry cannot be
        raise Skip("out_of_range", "onset_delta")
    return {"onset_delta_days": onset, "onset_region": _site(row)}


def _site(row: Row) -> str | None:
    site = cells.text(row, "site_of_onset")
    if site is not None:
        words = site.lower().removeprefix("onset:").strip()
        if words not in SITES:
            raise Skip("not_one_of", "site_of_onset")
        return SITES[words]
    flags = {
        name: cells.flag(row, f"site_of_onset___{name}")
        for name in ("bulbar", "limb", "limb_and_bulbar", "other", "spine")
    }
    if flags["limb_and_bulbar"] or (flags["bulbar"] and flags["limb"]):
        return "limb_and_bulbar"
    for name in ("bulbar", "limb", "other", "spine"):
        if flags[name]:
            return SITES[name]
    return None


def _death(row: Row) -> dict[str, Any]:
    died = cells.flag(row, "subject_died")
    death_days = cells.days(row, "death_days")
    if death_days is not None and death_days < 0:  # a death before trial entry cannot be
        raise Skip("out_of_range", "death_days")
    return {"died": died, "death_days": death_days}
