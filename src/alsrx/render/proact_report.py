"""A PRO-ACT import's report in words, in the reader's language: which files were read, how many
rows each gave, and why the others were skipped (analytics/proact.py's reason codes)."""

from __future__ import annotations

from alsrx.analytics.proact import ImportReport
from alsrx.i18n import N_, translator

REASONS = {
    "missing": N_("no value in {column}"),
    "too_long": N_("{column} is too long"),
    "not_a_number": N_("{column} is not a number"),
    "not_whole": N_("{column} is not a whole number"),
    "out_of_range": N_("{column} is out of range"),
    "unknown_unit": N_("{column} names a unit this import does not know"),
    "not_one_of": N_("{column} holds a value this import does not know"),
    "both_5a_and_5b": N_("both item 5a and item 5b answered (dropped, as PRO-ACT practice is)"),
    "original_alsfrs_only": N_(
        "original ALSFRS only (no ALSFRS-R total and no respiratory items R1-R3): not mixed "
        "with ALSFRS-R"
    ),
    "incomplete_items": N_("no ALSFRS-R total, and not all twelve items to add up"),
    "no_values": N_("no value this import uses"),
    "duplicate_row": N_("repeats a row already read for the same subject and day"),
    "conflicting_visit": N_("{column} differs from another row of the same subject and day"),
    "conflicting_value": N_("{column} differs from another row of the same subject"),
    "before_onset": N_("{column} falls before symptom onset"),
    "no_visits": N_("the subject has no visit that was kept"),
}
OTHER_REASON = N_("other reason ({code})")


def reason_words(reason: str, lang: str) -> str:
    """A reason key ("code" or "code:column") in words."""
    _ = translator(lang)
    code, _sep, column = reason.partition(":")
    template = REASONS.get(code)
    if template is None:
        return _(OTHER_REASON).format(code=reason)
    return _(template).format(column=column)


def lines(report: ImportReport, *, name: str, replaced: bool, lang: str) -> list[str]:
    _ = translator(lang)
    out = [
        _("Reference cohort {name}: subjects {subjects}, visits {visits}").format(
            name=name, subjects=report.subjects, visits=report.visits
        )
    ]
    if report.visits_without_onset:
        out.append(
            _("  {n} visits without a known onset, kept in days from trial entry").format(
                n=report.visits_without_onset
            )
        )
    if replaced:
        out.append(_("  it replaces the earlier cohort of this name"))
    for file in report.files:
        if not file.read:
            out.append(_("{file}: not found, not read").format(file=file.file))
            continue
        out.append(
            _("{file}: {used} of {rows} rows used").format(
                file=file.file, used=file.used, rows=file.rows
            )
        )
        for reason, count in file.skipped.items():
            out.append(
                _("  {count} skipped: {reason}").format(
                    count=count, reason=reason_words(reason, lang)
                )
            )
    return out
