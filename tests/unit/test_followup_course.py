"""The course changes the plan: a trained muscle losing antigravity strength, declines scaled to
the interval between visits, alerts that close when their cause goes away, low adherence that
asks why. Plain values, time passed in."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from alsrx.domain.followup import adherence, closing, course, signals, skips
from alsrx.domain.followup.model import Completion, Plan, PlannedComponent, SessionLog, Severity
from alsrx.domain.followup.params import FollowupSettings
from alsrx.domain.prescription.params import EngineSettings
from alsrx.evidence import base as evidence_base

S = FollowupSettings()
V1 = dt.date(2026, 1, 5)


def visit(on, total=44, fvc=90.0):
    return {
        "assessment_date": on.isoformat(),
        "alsfrs_r": {"total": total, "items": {"q8_walking": 3}},
        "kings_stage": "1",
        "mitos_stage": 0,
        "progression": {"category": "slow"},
        "fvc": {"percent_predicted": fvc},
    }


def course_of(days, *, total_from=44, total_to=44, fvc_from=90.0, fvc_to=90.0):
    before = visit(V1, total_from, fvc_from)
    after = visit(V1 + dt.timedelta(days=days), total_to, fvc_to)
    return {sig.code: sig for sig in course.change(before, after, s=S)}


# A stored prescription as the engine writes it: the resistance component lists the groups it
# trains (grade 3 or more at drafting), with the engine settings it was drafted to.
CONTENT = {
    "settings": {"antigravity_mrc": 3},
    "components": [
        {"type": "flexibility", "muscle_groups": []},
        {"type": "resistance", "muscle_groups": ["knee_extension_left", "elbow_flexion_right"]},
        {"type": "aerobic", "muscle_groups": []},
    ],
}


def mrc(previous, current, content=CONTENT):
    return course.mrc_decline(
        previous,
        current,
        trained=course.trained_groups(content),
        antigravity=course.antigravity_line(content),
    )


# -- MRC decline -------------------------------------------------------------------------------


def test_the_trained_groups_are_every_components_muscle_groups_once():
    twice = {"components": [*CONTENT["components"], {"muscle_groups": ["knee_extension_left"]}]}
    assert course.trained_groups(twice) == ("knee_extension_left", "elbow_flexion_right")
    assert course.trained_groups({"components": [{"type": "aerobic"}]}) == ()


def test_a_trained_muscle_falling_below_mrc_3_warns_and_redraws_the_plan():
    found = mrc({"knee_extension_left": 4}, {"knee_extension_left": 2})
    assert [(x.code, x.severity) for x in found] == [("mrc_below_antigravity", Severity.WARNING)]
    assert found[0].data == {
        "groups": [{"group": "knee_extension_left", "from": 4, "to": 2}],
        "below": 3,
    }
    assert course.changes_the_picture(found)


def test_mrc_3_is_still_antigravity_strength_and_does_not_warn():
    # G-paganoni-2015 / rec-resistance: no loading *without* antigravity strength (grade 3).
    assert mrc({"knee_extension_left": 4}, {"knee_extension_left": 3}) == []


def test_a_weak_muscle_the_plan_does_not_train_raises_nothing():
    assert mrc({"ankle_dorsiflexion_left": 3}, {"ankle_dorsiflexion_left": 1}) == []


def test_a_trained_muscle_not_tested_at_this_visit_raises_nothing():
    assert mrc({"knee_extension_left": 4}, {"elbow_flexion_left": 2}) == []
    assert mrc({"knee_extension_left": 4}, None) == []


def test_every_weak_trained_group_is_named_with_its_grades_from_and_to():
    found = mrc(None, {"knee_extension_left": 2, "elbow_flexion_right": 1})
    assert found[0].data["groups"] == [
        {"group": "knee_extension_left", "from": None, "to": 2},
        {"group": "elbow_flexion_right", "from": None, "to": 1},
    ]


def test_the_antigravity_line_is_the_one_the_plan_was_drafted_to():
    stricter = dict(CONTENT, settings={"antigravity_mrc": 4})
    assert mrc(None, {"knee_extension_left": 3}, stricter)[0].data["below"] == 4
    assert course.antigravity_line({"components": []}) == EngineSettings().antigravity_mrc == 3


def test_the_mrc_rule_cites_the_engines_antigravity_sources():
    (found,) = mrc(None, {"knee_extension_left": 2})
    assert {"rec-resistance", "G-paganoni-2015"} <= set(found.evidence)


# -- ALSFRS-R and FVC declines scaled to the interval -------------------------------------------


def test_the_same_alsfrs_r_drop_warns_over_one_month_and_not_over_twelve():
    month = course_of(30, total_from=44, total_to=40)["alsfrs_r_decline"]
    year = course_of(365, total_from=44, total_to=40)["alsfrs_r_decline"]
    assert month.severity is Severity.WARNING and year.severity is Severity.INFO
    assert month.data["days"] == 30 and year.data["days"] == 365


def test_four_alsfrs_r_points_at_the_3_month_reassessment_still_warn():
    # The old fixed rule (>= 4 points) at the 3-month interval of rec-reassess-3-months, whose
    # reminder falls due on day 91.
    assert course_of(91, total_from=44, total_to=40)["alsfrs_r_decline"].severity == "warning"
    assert course_of(91, total_from=44, total_to=41)["alsfrs_r_decline"].severity == "info"


def test_a_small_alsfrs_r_drop_over_a_short_interval_stays_below_the_floor():
    # 2 points in a week is 26 a quarter, but within the noise of re-rating two items.
    found = course_of(7, total_from=44, total_to=42)["alsfrs_r_decline"]
    assert found.severity is Severity.INFO
    assert course_of(7, total_from=44, total_to=41)["alsfrs_r_decline"].severity == "warning"


def test_no_alsfrs_r_drop_raises_no_decline():
    assert "alsfrs_r_decline" not in course_of(30, total_from=40, total_to=41)


def test_the_same_fvc_drop_warns_over_one_month_and_not_over_twelve():
    assert "fvc_decline" in course_of(30, fvc_from=95, fvc_to=85)
    assert "fvc_decline" not in course_of(365, fvc_from=95, fvc_to=85)
    found = course_of(30, fvc_from=95, fvc_to=85)["fvc_decline"]
    assert (found.severity, found.data["from"], found.data["to"]) == ("warning", 95, 85)


def test_an_fvc_drop_below_the_floor_does_not_warn_however_short_the_interval():
    assert "fvc_decline" not in course_of(1, fvc_from=95, fvc_to=91)
    assert "fvc_decline" in course_of(1, fvc_from=95, fvc_to=90)
    assert "fvc_decline" in course_of(1, fvc_from=95.3, fvc_to=90.3)  # 5 points, as shown


def test_the_absolute_fvc_thresholds_hold_whatever_the_interval():
    slow = course_of(365, fvc_from=66, fvc_to=64)
    assert "fvc_decline" not in slow and slow["fvc_low"].severity is Severity.WARNING
    assert course_of(365, fvc_from=51, fvc_to=49)["fvc_low"].severity is Severity.URGENT


def test_an_fvc_missing_at_either_visit_gives_no_decline():
    before, after = visit(V1, fvc=90), visit(V1 + dt.timedelta(days=30), fvc=None)
    assert course.change(before, after, s=S) == []
    assert [
        x.code for x in course.change(after, before | {"assessment_date": "2026-03-01"}, s=S)
    ] == []


def test_two_visits_on_one_day_count_as_one_day_apart():
    assert course.interval_days(visit(V1), visit(V1)) == 1


@given(
    drop=st.floats(min_value=0, max_value=48),
    shorter=st.integers(min_value=1, max_value=2000),
    extra=st.integers(min_value=0, max_value=2000),
)
def test_a_decline_that_does_not_warn_over_some_interval_never_warns_over_a_longer_one(
    drop, shorter, extra
):
    rule = {"per_3_months_from": 4.0, "floor": 3}
    if not course.fast_and_large(drop, shorter, **rule):
        assert not course.fast_and_large(drop, shorter + extra, **rule)


@given(drop=st.floats(min_value=0, max_value=2.999), days=st.integers(min_value=1, max_value=3))
def test_no_decline_below_the_floor_ever_warns(drop, days):
    assert not course.fast_and_large(drop, days, per_3_months_from=0.0, floor=3)


# -- alerts that close themselves --------------------------------------------------------------


def test_a_new_assessment_closes_the_reassessment_reminders():
    due = course.reassessment(V1, today=V1 + dt.timedelta(days=1), s=S)
    codes = ["reassessment_due", "reassessment_overdue", "assessment_missing", "fvc_low"]
    assert closing.after_assessment(codes, due) == {
        "reassessment_due": closing.Reason.REASSESSED,
        "reassessment_overdue": closing.Reason.REASSESSED,
        "assessment_missing": closing.Reason.REASSESSED,
    }


def test_an_assessment_that_leaves_the_reassessment_due_closes_nothing():
    # A corrected visit of long ago: the reassessment is still due, so its reminder stays.
    due = course.reassessment(V1, today=V1 + dt.timedelta(days=100), s=S)
    assert closing.after_assessment(["reassessment_due"], due) == {}


def test_a_session_done_or_partly_done_closes_the_streak_and_silence_alerts():
    codes = ["missed_streak", "no_sessions_logged", "adherence_low", "red_flag"]
    expected = {
        "missed_streak": closing.Reason.SESSION_LOGGED,
        "no_sessions_logged": closing.Reason.SESSION_LOGGED,
    }
    assert closing.after_session(codes, Completion.DONE) == expected
    assert closing.after_session(codes, "partial") == expected
    assert closing.after_session(codes, "skipped") == {}


def scan(codes, found, *, rate, plan_active=True):
    return closing.after_scan(
        codes, found, plan_active=plan_active, adherence=rate, threshold=S.adherence_threshold
    )


def test_low_adherence_closes_when_the_scan_finds_it_back_at_the_threshold():
    assert scan(["adherence_low"], [], rate=0.75) == {
        "adherence_low": closing.Reason.ADHERENCE_RECOVERED
    }
    assert scan(["adherence_low"], [], rate=0.74) == {}
    assert scan(["adherence_low"], [], rate=None) == {}  # unknown is not recovered


def test_the_scan_closes_what_it_no_longer_finds_and_keeps_what_it_finds():
    found = adherence.signals(PLAN, [], today=START + dt.timedelta(days=30), s=S)
    codes = ["missed_streak", "no_sessions_logged", "reassessment_due", "fatigue_repeated"]
    closes = scan(codes, found, rate=0.0)
    assert "no_sessions_logged" not in closes  # still nothing logged
    assert closes == {
        "missed_streak": closing.Reason.NO_LONGER_FOUND,
        "reassessment_due": closing.Reason.REASSESSED,
    }


def test_without_an_active_plan_the_logging_alerts_stay_for_a_clinician():
    closes = scan(["missed_streak", "adherence_low"], [], rate=None, plan_active=False)
    assert closes == {}


def test_a_corrected_visit_closes_the_findings_it_no_longer_shows_and_keeps_the_same_ones():
    from alsrx.domain.followup.model import Signal

    corrected = [
        Signal("fvc_low", Severity.WARNING, ()),
        Signal("alsfrs_r_decline", Severity.INFO, ()),
    ]
    old = [("fvc_low", "warning"), ("alsfrs_r_decline", "warning"), ("walking_lost", "warning")]
    assert closing.after_correction(old, corrected) == {
        "alsfrs_r_decline": closing.Reason.ASSESSMENT_CORRECTED,
        "walking_lost": closing.Reason.ASSESSMENT_CORRECTED,
    }


def test_a_system_closure_reads_back_its_reason_and_a_clinicians_note_has_none():
    assert closing.reason_of(closing.note(closing.Reason.REASSESSED)) is closing.Reason.REASSESSED
    assert closing.reason_of("called the patient, back on track") is None
    assert closing.reason_of("system:unknown") is None and closing.reason_of(None) is None


# -- low adherence asks why --------------------------------------------------------------------

START = dt.date(2026, 1, 5)  # a Monday
PLAN = Plan("rx", START, (PlannedComponent("aerobic", 3, 3, 15, 30, 140, 110, 13),))


def skipped(day, reason):
    return SessionLog(
        START + dt.timedelta(days=day), "aerobic", Completion.SKIPPED, skip_reason=reason
    )


def test_skip_reasons_are_counted_by_code_with_anything_else_as_other():
    logs = [
        skipped(1, "too tired"),
        skipped(2, "Too tired"),
        skipped(3, "no helper today"),
        skipped(4, "my cousin's wedding"),
        skipped(5, None),
        SessionLog(START + dt.timedelta(days=6), "aerobic", Completion.DONE),
    ]
    counts = skips.counts(logs, since=START, until=START + dt.timedelta(days=6))
    assert counts == {"too tired": 2, "no helper today": 1, "other": 2}
    assert list(counts) == ["too tired", "no helper today", "other"]


def test_low_adherence_and_a_missed_streak_carry_the_skip_reasons_of_the_window():
    logs = [skipped(d, r) for d, r in ((2, "unwell"), (4, "unwell"), (7, "no time"))]
    today = START + dt.timedelta(days=28)
    found = adherence.signals(PLAN, logs, today=today, s=S)
    asked = {x.code: x for x in skips.with_reasons(found, logs, today=today, window_days=28)}
    assert asked["adherence_low"].data["skip_reasons"] == {"unwell": 2, "no time": 1}
    assert asked["missed_streak"].data["skip_reasons"] == {"unwell": 2, "no time": 1}
    assert "skip_reasons" not in asked["no_sessions_logged"].data


def test_no_follow_up_signal_cites_r33():
    """R33 (Drory 2001): the review's 'benefit gone 6 months after stopping' is a misreport."""
    tired = SessionLog(
        START, "aerobic", Completion.DONE, fatigue_recovery_min=40, rpe=17, max_hr_bpm=170
    )
    logs = [skipped(d, "unwell") for d in (2, 4, 7)]
    today = START + dt.timedelta(days=28)
    found = [
        *signals.for_session(
            SessionLog(START, "aerobic", Completion.DONE, symptoms=("chest_pain",)), [], PLAN, S
        ),
        *signals.for_session(tired, [tired], PLAN, S),
        *skips.with_reasons(
            adherence.signals(PLAN, logs, today=today, s=S), logs, today=today, window_days=28
        ),
        *course.reassessment(None, today=today, s=S),
        *course.reassessment(V1, today=V1 + dt.timedelta(days=91), s=S),
        *course.reassessment(V1, today=V1 + dt.timedelta(days=200), s=S),
        *course.change(visit(V1, 44, 90), visit(V1 + dt.timedelta(days=30), 30, 45), s=S),
        *mrc(None, {"knee_extension_left": 2}),
    ]
    assert len({x.code for x in found}) >= 14
    assert [x.code for x in found if "R33" in x.evidence] == []
    # Nor through a recommendation: the adherence rules' records list no R33.
    base = evidence_base.load()
    for sig in found:
        if sig.code in skips.ASKS_WHY | {"no_sessions_logged"}:
            for record in sig.evidence:
                rec = base.recommendations.get(record)
                assert rec is None or "R33" not in rec.evidence, (sig.code, record)
