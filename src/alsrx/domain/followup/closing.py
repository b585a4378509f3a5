"""Which open alerts close themselves, on what, and why: the one rule (services/alerts.py
does the closing and audits it as the system's).

An alert closes when the rule that raised it, run again on newer facts, no longer finds its
cause (alsrx default: no source covers alert handling; a clinician can still resolve any alert
by hand, and one that closed comes back when its rule finds the cause again):

- reassessment_due / reassessment_overdue / assessment_missing: a current assessment recorded
  since, so that the reassessment rule no longer finds the code (a corrected visit of long ago
  does not close a due reassessment; an overdue one replaces the due one);
- adherence_low: the scan finds rolling adherence back at or above the threshold (not merely
  unknown, as in a plan's first week);
- missed_streak / no_sessions_logged: a session logged that was not skipped, or the scan no
  longer finds them;
- an alert raised from an assessment that has since been corrected: the corrected version does
  not raise it again with the same severity (the same finding stays open, never twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from alsrx.domain.followup.model import Completion, Signal


class Reason(StrEnum):
    """Why the system closed an alert (stored in the audit and the alert's resolution)."""

    REASSESSED = "reassessed"
    ADHERENCE_RECOVERED = "adherence_recovered"
    SESSION_LOGGED = "session_logged"
    NO_LONGER_FOUND = "no_longer_found"
    ASSESSMENT_CORRECTED = "assessment_corrected"


REASSESSMENT = frozenset({"reassessment_due", "reassessment_overdue", "assessment_missing"})
LOGGING = frozenset({"missed_streak", "no_sessions_logged"})
ADHERENCE = frozenset({"adherence_low"})
SCANNED = REASSESSMENT | LOGGING | ADHERENCE  # the scan's own codes, closed by the scan
SYSTEM_NOTE_PREFIX = "system:"


def note(reason: Reason) -> str:
    """The resolution note of a system closure: a code, put into words where it is shown."""
    return f"{SYSTEM_NOTE_PREFIX}{reason.value}"


def reason_of(resolution_note: str | None) -> Reason | None:
    """The reason of a system closure from its stored note; None for a clinician's note."""
    if not resolution_note or not resolution_note.startswith(SYSTEM_NOTE_PREFIX):
        return None
    code = resolution_note.removeprefix(SYSTEM_NOTE_PREFIX)
    return next((r for r in Reason if r.value == code), None)


def _codes(found: Iterable[Signal]) -> set[str]:
    return {s.code for s in found}


def after_assessment(
    open_codes: Iterable[str], reassessment: Iterable[Signal]
) -> dict[str, Reason]:
    """After an assessment is recorded or corrected: the reassessment codes that the
    reassessment rule, run from the newest current assessment, no longer finds."""
    still = _codes(reassessment)
    return {c: Reason.REASSESSED for c in open_codes if c in REASSESSMENT and c not in still}


def after_session(open_codes: Iterable[str], completed: Completion | str) -> dict[str, Reason]:
    """After a session is logged: a session done (in full or in part) ends a streak of skips
    and the silence."""
    if Completion(completed) is Completion.SKIPPED:
        return {}
    return {c: Reason.SESSION_LOGGED for c in open_codes if c in LOGGING}


def after_scan(
    open_codes: Iterable[str],
    found: Iterable[Signal],
    *,
    plan_active: bool,
    adherence: float | None,
    threshold: float,
) -> dict[str, Reason]:
    """After the daily scan: the scan's codes it no longer finds. Without an active plan the
    logging rules are not run, so their alerts stay for a clinician; low adherence closes only
    once adherence is known to be back at or above `threshold`."""
    still = _codes(found)
    closes: dict[str, Reason] = {}
    for code in open_codes:
        if code not in SCANNED or code in still:
            continue
        if code in REASSESSMENT:
            closes[code] = Reason.REASSESSED
        elif code in LOGGING and plan_active:
            closes[code] = Reason.NO_LONGER_FOUND
        elif code in ADHERENCE and plan_active and adherence is not None and adherence >= threshold:
            closes[code] = Reason.ADHERENCE_RECOVERED
    return closes


def after_correction(
    raised_from_old: Iterable[tuple[str, str]], corrected: Iterable[Signal]
) -> dict[str, Reason]:
    """Open alerts raised from the superseded version, as (code, severity): those the corrected
    version does not raise again with the same severity close; the rest stay open as they are,
    so one finding is never alerted twice."""
    again = {(s.code, s.severity.value) for s in corrected}
    return {
        code: Reason.ASSESSMENT_CORRECTED
        for code, severity in raised_from_old
        if (code, severity) not in again
    }
