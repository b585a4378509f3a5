"""Why sessions were skipped: low adherence asks, so its alert carries the answers given.

The patient's details page offers four reasons (too tired, unwell, no time, no helper today);
the API takes free text. Counts are kept by reason code, anything else as `other`, so an alert
stores codes and numbers, never a patient's words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from alsrx.domain.followup.model import Completion, SessionLog, Signal

REASONS = ("too tired", "unwell", "no time", "no helper today")
OTHER = "other"
ASKS_WHY = frozenset({"adherence_low", "missed_streak"})


def code_of(reason: str | None) -> str:
    text = (reason or "").strip().lower()
    return text if text in REASONS else OTHER


def counts(logs: Iterable[SessionLog], *, since: dt.date, until: dt.date) -> dict[str, int]:
    """Skipped sessions from `since` to `until` (both included) by reason code, in the order of
    REASONS (other last); reasons not given are left out."""
    found = Counter(
        code_of(g.skip_reason)
        for g in logs
        if g.completed is Completion.SKIPPED and since <= g.date <= until
    )
    return {code: found[code] for code in (*REASONS, OTHER) if found[code]}


def with_reasons(
    found: Sequence[Signal], logs: Iterable[SessionLog], *, today: dt.date, window_days: int
) -> list[Signal]:
    """The adherence signals that ask why, with the skip reasons of the last `window_days`
    (through today) in their data as `skip_reasons`; other signals unchanged."""
    if not any(s.code in ASKS_WHY for s in found):
        return list(found)
    since = today - dt.timedelta(days=window_days)
    reasons = counts(logs, since=since, until=today)
    return [
        dataclasses.replace(s, data={**s.data, "skip_reasons": reasons})
        if s.code in ASKS_WHY
        else s
        for s in found
    ]
