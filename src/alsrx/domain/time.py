"""Decimal ages and durations.

Reference equations take age in decimal years, computed as days / 365.25 (the convention of the
GLI-2012 software and of the ENCALS/TRICALS code; clinical-facts 2 and 7.4). A month is
365.25 / 12 days, the convention of the progression-rate literature (Kimura 2006 as coded by
ENCALS/TRICALS: months = days / 365.25 * 12).
"""

from __future__ import annotations

import datetime as dt

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def years_between(start: dt.date, end: dt.date) -> float:
    """Decimal years from start to end (negative when end precedes start)."""
    return (end - start).days / DAYS_PER_YEAR


def months_between(start: dt.date, end: dt.date) -> float:
    """Decimal months from start to end, a month being 365.25 / 12 days."""
    return (end - start).days / DAYS_PER_MONTH
