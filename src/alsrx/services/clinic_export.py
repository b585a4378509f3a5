"""The clinic export: one patient's or one centre's records as CSV files for the clinic's own
analysis (a ZIP of the files, codebook.csv in the reader's language and README.txt), or one
file alone.

Who: a clinician of the patient's centre (access.patient), or of the centre for a centre's
export (access.require_centre). Administrators manage centres and users, never clinical
records, and researchers see de-identified views only (services/access.py): neither exports
here. Another centre's patient or centre is NotFound, and nothing is audited. Every export is
audited (action `export`, entity `patient` or `centre`) with its row counts only.

Rows are read with streaming cursors and written straight into the archive, so a centre's
years of session logs never sit in memory at once; patients are identified by the centre's
own code, never by a name, contact or birth date (PatientIdentity is never read).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import ColumnElement, RowMapping, Select, func, select
from sqlalchemy.orm import Session

from alsrx import __version__
from alsrx.db import models
from alsrx.errors import NotFound
from alsrx.i18n import translator
from alsrx.interop import clinic_codebook as book
from alsrx.interop import clinic_csv
from alsrx.services import access, audit
from alsrx.services.actor import Actor

EXPORTERS = ("clinician",)
TABLES = tuple(f.key for f in book.FILES)  # the `table` choices: assessments, alerts ...
CODEBOOK = "codebook.csv"
README = "README.txt"
BATCH = 500  # rows fetched at a time from a streaming cursor


@dataclass(frozen=True)
class Scope:
    entity: str  # "patient" | "centre" (the audit's entity)
    entity_id: str
    label: str  # the patient's code or "centre-<id>": the download's name
    centre_name: str
    where: ColumnElement[bool]


@dataclass(frozen=True)
class Summary:
    rows: Mapping[str, int]  # per file key
    patients: int


def patient_scope(session: Session, actor: Actor, patient_id: str) -> Scope:
    access.require_role(actor, *EXPORTERS)
    patient = access.patient(session, actor, patient_id)
    centre = session.get(models.Centre, patient.centre_id)
    return Scope(
        "patient",
        patient.id,
        patient.code,
        centre.name if centre else "",
        _P.c.id == patient.id,
    )


def centre_scope(session: Session, actor: Actor, centre_id: int) -> Scope:
    access.require_role(actor, *EXPORTERS)
    access.require_centre(actor, centre_id)
    centre = session.get(models.Centre, centre_id)
    if centre is None:
        raise NotFound("centre")
    return Scope(
        "centre", str(centre.id), f"centre-{centre.id}", centre.name, _P.c.centre_id == centre.id
    )


def write_zip(
    session: Session, actor: Actor, scope: Scope, out: IO[bytes], *, lang: str, now: dt.datetime
) -> Summary:
    """Every file, the codebook and README.txt in one ZIP written to `out`; audited."""
    _ = translator(lang)
    folder = f"alsrx-{scope.label}-{now.date().isoformat()}"
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in book.FILES:
            with _member(archive, f"{folder}/{f.name}", now) as text:
                counts[f.key] = _write_file(session, scope, f, text)
        with _member(archive, f"{folder}/{CODEBOOK}", now) as text:
            clinic_csv.write_codebook(text, _)
        patients = _patients(session, scope)
        with _member(archive, f"{folder}/{README}", now) as text:
            text.write(_readme(scope, counts, patients, _, now=now))
    summary = Summary(counts, patients)
    _audit(session, actor, scope, summary, fmt="zip")
    return summary


def write_table(
    session: Session, actor: Actor, scope: Scope, table: str, out: IO[bytes]
) -> Summary:
    """One file alone (`table` one of TABLES; the edge checked it), as UTF-8 with a BOM."""
    f = book.BY_KEY[table]
    text = io.TextIOWrapper(out, encoding=clinic_csv.ENCODING, newline="")
    try:
        counts = {f.key: _write_file(session, scope, f, text)}
        text.flush()
    finally:
        text.detach()  # `out` stays open for the caller
    summary = Summary(counts, _patients(session, scope))
    _audit(session, actor, scope, summary, fmt="csv")
    return summary


def _member(archive: zipfile.ZipFile, name: str, now: dt.datetime) -> io.TextIOWrapper:
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return io.TextIOWrapper(archive.open(info, "w"), encoding=clinic_csv.ENCODING, newline="")


def _audit(session: Session, actor: Actor, scope: Scope, summary: Summary, *, fmt: str) -> None:
    audit.append(
        session,
        actor,
        action="export",
        entity=scope.entity,
        entity_id=scope.entity_id,
        # Flat, so the audit page names every count (render/audit_words.FIELDS).
        new={"format": fmt, "patients": summary.patients, **summary.rows},
    )


_P = models.table(models.Patient)
_A = models.table(models.Assessment)
_R = models.table(models.Prescription)
_S = models.table(models.SessionLog)
_L = models.table(models.Alert)
_U = models.table(models.User)
_CODE = _P.c.code.label("patient_code")  # alerts have a `code` of their own


def _patients(session: Session, scope: Scope) -> int:
    query = select(func.count()).select_from(_P).where(scope.where)
    return int(session.connection().execute(query).scalar_one())


def _stream(session: Session, query: Select[Any]) -> Iterator[RowMapping]:
    result = session.connection().execute(query.execution_options(yield_per=BATCH))
    yield from result.mappings()


def _assessments(scope: Scope) -> Select[Any]:
    return (
        select(_CODE, *_A.c)
        .join(_P, _P.c.id == _A.c.patient_id)
        .where(scope.where)
        .order_by(_CODE, _A.c.date, _A.c.series_id, _A.c.version)
    )


def _prescriptions(scope: Scope) -> Select[Any]:
    return (
        select(_CODE, *_R.c, _U.c.username.label("approved_by_username"))
        .join(_P, _P.c.id == _R.c.patient_id)
        .outerjoin(_U, _U.c.id == _R.c.approved_by)
        .where(scope.where)
        .order_by(_CODE, _R.c.created_at, _R.c.version, _R.c.id)
    )


def _sessions(scope: Scope) -> Select[Any]:
    return (
        select(_CODE, *_S.c)
        .join(_P, _P.c.id == _S.c.patient_id)
        .where(scope.where)
        .order_by(_CODE, _S.c.date, _S.c.created_at, _S.c.id)
    )


def _alerts(scope: Scope) -> Select[Any]:
    return (
        select(_CODE, *_L.c)
        .join(_P, _P.c.id == _L.c.patient_id)
        .where(scope.where)
        .order_by(_CODE, _L.c.raised_on, _L.c.created_at, _L.c.id)
    )


def _one(mapper: Callable[[str, Mapping[str, Any]], dict[str, Any]]) -> Callable[..., Any]:
    return lambda code, row: (mapper(code, row),)


READERS: dict[str, tuple[Callable[[Scope], Select[Any]], Callable[..., Iterable[Any]]]] = {
    book.ASSESSMENTS.key: (_assessments, _one(clinic_csv.assessment_row)),
    book.PRESCRIPTIONS.key: (_prescriptions, _one(clinic_csv.prescription_row)),
    book.COMPONENT_ROWS.key: (_prescriptions, clinic_csv.component_rows),
    book.SESSION_LOGS.key: (_sessions, _one(clinic_csv.session_row)),
    book.ALERTS.key: (_alerts, _one(clinic_csv.alert_row)),
}
assert set(READERS) == set(TABLES)


def _write_file(session: Session, scope: Scope, f: book.File, out: IO[str]) -> int:
    query, rows_of = READERS[f.key]
    writer = clinic_csv.Writer(f, out)
    for row in _stream(session, query(scope)):
        for mapped in rows_of(row["patient_code"], row):
            writer.row(mapped)
    return writer.count


def _readme(
    scope: Scope,
    counts: Mapping[str, int],
    patients: int,
    _: Callable[[str], str],
    *,
    now: dt.datetime,
) -> str:
    return clinic_csv.readme(
        _,
        exported_at=clinic_csv.utc_iso(now),
        version=__version__,
        scope=scope.entity,
        label=scope.label if scope.entity == "patient" else scope.centre_name,
        patients=patients,
        rows={book.BY_KEY[k].name: n for k, n in counts.items()},
    )
