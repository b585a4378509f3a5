"""A FHIR import's report in words (the CLI prints it; the API returns its codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alsrx.i18n import N_, translator

OUTCOMES = {
    "imported": N_("imported"),
    "duplicate": N_("duplicate, not stored again"),
    "skipped": N_("skipped"),
}
REASONS = {
    "context": N_("context: read, not stored"),
    "derived": N_("a value alsrx derives itself"),
    "session_log": N_("a session log, not an assessment"),
    "patient_record": N_("belongs to the patient's record, not to a visit"),
    "already_imported": N_("imported before"),
    "duplicate_in_bundle": N_("the same record appears earlier in the bundle"),
    "another_patient": N_("about another patient of the bundle: not this patient's"),
}


def lines(report: Mapping[str, Any], lang: str) -> list[str]:
    """A summary line, then one line per entry: "entry[3] Observation: skipped (why)"."""
    _ = translator(lang)
    counts = report["counts"]
    head = _(
        "{assessments} assessments created; {imported} entries imported, {duplicate} "
        "duplicates, {skipped} skipped"
    ).format(**counts)
    found = [head]
    for entry in report["entries"]:
        words = OUTCOMES[entry["outcome"]]  # marked above with N_; a literal in _() is a key
        reason = REASONS.get(entry.get("reason") or "")
        why = f" ({_(reason)})" if reason else ""
        target = f" -> {entry['assessment_id']}" if entry.get("assessment_id") else ""
        found.append(f"  entry[{entry['entry']}] {entry['resourceType']}: {_(words)}{why}{target}")
    return found
