"""Progression at the evidence's pace: the next phase at its planned week at the earliest, only
on reported good tolerance, one phase at a time; a step down always changes the dose."""

import copy
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup import proposals
from alsrx.domain.followup.model import Completion, SessionLog
from alsrx.domain.followup.params import FollowupSettings

S = FollowupSettings()
START = dt.date(2026, 1, 5)  # a Monday
PHASES = ((1, 4, 15), (5, 8, 20), (9, 12, 25), (13, 16, 30))  # weeks from, to; minutes


def _step(first, last, minutes):
    return {
        "weeks": {"from": first, "to": last},
        "sessions_per_week": {"min": 3, "max": 3},
        "minutes_per_session": {"min": 15, "max": minutes},
        "hr_bpm": {"min": 100 + first, "max": 115 + first},
    }


CONTENT = {
    "current_week": 1,
    "settings": {"fatigue_limit_min": 15},
    "components": [
        {
            "type": "aerobic",
            "sessions_per_week": {"min": 3, "max": 3},
            "minutes_per_session": {"min": 15, "max": 30},
            "intensity": {"hr_bpm": {"min": 101, "max": 116}, "rpe": {"min": 11, "max": 13}},
            "modalities": ["walking"],
            "muscle_groups": [],
            "progression": [_step(*p) for p in PHASES],
        },
    ],
}


def rated(day, rpe=12, **kw):
    return SessionLog(START + dt.timedelta(days=day), "aerobic", Completion.DONE, rpe=rpe, **kw)


def one_tap(day):
    return SessionLog(START + dt.timedelta(days=day), "aerobic", Completion.DONE)


def _plan(content=CONTENT, started=START, day=0):
    return plan_mod.from_content(
        "rx", content, started_on=started, today=START + dt.timedelta(days=day)
    )


def _decide(logs, day, content=CONTENT, started=START):
    today = START + dt.timedelta(days=day)
    plan = _plan(content, started, day)
    return proposals.decide(plan, logs, [], today=today, represcribe=False, s=S)


def test_time_alone_does_not_move_the_plan_into_its_next_phase():
    plan = _plan(day=60)
    assert plan.week == 4 and plan.calendar_week == 9
    assert plan.component("aerobic").minutes_max == 15


def test_good_tolerance_before_the_planned_week_proposes_nothing():
    logs = [rated(d) for d in range(0, 27)]
    assert _decide(logs, 27) is None
    assert _decide([*logs, rated(27)], 28).kind == "progress"


def test_the_progress_proposal_moves_one_phase_only():
    content = proposals.progress(CONTENT, _plan(day=28).week)
    assert content["current_week"] == 5
    assert proposals.progress(content, 5)["current_week"] == 9


def test_one_tap_logs_are_not_good_tolerance_and_ask_for_a_rated_session():
    taps = [one_tap(d) for d in range(0, 35)]
    assert _decide(taps, 35) is None
    assert proposals.needs_rated_session(_plan(day=35), taps, today=START + dt.timedelta(35), s=S)
    with_one = [*taps, rated(34)]
    assert not proposals.needs_rated_session(
        _plan(day=35), with_one, today=START + dt.timedelta(35), s=S
    )
    assert _decide(with_one, 35) is None  # one rated session is not enough to progress on


def test_rated_sessions_above_the_effort_target_or_slow_recovery_block_progress():
    hard = [rated(d, rpe=15) for d in range(21, 35)]
    slow = [rated(d, fatigue_recovery_min=30) for d in range(21, 35)]
    assert _decide(hard, 35) is None and _decide(slow, 35) is None


def test_the_plans_own_fatigue_limit_judges_recovery():
    tighter = copy.deepcopy(CONTENT)
    tighter["settings"]["fatigue_limit_min"] = 5
    logs = [rated(d, fatigue_recovery_min=10) for d in range(21, 35)]
    assert _decide(logs, 35).kind == "progress"
    assert _decide(logs, 35, content=tighter) is None


def test_a_step_down_always_changes_the_dose():
    least = copy.deepcopy(CONTENT)
    for part in (least["components"][0], *least["components"][0]["progression"]):
        part["sessions_per_week"] = {"min": 1, "max": 1}
        part["minutes_per_session"] = {"min": 15, "max": 15}
    # Phase 1 is 3 x 15 min, already at the least minutes: a session fewer, then another.
    down = proposals.step_down(CONTENT, 2)
    assert down["components"][0]["progression"][0]["sessions_per_week"] == {"min": 2, "max": 2}
    fewer = proposals.step_down(down, 2)
    assert fewer["components"][0]["progression"][0]["sessions_per_week"] == {"min": 1, "max": 1}
    at_least = proposals.step_down(least, 2)
    assert at_least.get("paused") and proposals.diff(least, at_least)


DAY = st.tuples(
    st.sampled_from(["done", "partial", "skipped", "none"]),
    st.one_of(st.none(), st.integers(6, 20)),
    st.one_of(st.none(), st.integers(0, 60)),
    st.booleans(),  # the clinician approves whatever is proposed that day
)


@settings(max_examples=60, deadline=None)
@given(st.lists(DAY, min_size=30, max_size=200))
def test_no_log_stream_or_approvals_progress_faster_than_one_phase_per_phase_length(days):
    content, started, logs = copy.deepcopy(CONTENT), START, []
    entered = {1: 0}  # phase start week -> day the patient entered it
    for day, (done, rpe, recovery, approve) in enumerate(days):
        if done != "none":
            extra = {"rpe": rpe, "fatigue_recovery_min": recovery, "skip_reason": None}
            logs.append(SessionLog(START + dt.timedelta(day), "aerobic", Completion(done), **extra))
        decision = _decide(logs, day, content, started)
        if not (decision and approve):
            continue
        week = _plan(content, started, day).week
        if decision.kind == "progress":
            content, started = proposals.progress(content, week), START + dt.timedelta(day)
        elif decision.kind == "step_down":
            content, started = proposals.step_down(content, week), START + dt.timedelta(day)
        phase = max(w for w in plan_mod.phase_starts(content) if w <= content["current_week"])
        entered.setdefault(phase, day)
        previous = max(w for w in entered if w < phase) if phase > 1 else None
        if decision.kind == "progress" and previous is not None:
            assert day - entered[previous] >= 7 * (phase - previous)
        assert day >= 7 * (phase - 1)  # never before the planned week of the original schedule


def test_approving_every_progress_proposal_reaches_the_last_phase_at_its_planned_week():
    content, started, logs, entered = copy.deepcopy(CONTENT), START, [], {}
    for day in range(0, 26 * 7):
        logs.append(rated(day))
        decision = _decide(logs, day, content, started)
        if decision and decision.kind == "progress":
            content = proposals.progress(content, _plan(content, started, day).week)
            started = START + dt.timedelta(day)
            entered[content["current_week"]] = day
    assert entered == {5: 28, 9: 56, 13: 84}


def _sessions_planned(content, kind):
    return sum(
        (kind in d["components"]) + (kind in d.get("twice", ())) for d in content["weekly_schedule"]
    )


@pytest.mark.parametrize("change", ["step_down", "progress", "pause"])
def test_a_proposal_plans_its_week_from_its_own_dose_not_the_old_one(change):
    """A step down once kept the old plan's days: 2 a week on paper, 5 days in the week."""
    before = copy.deepcopy(CONTENT)
    before["weekly_schedule"] = [
        {"day": d, "components": ["aerobic"], "twice": [], "minutes_max": 30} for d in range(1, 8)
    ]
    after = {
        "step_down": lambda: proposals.step_down(before, 2),
        "progress": lambda: proposals.progress(before, 5),
        "pause": lambda: proposals.pause(before),
    }[change]()
    assert after is not None
    components = {c["type"]: c for c in after["components"]}
    if "aerobic" not in components:
        assert _sessions_planned(after, "aerobic") == 0
        return
    week = after["current_week"]
    step = max(
        (s for s in components["aerobic"]["progression"] if s["weeks"]["from"] <= week),
        key=lambda s: s["weeks"]["from"],
    )
    sessions = step["sessions_per_week"]
    assert sessions["min"] <= _sessions_planned(after, "aerobic") <= sessions["max"]
