"""When a session was performed, as the device says, and the day it counts for."""

import datetime as dt

import pytest

from alsrx.domain.followup import performed
from alsrx.errors import InvalidInput

BEIJING = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 3, 0, 10, tzinfo=BEIJING)  # ten past midnight in Beijing
DAYS = (dt.date(2026, 12, 3), dt.date(2026, 12, 2))  # today, then yesterday


def refusal(raw: str, now: dt.datetime = NOW) -> tuple[str, str, dict[str, object]]:
    with pytest.raises(InvalidInput) as caught:
        performed.day_of(performed.parse(raw), now=now, allowed_days=DAYS)
    (error,) = caught.value.errors
    return error.path, error.code, dict(error.params)


def test_a_tap_at_ten_to_midnight_sent_after_midnight_counts_for_the_day_before():
    moment = performed.parse("2026-12-02T23:50:00+08:00")
    assert performed.day_of(moment, now=NOW, allowed_days=DAYS) == dt.date(2026, 12, 2)


def test_the_day_is_the_one_on_the_patients_own_clock_not_utc():
    moment = performed.parse("2026-12-03T00:05:00+08:00")  # still 2 December in UTC
    assert performed.day_of(moment, now=NOW, allowed_days=DAYS) == dt.date(2026, 12, 3)


def test_a_moment_a_few_minutes_ahead_is_a_drifting_clock_and_accepted():
    ahead = (NOW + performed.CLOCK_SKEW).isoformat()
    assert performed.day_of(performed.parse(ahead), now=NOW, allowed_days=DAYS) == DAYS[0]


def test_a_moment_further_ahead_is_refused_with_the_latest_allowed():
    path, code, params = refusal("2026-12-03T00:16:00+08:00")
    assert (path, code) == ("performed_at", "moment_in_future")
    assert params["latest"] == "2026-12-03T00:15+08:00"


def test_three_days_ago_is_refused_naming_the_days_that_may_be_logged():
    path, code, params = refusal("2026-11-30T09:00:00+08:00")
    assert (path, code) == ("performed_at", "log_day")
    assert params["allowed"] == ("2026-12-03", "2026-12-02")


@pytest.mark.parametrize("raw", ["2026-12-03T09:00:00", "yesterday", "", "2026-13-01T00:00+08:00"])
def test_a_moment_without_its_offset_or_not_a_moment_is_refused(raw):
    with pytest.raises(InvalidInput) as caught:
        performed.parse(raw)
    assert [(e.path, e.code) for e in caught.value.errors] == [("performed_at", "bad_datetime")]
