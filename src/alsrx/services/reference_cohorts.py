"""Reference cohorts: natural-history data from outside alsrx (PRO-ACT), drawn behind research
plots and kept apart from patients (tables of their own, no centre, no patient row).

An import reads PRO-ACT's CSV files from a directory (analytics/proact.py turns the rows into
values), replaces any cohort of the same name, and is audited with its counts, all in the
caller's transaction: a failed import leaves the previous cohort as it was.

Who may import: administrators only. A reference cohort is shared by every centre's
researchers, and replacing one changes what all of their plots draw; that is a platform
change, like creating a centre, not a centre's research. The CLI acts as the system
administrator. Reading (`trajectories`) carries no patient data and no ids; the edge that
shows it decides who sees it.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from alsrx.analytics import proact
from alsrx.db import models
from alsrx.domain.time import DAYS_PER_MONTH
from alsrx.errors import FieldError, InvalidInput, NotFound
from alsrx.services import access, audit
from alsrx.services.actor import Actor

SOURCE_PROACT = "proact"
DEFAULT_NAME = "PRO-ACT"
NAME_MAX = 100
ENTITY = "reference_cohort"


@dataclass(frozen=True)
class Imported:
    cohort_id: int
    name: str
    replaced: bool  # a cohort of this name existed and is gone
    report: proact.ImportReport


def import_proact(
    session: Session,
    actor: Actor,
    directory: Path,
    *,
    name: str = DEFAULT_NAME,
    now: dt.datetime | None = None,
) -> Imported:
    """Import the PRO-ACT files in `directory` as the reference cohort `name`."""
    access.require_role(actor, "admin")
    return store_proact(session, actor, read_proact(directory), name=name, now=now)


def read_proact(directory: Path) -> proact.ProactCohort:
    """The directory's files parsed, without a session: an edge can read and parse before it
    opens the write transaction, which then holds SQLite's write lock only for the writes."""
    return proact.parse(read_tables(directory))


def store_proact(
    session: Session,
    actor: Actor,
    cohort: proact.ProactCohort,
    *,
    name: str = DEFAULT_NAME,
    now: dt.datetime | None = None,
) -> Imported:
    """Store a parsed cohort as `name`, replacing any of that name, and audit it."""
    access.require_role(actor, "admin")
    name = _checked_name(name)
    old = _remove(session, name)
    cohort_id = _store(session, name, cohort, now or models.utcnow())
    counts = cohort.report.as_counts()
    audit.append(
        session,
        actor,
        action="update" if old is not None else "create",
        entity=ENTITY,
        entity_id=cohort_id,
        old=old,
        new={"name": name, "source": SOURCE_PROACT, **counts},
    )
    return Imported(cohort_id, name, old is not None, cohort.report)


def _checked_name(name: str) -> str:
    name = name.strip()
    if not 0 < len(name) <= NAME_MAX or any(ord(c) < 32 for c in name):
        raise InvalidInput([FieldError("name", "text_length", {"min": 1, "max": NAME_MAX})])
    return name


def read_tables(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Each PRO-ACT file present in the directory (its name matched case-insensitively), as
    csv.DictReader rows; UTF-8 with or without a byte-order mark."""
    if not directory.is_dir():
        raise InvalidInput([FieldError(str(directory), "not_a_directory")])
    present = {p.name.lower(): p for p in directory.iterdir() if p.is_file()}
    tables = {}
    for name in proact.FILES:
        path = present.get(name.lower())
        if path is not None:
            tables[name] = _rows(path, name)
    return tables


def _rows(path: Path, name: str) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except UnicodeDecodeError:
        raise InvalidInput([FieldError(name, "invalid", {"detail": "not UTF-8"})]) from None
    except csv.Error as exc:
        raise InvalidInput([FieldError(name, "invalid", {"detail": str(exc)})]) from None
    except OSError as exc:
        detail = exc.strerror or "cannot be read"
        raise InvalidInput([FieldError(name, "invalid", {"detail": detail})]) from None


def _remove(session: Session, name: str) -> dict[str, Any] | None:
    """Delete the cohort of this name with its subjects and visits; its counts, if it was."""
    found = session.scalars(
        select(models.ReferenceCohort).where(models.ReferenceCohort.name == name)
    ).first()
    if found is None:
        return None
    subjects = select(models.ReferenceSubject.id).where(
        models.ReferenceSubject.cohort_id == found.id
    )
    session.execute(
        delete(models.ReferenceVisit).where(models.ReferenceVisit.subject_id.in_(subjects))
    )
    session.execute(
        delete(models.ReferenceSubject).where(models.ReferenceSubject.cohort_id == found.id)
    )
    old = {"name": found.name, "source": found.source, **found.counts}
    session.delete(found)
    session.flush()
    return old


def _store(session: Session, name: str, cohort: proact.ProactCohort, now: dt.datetime) -> int:
    row = models.ReferenceCohort(
        name=name, source=SOURCE_PROACT, imported_at=now, counts=cohort.report.as_counts()
    )
    session.add(row)
    session.flush()
    ids = _store_subjects(session, row.id, cohort.subjects)
    visits = [_visit_row(ids[v.source_id], v) for v in cohort.visits]
    if visits:
        session.execute(insert(models.ReferenceVisit), visits)
    return row.id


def _store_subjects(
    session: Session, cohort_id: int, subjects: tuple[proact.ReferenceSubject, ...]
) -> dict[str, int]:
    if not subjects:
        return {}
    rows = [
        {
            "cohort_id": cohort_id,
            "source_id": s.source_id,
            "sex": s.sex,
            "age_years": s.age_years,
            "onset_region": s.onset_region,
            "onset_delta_days": s.onset_delta_days,
            "died": s.died,
            "death_days": s.death_days,
        }
        for s in subjects
    ]
    session.execute(insert(models.ReferenceSubject), rows)
    stored = session.execute(
        select(models.ReferenceSubject.source_id, models.ReferenceSubject.id).where(
            models.ReferenceSubject.cohort_id == cohort_id
        )
    )
    return {row.source_id: row.id for row in stored}


def _visit_row(subject_id: int, v: proact.Visit) -> dict[str, Any]:
    return {
        "subject_id": subject_id,
        "days_from_entry": v.days_from_entry,
        "days_since_onset": v.days_since_onset,
        "alsfrs_r_total": v.alsfrs_r_total,
        "items": dict(v.items) if v.items is not None else None,
        "fvc_l": v.fvc_l,
        "fvc_percent": v.fvc_percent,
        "weight_kg": v.weight_kg,
        "height_cm": v.height_cm,
    }


Series = tuple[tuple[float, float], ...]


def trajectories(session: Session, cohort_name: str) -> list[Series]:
    """Each subject's ALSFRS-R course as (months since onset, total) points in time order, for
    drawing behind a cohort. Visits without a known onset or without a total are left out, and
    so is a subject left with none; no ids leave (a month is 365.25 / 12 days)."""
    cohort = session.scalars(
        select(models.ReferenceCohort.id).where(models.ReferenceCohort.name == cohort_name)
    ).first()
    if cohort is None:
        raise NotFound("reference cohort")
    rows = session.execute(
        select(
            models.ReferenceVisit.subject_id,
            models.ReferenceVisit.days_since_onset,
            models.ReferenceVisit.alsfrs_r_total,
        )
        .join(
            models.ReferenceSubject, models.ReferenceSubject.id == models.ReferenceVisit.subject_id
        )
        .where(
            models.ReferenceSubject.cohort_id == cohort,
            models.ReferenceVisit.days_since_onset.is_not(None),
            models.ReferenceVisit.alsfrs_r_total.is_not(None),
        )
        .order_by(models.ReferenceVisit.subject_id, models.ReferenceVisit.days_since_onset)
    )
    series: dict[int, list[tuple[float, float]]] = {}
    for subject, days, total in rows:
        assert days is not None and total is not None  # the query's own filter
        series.setdefault(subject, []).append((days / DAYS_PER_MONTH, float(total)))
    return [tuple(points) for points in series.values()]
