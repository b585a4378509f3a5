"""The clinic export's CSV files: stored rows (plain dicts, no database) to rows of the
codebook's columns (clinic_codebook.py), and those rows to CSV text.

Entered values come from what was entered (`data`), derived ones from the stored `derived`
document (render/assessment_json.py), never recomputed: the CSV says what the clinic saw.

The files open in a spreadsheet as they are: UTF-8 with a byte-order mark (Excel reads
Chinese text only with it), CRLF line ends (RFC 4180), and no cell a spreadsheet would run as
a formula: a text cell beginning with = + - @, a tab or a carriage return gets a leading
apostrophe (OWASP, "CSV Injection"). Numbers are written as numbers, a negative z-score
stays -1.2. Free text (notes, reasons, a skipped session's own words) is not exported: it may
name a person, and a clinic export identifies patients only by the centre's own code.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from alsrx.domain.followup import skips
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.scales import alsfrs_r
from alsrx.i18n import N_
from alsrx.interop import clinic_codebook as book

ENCODING = "utf-8-sig"  # the BOM first: Excel then reads the file as UTF-8
LINE_END = "\r\n"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"
Row = dict[str, Any]
Gettext = Callable[[str], str]


def cell(value: Any) -> str | int | float:
    """One value as written: numbers as they are, booleans 1/0, dates ISO, None empty, text
    guarded against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def utc_iso(value: dt.datetime) -> str:
    """A timestamp in UTC, to the second: 2026-11-26T09:30:00Z. (SQLite hands back naive
    datetimes; alsrx stores UTC, so a naive value is UTC.)"""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def codes(values: Iterable[Any] | None) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values or ())


class Writer:
    """Writes one file's header, then rows in the codebook's column order. A row with a column
    the codebook does not describe is refused: the codebook is the file's only definition."""

    def __init__(self, file: book.File, out: IO[str]) -> None:
        self.file, self.names = file, file.names
        self.known = frozenset(self.names)
        self.count = 0
        self._write = csv.writer(out, lineterminator=LINE_END).writerow
        self._write(self.names)

    def row(self, row: Mapping[str, Any]) -> None:
        unknown = row.keys() - self.known
        if unknown:
            raise ValueError(f"{self.file.name}: columns not in the codebook: {sorted(unknown)}")
        self._write([cell(row.get(n)) for n in self.names])
        self.count += 1


def write(file: book.File, rows: Iterable[Mapping[str, Any]], out: IO[str]) -> int:
    writer = Writer(file, out)
    for row in rows:
        writer.row(row)
    return writer.count


def codebook_rows(_: Gettext) -> Iterable[list[str]]:
    """codebook.csv in one language: a line per file, then a line per column."""
    yield ["file", "column", "type", "unit", "description", "codes"]
    for f in book.FILES:
        yield [f.name, "", "", "", _(f.description), ""]
        for c in f.columns:
            yield [f.name, c.name, c.type, c.unit, describe(c, _), code_words(c, _)]


def describe(column: book.Column, _: Gettext) -> str:
    params = {k: _(v) for k, v in column.params}
    return _(column.description).format(**params) if params else _(column.description)


def code_words(column: book.Column, _: Gettext) -> str:
    """`code = words` pairs separated by ` | `; a code that is its own word stands alone."""
    return " | ".join(c if c == w else f"{c} = {_(w)}" for c, w in column.codes)


def write_codebook(out: IO[str], _: Gettext) -> int:
    writer = csv.writer(out, lineterminator=LINE_END)
    n = 0
    for line in codebook_rows(_):
        writer.writerow([cell(v) for v in line])
        n += 1
    return n


def assessment_row(code: str, row: Mapping[str, Any]) -> Row:
    """A stored assessment version: id, series_id, version, is_current, date, entered_as,
    confirmed_at, created_at, data (as entered), derived (the core's document)."""
    data, derived = row["data"], row["derived"]
    frs = derived.get("alsfrs_r") or {}
    return {
        "patient_code": code,
        "assessment_id": row["id"],
        "series_id": row["series_id"],
        "version": row["version"],
        "is_current": row["is_current"],
        "date": row["date"],
        "entered_as": row["entered_as"],
        "confirmed_at": row.get("confirmed_at"),
        "created_at": row.get("created_at"),
        **_frs(data.get("alsfrs_r") or {}, frs),
        **_stages(derived),
        **_measured(data),
        **_derived_measures(derived),
        **{f"mrc_{k}": (data.get("mrc") or {}).get(k) for k in MRC_KEYS},
    }


def _frs(entered: Mapping[str, Any], frs: Mapping[str, Any]) -> Row:
    items = frs.get("items") or entered
    return {
        "alsfrs_r_mode": frs.get("mode") or entered.get("mode"),
        **{k: items.get(k) for k in alsfrs_r.ALL_ITEM_KEYS},
        "gastrostomy": frs.get("gastrostomy"),
        "alsfrs_r_total": frs.get("total"),
        "alsfrs_r_bulbar": frs.get("bulbar"),
        "alsfrs_r_fine_motor": frs.get("fine_motor"),
        "alsfrs_r_gross_motor": frs.get("gross_motor"),
        "alsfrs_r_respiratory": frs.get("respiratory"),
    }


def _stages(derived: Mapping[str, Any]) -> Row:
    progression = derived.get("progression") or {}
    return {
        "kings_stage": derived.get("kings_stage"),
        "mitos_stage": derived.get("mitos_stage"),
        "delta_frs_per_month": progression.get("delta_frs_per_month"),
        "progression_category": progression.get("category"),
        "progression_cutoffs": (progression.get("cutoffs") or {}).get("id"),
        "months_since_onset": progression.get("months_since_onset"),
    }


def _measured(data: Mapping[str, Any]) -> Row:
    cpet = data.get("cpet") or {}
    return {
        "fvc_l": data.get("fvc_l"),
        "six_minute_walk_m": data.get("six_minute_walk_m"),
        "resting_hr_bpm": data.get("resting_hr_bpm"),
        "cpet_peak_hr_bpm": cpet.get("peak_hr_bpm"),
        "cpet_anaerobic_threshold_hr_bpm": cpet.get("anaerobic_threshold_hr_bpm"),
        "cpet_vo2peak_ml_kg_min": cpet.get("vo2peak_ml_kg_min"),
        "cpet_peak_work_w": cpet.get("peak_work_w"),
        "mep_cmh2o": data.get("mep_cmh2o"),
        "mip_cmh2o": data.get("mip_cmh2o"),
        "snip_cmh2o": data.get("snip_cmh2o"),
        "weight_kg": data.get("weight_kg"),
    }


def _derived_measures(derived: Mapping[str, Any]) -> Row:
    fvc = derived.get("fvc") or {}
    walk = derived.get("six_minute_walk") or {}
    hr = derived.get("heart_rate") or {}
    return {
        "fvc_predicted_l": fvc.get("predicted_l"),
        "fvc_percent_predicted": fvc.get("percent_predicted"),
        "fvc_z_score": fvc.get("z_score"),
        "fvc_lln_l": fvc.get("lln_l"),
        "fvc_below_lln": fvc.get("below_lln"),
        "six_minute_walk_predicted_m": walk.get("predicted_m"),
        "six_minute_walk_percent_predicted": walk.get("percent_predicted"),
        "hr_max_bpm": hr.get("max_bpm"),
        "hr_max_source": hr.get("max_source") if hr.get("max_bpm") is not None else None,
        "bmi_kg_m2": derived.get("bmi"),
        "bmi_class_who": derived.get("bmi_class_who"),
    }


def prescription_row(code: str, row: Mapping[str, Any]) -> Row:
    """A stored prescription version: id, version, status, origin, supersedes_id,
    assessment_id, created_at, created_by, approved_at, approved_by, approved_by_username,
    starts_on, planned_per_week, content (the stored document)."""
    content = row["content"] or {}
    origin = row["origin"] or ""
    kind = origin.removeprefix("proposal:").removesuffix("+edited")
    return {
        "patient_code": code,
        "prescription_id": row["id"],
        "version": row["version"],
        "status": row["status"],
        "engine_status": content.get("status"),
        "origin": origin,
        "proposal_kind": kind if origin.startswith("proposal:") else None,
        "supersedes_id": row.get("supersedes_id"),
        "assessment_id": row.get("assessment_id"),
        "created_at": row.get("created_at"),
        "created_by_user_id": row.get("created_by"),
        "approved_at": row.get("approved_at"),
        "approved_by_user_id": row.get("approved_by"),
        "approved_by_username": row.get("approved_by_username"),
        "starts_on": row.get("starts_on"),
        "planned_sessions_per_week": row.get("planned_per_week"),
        "components": codes(c.get("type") for c in content.get("components") or ()),
        "review_after_weeks": content.get("review_after_weeks"),
    }


def component_rows(code: str, row: Mapping[str, Any]) -> Iterable[Row]:
    """One row per component of a stored prescription version (same keys as prescription_row)."""
    head = {
        "patient_code": code,
        "prescription_id": row["id"],
        "version": row["version"],
        "status": row["status"],
    }
    for c in (row["content"] or {}).get("components") or ():
        intensity = c.get("intensity") or {}
        yield {
            **head,
            "component": c.get("type"),
            **_span("sessions_per_week", c.get("sessions_per_week")),
            **_span("minutes_per_session", c.get("minutes_per_session")),
            **_span("hr", intensity.get("hr_bpm")),
            "hr_basis": intensity.get("hr_basis"),
            **_span("percent_hrr", intensity.get("percent_hrr")),
            **_span("rpe", intensity.get("rpe")),
            **_span("percent_mep", intensity.get("percent_mep")),
            "device_pressure_cmh2o": intensity.get("device_pressure_cmh2o"),
            "load": intensity.get("load"),
            **_span("sets", c.get("sets")),
            **_span("repetitions", c.get("repetitions")),
            **_span("rest_seconds", c.get("rest_seconds")),
            "setting": c.get("setting"),
            "requires_clinician_review": c.get("requires_clinician_review"),
            "exercises": codes(e.get("id") for e in c.get("exercises") or ()),
        }


def _span(name: str, span: Mapping[str, Any] | None) -> Row:
    span = span or {}
    return {f"{name}_min": span.get("min"), f"{name}_max": span.get("max")}


def session_row(code: str, row: Mapping[str, Any]) -> Row:
    """A stored session log (the session_logs table's columns; `planned` its target)."""
    planned = row.get("planned") or {}
    skipped = row["completed"] == "skipped"
    return {
        "patient_code": code,
        "session_id": row["id"],
        "prescription_id": row["prescription_id"],
        "date": row["date"],
        "component": row["component"],
        "completed": row["completed"],
        # A code, never the patient's words (the API takes free text): followup/skips.py.
        "skip_reason": skips.code_of(row.get("skip_reason")) if skipped else None,
        "duration_min": row.get("duration_min"),
        "avg_hr_bpm": row.get("avg_hr_bpm"),
        "max_hr_bpm": row.get("max_hr_bpm"),
        "rpe": row.get("rpe"),
        "sets": row.get("sets"),
        "repetitions": row.get("reps"),
        "fatigue_recovery_min": row.get("fatigue_recovery_min"),
        "symptoms": codes(row.get("symptoms")),
        "planned_minutes_max": planned.get("minutes_max"),
        "planned_hr_min_bpm": planned.get("hr_min_bpm"),
        "planned_hr_max_bpm": planned.get("hr_max_bpm"),
        "planned_rpe_max": planned.get("rpe_max"),
        "planned_sets": planned.get("sets"),
        "planned_repetitions": planned.get("repetitions"),
        "filled_from_plan": row.get("filled_from_plan"),
        "entered_as": row.get("entered_as"),
        "created_at": row.get("created_at"),
        "undone_at": row.get("undone_at"),
    }


def alert_row(code: str, row: Mapping[str, Any]) -> Row:
    """A stored alert (the alerts table's columns)."""
    return {
        "patient_code": code,
        "alert_id": row["id"],
        "code": row["code"],
        "severity": row["severity"],
        "status": row["status"],
        "source": row.get("source"),
        "source_id": row.get("source_id"),
        "raised_on": row["raised_on"],
        "created_at": row.get("created_at"),
        "acknowledged_at": row.get("acknowledged_at"),
        "acknowledged_by_user_id": row.get("acknowledged_by"),
        "resolved_at": row.get("resolved_at"),
        "resolved_by_user_id": row.get("resolved_by"),
        "evidence": codes(_evidence_ids(row.get("evidence"))),
    }


def _evidence_ids(evidence: Iterable[Any] | None) -> Iterable[str]:
    for e in evidence or ():
        yield e.get("id", "") if isinstance(e, Mapping) else str(e)


README_TITLE = N_("alsrx clinic export")
README_LINES = (
    N_("Exported at (UTC): {exported_at}"),
    N_("alsrx version: {version}"),
    N_("Patients: {patients}"),
)
README_SCOPE = {"patient": N_("Patient code: {label}"), "centre": N_("Centre: {label}")}
README_ROWS = N_("{file}: {rows} rows")
README_RULES = (
    N_("Every column, its unit and its codes are described in codebook.csv."),
    N_(
        "Files are UTF-8 with a byte-order mark and CRLF line ends; dates are YYYY-MM-DD, "
        "times are UTC (YYYY-MM-DDTHH:MM:SSZ); an empty cell is a value not recorded; yes/no "
        "columns hold 1 or 0; lists are separated by ;."
    ),
    N_(
        "A text cell that begins with = + - or @ starts with an apostrophe, so that a "
        "spreadsheet does not run it as a formula."
    ),
    N_(
        "Patients are identified only by the centre's own code. Keep this file as you keep "
        "the clinic's records: it holds health data."
    ),
)


def readme(
    _: Gettext,
    *,
    exported_at: str,
    version: str,
    scope: str,
    label: str,
    patients: int,
    rows: Mapping[str, int],
) -> str:
    """README.txt: what was exported, when, by which alsrx, and how to read the files."""
    values = {"exported_at": exported_at, "version": version, "patients": patients}
    lines = [_(README_TITLE), "", _(README_SCOPE[scope]).format(label=label)]
    lines += [_(line).format(**values) for line in README_LINES]
    lines += ["", *(_(README_ROWS).format(file=f, rows=n) for f, n in rows.items()), ""]
    lines += [_(rule) for rule in README_RULES]
    return LINE_END.join(lines) + LINE_END
