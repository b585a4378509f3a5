"""Half a year of home follow-up through the services, on SQLite and PostgreSQL: patients who
do every planned session and rate it, with a clinician who approves every progress proposal,
reach each phase no earlier than the prescription's own schedule allows, one phase at a time.
A patient who only taps "done" is never progressed."""

import datetime as dt
import itertools

import pytest
from sqlalchemy import select
from tests.conftest import NORMAL_ITEMS
from tests.integration.test_followup_simulation import D0, Clinic

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup import plan as plan_mod
from alsrx.services import followup, home_weeks, prescriptions

WEEKS = 26
PATIENTS = {
    "walking, strong legs": {},
    "weaker arms, resistance work": {
        "mrc": {
            "shoulder_abduction_left": 4,
            "shoulder_abduction_right": 4,
            "elbow_flexion_left": 4,
            "elbow_flexion_right": 4,
            "knee_extension_left": 4,
            "knee_extension_right": 5,
        }
    },
    "slower walker": {
        "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3, q9_climbing_stairs=2),
        "mrc": {"hip_flexion_left": 4, "hip_flexion_right": 4},
    },
}


def _active(clinic, day):
    with transaction(clinic.factory, write=False) as s:
        row, plan = followup.active_plan(s, clinic.pid, today=day)
        return dict(row.content), plan


def _live(clinic, *, rated):
    """Every day: the sessions the plan asks for that day; weekly scans; every progress
    proposal approved the day it appears. Returns {phase week: day entered} and the original
    schedule's phase starts."""
    original, _ = _active(clinic, D0)
    entered = {int(original.get("current_week", 1)): 0}
    for offset in range(WEEKS * 7):
        day = D0 + dt.timedelta(days=offset)
        _content, plan = _active(clinic, day)
        for c in plan.components:
            every = max(1, 7 // max(c.sessions_per_week_min, 1))
            if c.sessions_per_week_min and offset % every == 0:
                extra = {"rpe": 12, "fatigue_recovery_min": 5} if rated else {}
                clinic.log(day, component=c.type, **extra)
        if offset % 7 == 6:
            clinic.scan(day)
        for kind, proposed in clinic.proposals():
            if kind == "progress":
                clinic.approve_latest_proposal(day)
                entered.setdefault(int(proposed["current_week"]), offset)
    return entered, plan_mod.phase_starts(original)


@pytest.mark.parametrize("kind", sorted(PATIENTS))
def test_half_a_year_of_rated_sessions_reaches_each_phase_no_earlier_than_planned(factory, kind):
    clinic = Clinic(factory)
    clinic.assess(D0, **PATIENTS[kind])
    clinic.start_plan(D0)
    entered, starts = _live(clinic, rated=True)
    assert set(entered) <= set(starts) | {1}
    for week, day in entered.items():
        assert day >= 7 * (week - 1), f"phase of week {week} entered on day {day}"
    ordered = sorted(entered.items())
    for (week_a, day_a), (week_b, day_b) in itertools.pairwise(ordered):
        assert day_b - day_a >= 7 * (week_b - week_a)
    assert max(entered) == max(starts)  # and the target phase is reached within the half year


def test_half_a_year_of_one_tap_logs_never_progresses_the_plan(factory):
    clinic = Clinic(factory)
    clinic.assess(D0)
    clinic.start_plan(D0)
    entered, _ = _live(clinic, rated=False)
    assert list(entered) == [1]
    with transaction(clinic.factory, write=False) as s:
        rx = prescriptions.active(s, clinic.pid)
        assert rx.content["current_week"] == 1
        assert home_weeks.rating_wanted(s, clinic.pid, today=D0 + dt.timedelta(weeks=WEEKS))
        origins = s.scalars(select(models.Prescription.origin)).all()
    assert "proposal:progress" not in origins
