"""Taking back a logged session: who may, and for how long.

alsrx default (no source sets it): a session may be undone within UNDO_WINDOW of being logged,
by whoever logged it or by a clinician of the patient's centre; long enough for a tap on the
wrong card or a second tap noticed at once, short enough that the week's record a clinician
has read does not change under them. An undone log is kept and marked, never deleted, and
counts nowhere (adherence, the week's tallies, the rules).
"""

from __future__ import annotations

import datetime as dt

UNDO_WINDOW = dt.timedelta(minutes=30)
UNDO_WINDOW_MIN = int(UNDO_WINDOW.total_seconds() // 60)


def within_window(logged_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a log made at `logged_at` may still be undone at `now` (both aware)."""
    return now - logged_at <= UNDO_WINDOW


def may_undo(*, logged_by: int, actor_id: int, actor_role: str) -> bool:
    """Whoever logged the session, or a clinician (whose reach the caller has checked)."""
    return logged_by == actor_id or actor_role == "clinician"
