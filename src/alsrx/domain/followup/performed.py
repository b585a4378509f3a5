"""When a session was performed, as the patient's device recorded it, and the day it counts for.

A phone offline keeps a tap for hours before it reaches the server (web/static/outbox.js), so
the moment of the tap travels with the log (`performed_at`, ISO 8601 with its UTC offset) and
the log counts for the local day of that moment, not for the day it arrived: a tap at 23:50
sent at 00:10 is yesterday's session.

Bounds (alsrx defaults):
- not later than now plus CLOCK_SKEW: a phone's clock may run a little ahead of the server's,
  a moment further ahead is a wrong clock or a forged entry;
- its local day must be a day the patient may log for (today.loggable_days: today or
  yesterday); older sessions are entered by the clinician, who can ask what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from alsrx.errors import FieldError, InvalidInput

FIELD = "performed_at"
CLOCK_SKEW = dt.timedelta(minutes=5)  # alsrx default: phone clocks drift by minutes, not hours
MAX_LENGTH = 40


def parse(raw: object) -> dt.datetime:
    """An ISO 8601 date and time with its UTC offset ("2026-12-03T09:30:00+08:00"); a moment
    without an offset could be any of 26 hours, so it is refused."""
    text = raw.strip() if isinstance(raw, str) else ""
    try:
        moment = dt.datetime.fromisoformat(text) if 0 < len(text) <= MAX_LENGTH else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise InvalidInput([FieldError(FIELD, "bad_datetime", {})])
    return moment


def day_of(performed: dt.datetime, *, now: dt.datetime, allowed_days: Sequence[dt.date]) -> dt.date:
    """The local day `performed` counts for, once it is within bounds (see the module's note);
    `allowed_days`: the days the patient may log for, today first."""
    latest = now + CLOCK_SKEW
    if performed > latest:
        shown = latest.astimezone(performed.tzinfo).isoformat(timespec="minutes")
        raise InvalidInput([FieldError(FIELD, "moment_in_future", {"latest": shown})])
    day = performed.date()  # the day on the patient's own clock, in the offset it was sent with
    if day not in allowed_days:
        allowed = tuple(d.isoformat() for d in allowed_days)
        raise InvalidInput([FieldError(FIELD, "log_day", {"allowed": allowed})])
    return day
