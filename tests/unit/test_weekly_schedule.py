"""The planned week: sessions of the current phase, resistance apart from aerobic, no day too long.

Sources: ACSM patient guide (G-acsm-2010): resistance on non-aerobic days, stretching once or
twice daily; rec-combined: about 1 h of exercise a day, resistance before aerobic; the session
order of the review (flexibility warm-up, resistance, aerobic, balance, respiratory).
"""

import dataclasses
import itertools

from tests.prescription_cases import make_case

from alsrx.domain.prescription import bounds, engine, schedule
from alsrx.domain.prescription.model import Component, Day, Intensity, Span, Step
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.params import EngineSettings, with_overrides
from alsrx.render import prescription_json, prescription_md

SETTINGS = EngineSettings()
REVIEW_ORDER = [T.FLEXIBILITY, T.RESISTANCE, T.AEROBIC, T.BALANCE_FUNCTIONAL, T.RESPIRATORY_MUSCLE]
STRONG = {f"{m}_{s}": 4 for m in ("knee_extension", "elbow_flexion") for s in ("left", "right")}


def component(kind, sessions, minutes, progression=()):
    return Component(
        type=kind,
        sessions_per_week=Span(*sessions),
        minutes_per_session=Span(*minutes),
        intensity=Intensity(),
        modalities=(),
        evidence=("rec-combined",),
        rationale=(),
        progression=tuple(progression),
    )


def days_with(plan, kind):
    return [d.day for d in plan.days if kind in d.components]


def test_each_component_is_on_as_many_days_as_its_sessions_when_they_fit():
    parts = [
        component(T.FLEXIBILITY, (7, 7), (10, 10)),
        component(T.RESISTANCE, (3, 3), (15, 15)),
        component(T.AEROBIC, (2, 3), (10, 15)),
        component(T.BALANCE_FUNCTIONAL, (2, 2), (10, 10)),
    ]
    plan = schedule.weekly(parts, current_week=1, settings=SETTINGS)
    assert [len(days_with(plan, c.type)) for c in parts] == [7, 3, 3, 2]
    assert plan.unplaced == {}
    assert [d.day for d in plan.days] == [1, 2, 3, 4, 5, 6, 7]


def test_resistance_and_aerobic_never_share_a_day_with_three_sessions_each():
    parts = [component(T.RESISTANCE, (3, 3), (20, 20)), component(T.AEROBIC, (3, 3), (20, 20))]
    plan = schedule.weekly(parts, current_week=1, settings=SETTINGS)
    assert len(days_with(plan, T.RESISTANCE)) == len(days_with(plan, T.AEROBIC)) == 3
    assert not set(days_with(plan, T.RESISTANCE)) & set(days_with(plan, T.AEROBIC))


def test_the_engine_keeps_resistance_off_aerobic_days_in_the_first_phase():
    p = engine.prescribe(make_case(mrc=STRONG))
    assert not any({T.RESISTANCE, T.AEROBIC} <= set(d.components) for d in p.weekly_schedule)


def test_only_the_sessions_beyond_seven_share_a_day_and_in_the_review_order():
    parts = [
        component(T.AEROBIC, (4, 4), (15, 15)),
        component(T.RESISTANCE, (5, 5), (15, 15)),
        component(T.FLEXIBILITY, (7, 7), (10, 10)),
        component(T.RESPIRATORY_MUSCLE, (5, 5), (10, 10)),
    ]
    plan = schedule.weekly(parts, current_week=1, settings=SETTINGS)
    shared = [d for d in plan.days if {T.RESISTANCE, T.AEROBIC} <= set(d.components)]
    assert len(shared) == 4 + 5 - 7
    for d in plan.days:
        assert list(d.components) == [t for t in REVIEW_ORDER if t in d.components]


def test_the_same_component_is_not_on_two_days_running_where_avoidable():
    parts = [component(T.RESISTANCE, (3, 3), (20, 20)), component(T.AEROBIC, (3, 3), (20, 20))]
    plan = schedule.weekly(parts, current_week=1, settings=SETTINGS)
    for kind in (T.RESISTANCE, T.AEROBIC):
        days = days_with(plan, kind)
        assert not any(b - a == 1 for a, b in itertools.pairwise(days))


def test_no_day_is_above_about_an_hour():
    p = engine.prescribe(make_case(mrc=STRONG, mep=100, months_since_onset=6, weeks_completed=13))
    assert len(p.weekly_schedule) == 7
    assert all(d.minutes_max <= 60 for d in p.weekly_schedule)


def test_a_lowered_daily_limit_is_kept_and_what_was_left_out_is_said():
    lowered = with_overrides(SETTINGS, {"max_minutes_per_day": 30})
    p = engine.prescribe(make_case(mrc=STRONG, mep=100, months_since_onset=6), lowered)
    assert all(d.minutes_max <= 30 for d in p.weekly_schedule)
    limited = [n for n in p.trace if n.code == "schedule_sessions_limited_by_day_limit"]
    assert len(limited) == 1 and limited[0].params["limit"] == 30
    assert limited[0].params["sessions"] > 0


def test_balance_gives_way_before_resistance_and_aerobic_and_the_clinician_is_told():
    parts = [
        component(T.FLEXIBILITY, (7, 7), (10, 10)),
        component(T.RESISTANCE, (3, 3), (10, 10)),
        component(T.AEROBIC, (3, 3), (10, 10)),
        component(T.BALANCE_FUNCTIONAL, (2, 2), (10, 10)),
    ]
    tight = dataclasses.replace(SETTINGS, max_minutes_per_day=20)
    plan = schedule.weekly(parts, current_week=1, settings=tight)
    assert plan.unplaced == {T.BALANCE_FUNCTIONAL: 1}
    assert plan.below_minimum == (T.BALANCE_FUNCTIONAL,)
    limited, below = schedule.notes(plan, tight)
    assert limited is not None and below is not None
    assert below.code == "schedule_below_least_dose"


def test_the_current_phase_sets_sessions_and_minutes_and_the_last_phase_holds_after_the_end():
    aerobic = component(
        T.AEROBIC,
        (2, 5),
        (15, 30),
        [Step(1, 4, Span(2, 3), Span(15, 15)), Step(5, 16, Span(2, 5), Span(25, 30))],
    )
    first, later, after = (
        schedule.weekly([aerobic], current_week=w, settings=SETTINGS) for w in (1, 14, 30)
    )
    assert len(days_with(first, T.AEROBIC)) == 3
    assert {d.minutes_max for d in first.days if d.components} == {15}
    assert len(days_with(later, T.AEROBIC)) == 5
    assert {d.minutes_max for d in later.days if d.components} == {30}
    assert after == later


def test_the_engine_plans_aerobic_work_of_week_one_and_of_week_fourteen_differently():
    # rec-aerobic-ramp: from about 15 min toward 30 min over the 16-week protocol, starting with
    # no more than 3 sessions a week.
    early = {"mrc": STRONG, "months_since_onset": 6}
    alone = {}
    for week, minutes in ((1, 15), (14, 30)):
        p = engine.prescribe(make_case(**early, weeks_completed=week - 1))
        alone[week] = schedule.weekly(
            [p.component(T.AEROBIC)], current_week=p.current_week, settings=SETTINGS
        )
        assert {d.minutes_max for d in alone[week].days if d.components} == {minutes}
        planned = [d.day for d in p.weekly_schedule if T.AEROBIC in d.components]
        assert 2 <= len(planned) <= len(days_with(alone[week], T.AEROBIC))
    assert len(days_with(alone[1], T.AEROBIC)) == 3 < len(days_with(alone[14], T.AEROBIC))


def test_flexibility_twice_daily_counts_its_minutes_twice():
    plan = schedule.weekly(
        [component(T.FLEXIBILITY, (14, 14), (10, 10))], current_week=1, settings=SETTINGS
    )
    assert all(d.components == (T.FLEXIBILITY,) for d in plan.days)
    assert all(d.twice == (T.FLEXIBILITY,) and d.minutes_max == 20 for d in plan.days)


def test_flexibility_seven_to_fourteen_times_is_on_every_day():
    p = engine.prescribe(make_case(mrc=STRONG))
    assert all(T.FLEXIBILITY in d.components for d in p.weekly_schedule)


def test_the_bound_checker_names_a_day_above_the_daily_limit():
    p = engine.prescribe(make_case())
    long_day = dataclasses.replace(p, weekly_schedule=(Day(1, (T.AEROBIC,), 61),))
    case = make_case()
    assert "day above the daily limit" in bounds.violations(long_day, case, SETTINGS)
    assert "day above the daily limit" not in bounds.violations(p, case, SETTINGS)


def test_the_document_and_the_handout_show_the_week_in_words():
    p = engine.prescribe(make_case(mrc=STRONG))
    doc = prescription_json.to_json(p, settings=SETTINGS)
    assert [d["day"] for d in doc["weekly_schedule"]] == [1, 2, 3, 4, 5, 6, 7]
    assert doc["weekly_schedule"][0]["components"][0] == "flexibility"
    zh = prescription_md.render(doc, lang="zh")
    week = zh[zh.index("## 一周安排") :].split("\n## ")[0]
    assert "第 1 天" in week and "第 7 天" in week
    assert "flexibility" not in week and "resistance" not in week
    en = prescription_md.render(doc)
    assert "| Day 1 | Stretching and range of motion" in en
