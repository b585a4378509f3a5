"""How often a person with ALS is reassessed: the one owner of the interval.

The prescription states it (`review_after_weeks`, from EngineSettings) and the follow-up
reminder and the centre dashboard count from it, so a programme, its reminder and the list a
clinician scans cannot disagree about when the next assessment is due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Reassess ALSFRS-R and FVC every 3 months (rec-reassess-3-months; R09). Three months are 13
# weeks (91 days, a month being 365.25 / 12 days): the reminder has always fallen due on day 91.
EVERY_WEEKS = 13
# A reassessment not done a month after it fell due is overdue (alsrx default: no source sets
# a grace period; 4 weeks is one ordinary clinic booking cycle).
OVERDUE_AFTER_EXTRA_WEEKS = 4


@dataclass(frozen=True)
class Due:
    days_since: int | None  # None: never assessed
    due: bool
    overdue: bool


def due(last: dt.date | None, *, today: dt.date, every_weeks: int = EVERY_WEEKS) -> Due:
    """Whether the next reassessment is due (or overdue) on `today`; never assessed is both
    due and, having no date to count from, not yet overdue."""
    if last is None:
        return Due(None, due=True, overdue=False)
    days = (today - last).days
    return Due(
        days,
        due=days >= 7 * every_weeks,
        overdue=days >= 7 * (every_weeks + OVERDUE_AFTER_EXTRA_WEEKS),
    )
