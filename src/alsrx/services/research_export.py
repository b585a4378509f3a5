"""The research export: CSV files, a codebook and a manifest, streamed patient by patient.

Row-level data leave only when every combination of the quasi-identifiers (age band, sex,
centre, onset region, baseline-year band) holds at least k patients (k-anonymity, Sweeney
2002; k is the setting ALSRX_RESEARCH_K, default 5); otherwise the export is refused, naming
the smallest combination. Every export is audited with its row counts, centres and whether
dates were shifted (never the secret).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from alsrx import __version__
from alsrx.analytics import kanon
from alsrx.errors import FieldError, InvalidInput, PermissionDenied
from alsrx.i18n import translator
from alsrx.reports import research_codebook as book
from alsrx.services import access, audit
from alsrx.services import research_dataset as dataset
from alsrx.services.actor import Actor

QUASI_IDENTIFIERS = ("Age_Band", "Sex", "Site", "Onset_Region", "Baseline_Year_Band")
DEFAULT_K = 5  # a common floor for k (Sweeney 2002; El Emam & Dankar 2008 use 3-5): alsrx default
CODEBOOK = "codebook.csv"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ExportOptions:
    today: dt.date
    k: int = DEFAULT_K
    shift_secret: bytes | None = None
    centre_ids: frozenset[int] | None = None  # None: all the researcher's centres
    lang: str = "en"  # of the codebook's descriptions


@dataclass(frozen=True)
class ExportSummary:
    rows: Mapping[str, int]  # per file
    patients: int
    smallest_group: int
    centres: tuple[int, ...]
    shifted: bool
    files: tuple[str, ...] = field(default=())


def scope_of(actor: Actor, options: ExportOptions) -> dataset.Scope:
    access.require_role(actor, "researcher")
    wanted = actor.centre_ids if options.centre_ids is None else options.centre_ids
    if not wanted <= actor.centre_ids:
        raise PermissionDenied("centre outside the researcher's centres")
    return dataset.Scope(frozenset(wanted), options.today, options.shift_secret)


def check_k(members: list[dataset.Member], k: int) -> int:
    """The smallest group's size; InvalidInput naming the smallest combination below k."""
    found = kanon.smallest_groups([m.row for m in members], QUASI_IDENTIFIERS, k)
    if not found.satisfied:
        small = found.below_k[0]
        combination = ", ".join(f"{q} {v or '—'}" for q, v in small.values.items())
        raise InvalidInput(
            [
                FieldError(
                    "cohort",
                    "group_below_k",
                    {
                        "k": k,
                        "size": small.size,
                        "combination": combination,
                        "groups": len(found.below_k),
                    },
                )
            ]
        )
    return found.smallest_group or 0


def write_directory(
    session: Session, actor: Actor, directory: Path, options: ExportOptions
) -> ExportSummary:
    """Write the data set into `directory` (created if missing); audited."""
    scope = scope_of(actor, options)
    members = dataset.members(session, scope)
    smallest = check_k(members, options.k)
    shifted = options.shift_secret is not None
    directory.mkdir(parents=True, exist_ok=True)
    counts = _write_tables(session, scope, members, directory, shifted=shifted)
    _write_codebook(directory / CODEBOOK, options.lang, shifted=shifted)
    summary = ExportSummary(
        counts,
        len(members),
        smallest,
        tuple(sorted(scope.centre_ids)),
        shifted,
        (*(t.file for t in book.TABLES), CODEBOOK, MANIFEST),
    )
    (directory / MANIFEST).write_text(_manifest(summary, options), encoding="utf-8")
    audit.append(
        session,
        actor,
        action="export",
        entity="research_export",
        entity_id=None,
        new={
            "rows": dict(counts),
            "centres": list(summary.centres),
            "date_shift": shifted,
            "k": options.k,
            "smallest_group": smallest,
        },
    )
    return summary


def write_zip(
    session: Session, actor: Actor, out: IO[bytes], options: ExportOptions
) -> ExportSummary:
    """The same files in one ZIP archive written to `out`."""
    with tempfile.TemporaryDirectory(prefix="alsrx-export-") as tmp:
        folder = Path(tmp)
        summary = write_directory(session, actor, folder, options)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in summary.files:
                archive.write(folder / name, arcname=f"alsrx-research/{name}")
    return summary


class _Writers:
    """One CSV writer per table, each with the codebook's columns."""

    def __init__(self, directory: Path, *, shifted: bool) -> None:
        self.files: dict[str, IO[str]] = {}
        self.writers: dict[str, Callable[[list[Any]], Any]] = {}
        self.names: dict[str, tuple[str, ...]] = {}
        self.counts: dict[str, int] = {}
        for table in book.TABLES:
            names = tuple(c.name for c in book.columns(table, shifted=shifted))
            handle = (directory / table.file).open("w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow(names)
            self.files[table.file], self.writers[table.file] = handle, writer.writerow
            self.names[table.file], self.counts[table.file] = names, 0

    def write(self, table: book.Table, row: Mapping[str, Any]) -> None:
        """A row in the codebook's column order; an absent or None value is an empty cell."""
        get = row.get
        self.writers[table.file](
            ["" if (v := get(n)) is None else v for n in self.names[table.file]]
        )
        self.counts[table.file] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def _write_tables(
    session: Session,
    scope: dataset.Scope,
    members: list[dataset.Member],
    directory: Path,
    *,
    shifted: bool,
) -> dict[str, int]:
    out = _Writers(directory, shifted=shifted)
    try:
        visits = dataset.assessments(session, scope)
        plans, weeks, skipped = dataset.exposure(session, scope)
        alerts = dataset.alerts(session, scope)
        for m in members:
            out.write(book.PATIENTS, m.row)
            for table, row in dataset.visit_rows(m, visits.take(m.patient_id)):
                out.write(table, row)
            rows = dataset.exposure_rows(
                m,
                plans.take(m.patient_id),
                weeks.take(m.patient_id),
                skipped.take(m.patient_id),
                today=scope.today,
            )
            for row in rows:
                out.write(book.EXPOSURE, row)
            for row in dataset.alert_rows(m, alerts.take(m.patient_id)):
                out.write(book.ALERTS, row)
    finally:
        out.close()
    return out.counts


def _write_codebook(path: Path, lang: str, *, shifted: bool) -> None:
    _ = translator(lang)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "column", "unit", "description", "codes", "naming"])
        for table in book.TABLES:
            writer.writerow([table.file, "", "", _(table.description), "", ""])
            for c in book.columns(table, shifted=shifted):
                writer.writerow([table.file, c.name, c.unit, _(c.description), c.codes, c.naming])


def _manifest(summary: ExportSummary, options: ExportOptions) -> str:
    body = {
        "alsrx_version": __version__,
        "exported_on": options.today.isoformat(),
        "time_axis": "days from symptom onset (PRO-ACT-style delta days; 0 = onset)",
        "date_shift": "per patient, 0-364 days back" if summary.shifted else "none",
        "k_anonymity": {
            "k": options.k,
            "smallest_group": summary.smallest_group,
            "quasi_identifiers": list(QUASI_IDENTIFIERS),
        },
        "patients": summary.patients,
        "rows": dict(summary.rows),
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
