"""Follow-up rules on plain values, with time passed in."""

import datetime as dt

from alsrx.domain import reassessment
from alsrx.domain.followup import adherence, course, proposals, signals
from alsrx.domain.followup.model import Completion, Plan, PlannedComponent, SessionLog, Severity
from alsrx.domain.followup.params import FollowupSettings
from alsrx.domain.prescription.params import LIMITS, EngineSettings

S = FollowupSettings()
START = dt.date(2026, 1, 5)  # a Monday
AEROBIC = PlannedComponent("aerobic", 3, 3, 15, 30, 140, 110, 13)
PLAN = Plan("rx", START, (AEROBIC,))


def log(day, **kw):
    base = {
        "date": START + dt.timedelta(days=day),
        "component": "aerobic",
        "completed": Completion.DONE,
    }
    return SessionLog(**(base | kw))


def test_red_flags_are_urgent_and_tell_the_patient_to_stop():
    found = signals.for_session(log(1, symptoms=("chest_pain",)), [], PLAN, S)
    assert [(x.code, x.severity, x.tells_patient_to_stop) for x in found] == [
        ("red_flag", Severity.URGENT, True)
    ]


def test_fatigue_beyond_15_minutes_warns_and_a_repeat_asks_for_a_step_down():
    first = signals.fatigue(log(1, fatigue_recovery_min=20), [], PLAN, S)
    earlier = [log(1, fatigue_recovery_min=20)]
    again = signals.fatigue(log(8, fatigue_recovery_min=25), earlier, PLAN, S)
    assert [x.code for x in first] == ["fatigue_prolonged"]
    assert [x.code for x in again] == ["fatigue_repeated"]
    assert signals.fatigue(log(1, fatigue_recovery_min=15), [], PLAN, S) == []


def test_heart_rate_above_the_ceiling_and_rpe_above_target_warn():
    codes = [x.code for x in signals.intensity(log(1, max_hr_bpm=150, rpe=15), PLAN)]
    assert codes == ["hr_above_ceiling", "rpe_above_target"]


def test_adherence_counts_planned_against_done_per_week():
    logs = [log(d) for d in (0, 2, 4, 7, 9)] + [
        log(11, completed=Completion.SKIPPED, skip_reason="ill")
    ]
    today = START + dt.timedelta(days=14)
    assert adherence.rolling(PLAN, logs, today=today, weeks=2) == 5 / 6
    rows = adherence.tally(logs, planned=lambda monday, kind: 3)
    assert [(r.planned, r.credited) for r in rows.values()] == [(3, 3), (3, 2)]


def test_low_adherence_a_missed_streak_and_silence_are_flagged():
    logs = [log(0)] + [log(d, completed=Completion.SKIPPED, skip_reason="tired") for d in (2, 4, 7)]
    codes = {
        x.code for x in adherence.signals(PLAN, logs, today=START + dt.timedelta(days=28), s=S)
    }
    assert codes == {"adherence_low", "missed_streak", "no_sessions_logged"}


def derived(total=44, kings="1", mitos=0, category="slow", fvc=90.0, walking=3, on="2026-01-05"):
    return {
        "assessment_date": on,
        "alsfrs_r": {"total": total, "items": {"q8_walking": walking}},
        "kings_stage": kings,
        "mitos_stage": mitos,
        "progression": {"category": category},
        "fvc": {"percent_predicted": fvc},
    }


def test_reassessment_is_due_after_3_months_and_overdue_after_17_weeks():
    last = dt.date(2026, 1, 1)
    assert course.reassessment(last, today=last + dt.timedelta(days=90), s=S) == []
    assert (
        course.reassessment(last, today=last + dt.timedelta(days=91), s=S)[0].code
        == "reassessment_due"
    )
    assert (
        course.reassessment(last, today=last + dt.timedelta(days=119), s=S)[0].code
        == "reassessment_overdue"
    )


def test_a_reassessment_that_changes_the_picture():
    later = derived(
        total=38, kings="2", category="intermediate", fvc=60, walking=1, on="2026-04-06"
    )
    found = course.change(derived(), later, s=S)
    codes = {x.code for x in found}
    assert codes == {
        "alsfrs_r_decline",
        "fvc_decline",
        "kings_stage_changed",
        "progression_category_changed",
        "fvc_low",
        "walking_lost",
    }
    assert course.changes_the_picture(found)
    assert not course.changes_the_picture(course.change(derived(), derived(total=43), s=S))


def test_decisions_in_order_of_urgency():
    from alsrx.domain.followup.model import Signal

    red = Signal("red_flag", Severity.URGENT, ())
    tired = Signal("fatigue_repeated", Severity.WARNING, ())
    today = START + dt.timedelta(days=28)
    good = [log(d, rpe=12) for d in range(0, 28, 2)]
    plan = Plan("rx", START, (AEROBIC,), week=4, calendar_week=5, next_phase_week=5)
    decide = proposals.decide
    assert decide(plan, good, [red, tired], today=today, represcribe=True, s=S).kind == "pause"
    assert decide(plan, good, [tired], today=today, represcribe=True, s=S).kind == "represcribe"
    assert decide(plan, good, [tired], today=today, represcribe=False, s=S).kind == "step_down"
    assert decide(plan, good, [], today=today, represcribe=False, s=S).kind == "progress"
    assert decide(plan, good[:2], [], today=today, represcribe=False, s=S) is None


CONTENT = {
    "status": "ok",
    "current_week": 1,
    "components": [
        {
            "type": "aerobic",
            "sessions_per_week": {"min": 2, "max": 3},
            "minutes_per_session": {"min": 15, "max": 30},
            "intensity": {
                "hr_bpm": {"min": 110, "max": 140},
                "rpe": {"min": 11, "max": 13},
                "percent_mep": None,
            },
            "modalities": ["walking"],
            "muscle_groups": [],
            "progression": [
                {
                    "weeks": {"from": 1, "to": 4},
                    "sessions_per_week": {"min": 2, "max": 3},
                    "minutes_per_session": {"min": 15, "max": 15},
                },
                {
                    "weeks": {"from": 5, "to": 8},
                    "sessions_per_week": {"min": 2, "max": 3},
                    "minutes_per_session": {"min": 15, "max": 20},
                },
            ],
        },
        {
            "type": "flexibility",
            "sessions_per_week": {"min": 7, "max": 14},
            "minutes_per_session": {"min": 10, "max": 20},
            "intensity": {},
            "modalities": [],
            "muscle_groups": [],
        },
    ],
}


def test_progress_moves_to_the_next_phase_and_step_down_moves_back_or_shortens():
    ahead = proposals.progress(CONTENT, 2)
    assert ahead["current_week"] == 5
    assert proposals.diff(CONTENT, ahead) == [{"path": "current_week", "old": 1, "new": 5}]
    back = proposals.step_down(ahead, 6)
    assert back["current_week"] == 1
    shorter = proposals.step_down(CONTENT, 2)
    aerobic = shorter["components"][0]
    assert aerobic["sessions_per_week"]["max"] == 2 and aerobic["minutes_per_session"]["max"] == 22
    assert shorter["components"][0]["progression"][0]["minutes_per_session"]["max"] == 15


def test_a_pause_keeps_only_range_of_motion():
    paused = proposals.pause(CONTENT)
    assert [c["type"] for c in paused["components"]] == ["flexibility"] and paused["paused"]
    assert {"path": "components.aerobic", "old": "present", "new": None} in proposals.diff(
        CONTENT, paused
    )


def test_the_prescription_and_the_reminder_read_one_reassessment_interval():
    # rec-reassess-3-months: three months are 13 weeks, so the first day due is day 91.
    assert EngineSettings().review_after_weeks == reassessment.EVERY_WEEKS == 13
    assert LIMITS["review_after_weeks"][1] == reassessment.EVERY_WEEKS
    last = dt.date(2026, 1, 1)
    on_day_91 = course.reassessment(last, today=last + dt.timedelta(days=91), s=S)
    assert [x.code for x in on_day_91] == ["reassessment_due"]


def test_a_shorter_prescribed_interval_makes_the_reassessment_due_sooner():
    last = dt.date(2026, 1, 1)
    assert course.reassessment(last, today=last + dt.timedelta(days=55), s=S, every_weeks=8) == []
    due = course.reassessment(last, today=last + dt.timedelta(days=56), s=S, every_weeks=8)
    assert [x.code for x in due] == ["reassessment_due"]
    late = course.reassessment(last, today=last + dt.timedelta(weeks=12), s=S, every_weeks=8)
    assert [x.code for x in late] == ["reassessment_overdue"]


def test_never_assessed_is_due_but_not_overdue():
    state = reassessment.due(None, today=dt.date(2026, 1, 1))
    assert state.due and not state.overdue and state.days_since is None


def test_planned_sessions_a_week_are_the_sum_of_each_components_minimum():
    components = [{"sessions_per_week": {"min": 2, "max": 5}}, {"sessions_per_week": {"min": 7}}]
    assert adherence.planned_per_week(components) == 9
    assert adherence.planned_per_week([{"sessions_per_week": {"min": None}}]) == 0


def test_the_heart_rate_stop_rule_follows_the_phase_the_patient_is_in():
    from alsrx.domain.followup import plan

    content = {
        "components": [
            {
                "type": "aerobic",
                "progression": [
                    {"weeks": {"from": 1, "to": 4}, "hr_bpm": {"min": 110, "max": 124.6}},
                    {"weeks": {"from": 5, "to": 16}, "hr_bpm": {"min": 115, "max": 142.2}},
                ],
            }
        ],
        "stop_rules": [
            {"code": "stop_chest_pain", "params": {}},
            {
                "code": "stop_hr_above_phase_ceiling",
                "params": {"bpm": 124, "first_week": 1, "last_week": 4},
            },
        ],
    }
    week_9 = {r["code"]: r["params"] for r in plan.stop_rules_for_week(content, 9)}
    assert week_9["stop_hr_above_phase_ceiling"] == {"bpm": 142, "first_week": 5, "last_week": 16}
    assert week_9["stop_chest_pain"] == {}
    week_2 = {r["code"]: r["params"] for r in plan.stop_rules_for_week(content, 2)}
    assert week_2["stop_hr_above_phase_ceiling"]["bpm"] == 124
