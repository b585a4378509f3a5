"""What one day of the plan asks: the stored week read for a day, the day choice, the stop."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from alsrx.domain.followup import plan, today

START = dt.date(2026, 11, 4)  # a Wednesday: the plan's day 1 is not a Monday
# A week as the engine stores it (render/prescription_json._day): stretching every day, twice
# on day 1; strength on days 1, 3, 5; walking on days 2, 4; a rest from both on days 6 and 7.
WEEK = [
    {"day": 1, "components": ["flexibility", "resistance"], "twice": ["flexibility"]},
    {"day": 2, "components": ["flexibility", "aerobic"], "twice": []},
    {"day": 3, "components": ["flexibility", "resistance"], "twice": []},
    {"day": 4, "components": ["flexibility", "aerobic"], "twice": []},
    {"day": 5, "components": ["flexibility", "resistance"], "twice": []},
    {"day": 6, "components": ["flexibility"], "twice": []},
    {"day": 7, "components": [], "twice": []},
]
CONTENT = {
    "components": [{"type": t} for t in ("aerobic", "resistance", "flexibility", "breathing")],
    "session_order": ["resistance", "aerobic", "flexibility", "breathing"],
    "weekly_schedule": WEEK,
}


def on(days_after_start):
    return today.for_day(CONTENT, started_on=START, day=START + dt.timedelta(days_after_start))


def test_the_plans_first_day_is_day_1_and_the_week_repeats_from_it():
    assert [today.day_of_plan(START, START + dt.timedelta(n)) for n in (0, 1, 6, 7, 13, 14)] == [
        1,
        2,
        7,
        1,
        7,
        1,
    ]


def test_the_day_shows_what_the_stored_week_plans_in_its_order_and_the_rest_below():
    first = on(0)
    assert [(p.component, p.times) for p in first.planned] == [
        ("flexibility", 2),
        ("resistance", 1),
    ]
    assert first.not_planned == ("aerobic", "breathing")  # in the session order
    assert [p.component for p in on(8).planned] == ["flexibility", "aerobic"]  # day 2 again


def test_a_rest_day_plans_nothing_and_offers_every_component():
    rest = on(6)
    assert rest.day == 7 and rest.planned == ()
    assert rest.not_planned == ("resistance", "aerobic", "flexibility", "breathing")


def test_a_paused_plan_shows_only_the_components_it_still_has():
    paused = CONTENT | {"components": [{"type": "flexibility"}], "session_order": ["flexibility"]}
    day = today.for_day(paused, started_on=START, day=START)
    assert [p.component for p in day.planned] == ["flexibility"] and day.not_planned == ()


def test_a_plan_stored_without_a_week_plans_every_component_every_day():
    old = {k: v for k, v in CONTENT.items() if k != "weekly_schedule"}
    day = today.for_day(old, started_on=START, day=START + dt.timedelta(days=3))
    assert [p.component for p in day.planned] == [
        "resistance",
        "aerobic",
        "flexibility",
        "breathing",
    ]


@given(st.integers(min_value=0, max_value=400))
def test_any_seven_days_running_plan_each_component_as_often_as_the_stored_week(offset):
    days = [on(offset + n) for n in range(7)]
    for kind in ("flexibility", "resistance", "aerobic"):
        stored = sum(kind in d["components"] for d in WEEK)
        assert sum(any(p.component == kind for p in d.planned) for d in days) == stored


def test_a_patient_logs_for_today_or_yesterday_but_not_before_the_plan():
    assert today.loggable_days(START + dt.timedelta(3), START) == (
        START + dt.timedelta(3),
        START + dt.timedelta(2),
    )
    assert today.loggable_days(START, START) == (START,)


def test_a_red_flag_alert_today_or_a_red_flag_logged_today_stops_the_day():
    assert today.stop_for_today(red_flag_raised=True, symptoms_logged=[])
    assert today.stop_for_today(red_flag_raised=False, symptoms_logged=[[], ["chest_pain"]])
    assert today.stop_for_today(red_flag_raised=False, symptoms_logged=[["fall_with_injury"]])
    assert not today.stop_for_today(red_flag_raised=False, symptoms_logged=[["cramps"], []])


def test_after_a_tap_the_next_card_is_the_next_planned_one_not_yet_logged():
    planned = [today.Planned(k, 1) for k in ("flexibility", "resistance", "aerobic")]
    assert today.next_after(planned, "flexibility", {"flexibility": 1}) == "resistance"
    logged = {"resistance": 1, "aerobic": 1}
    assert today.next_after(planned, "resistance", logged) == "flexibility"  # goes round
    every = {"flexibility": 1, "resistance": 1, "aerobic": 1}
    assert today.next_after(planned, "aerobic", every) is None
    assert today.next_after(planned, "breathing", {"breathing": 1}) == "flexibility"  # unplanned


def test_without_a_tap_the_next_card_is_the_first_still_waiting_not_the_first_card():
    planned = [today.Planned(k, 1) for k in ("flexibility", "resistance", "aerobic")]
    assert today.next_after(planned, None, {}) == "flexibility"
    assert today.next_after(planned, None, {"flexibility": 1}) == "resistance"
    assert (
        today.next_after(planned, None, {"flexibility": 2, "resistance": 1, "aerobic": 1}) is None
    )


def test_a_twice_daily_stretch_logged_once_still_waits():
    planned = [today.Planned("flexibility", 2), today.Planned("resistance", 1)]
    assert today.remaining(planned, {"flexibility": 1, "resistance": 1}) == ["flexibility"]
    assert today.next_after(planned, "resistance", {"flexibility": 1, "resistance": 1}) == (
        "flexibility"
    )
    assert today.next_after(planned, "flexibility", {"flexibility": 2, "resistance": 1}) is None
    assert today.remaining(planned, {"flexibility": 3}) == ["resistance"]  # extra ones count


def _aerobic(steps, own_max=130.0):
    return {
        "components": [
            {
                "type": "aerobic",
                "intensity": {"hr_bpm": {"min": 100, "max": own_max}},
                "progression": steps,
            }
        ],
        "stop_rules": [
            {"code": "stop_chest_pain", "params": {}},
            {"code": "stop_hr_above_phase_ceiling", "params": {"bpm": 1, "first_week": 1}},
        ],
    }


def test_the_ceiling_is_the_phases_whole_beats_and_the_plans_own_without_a_phase():
    steps = [
        {"weeks": {"from": 1, "to": 4}, "hr_bpm": {"min": 110, "max": 124.6}},
        {"weeks": {"from": 5, "to": 8}, "hr_bpm": None},
    ]
    assert plan.hr_ceiling(_aerobic(steps), 2) == plan.Ceiling(124, steps[0])
    assert plan.hr_ceiling(_aerobic(steps), 6) == plan.Ceiling(130, None)  # no HR in the phase
    assert plan.hr_ceiling(_aerobic([], own_max=None), 1) is None  # RPE only: no number at all


@st.composite
def phases(draw):
    lengths = draw(st.lists(st.integers(1, 6), min_size=0, max_size=4))
    steps, first = [], 1
    for n in lengths:
        high = draw(st.none() | st.floats(90, 190, allow_nan=False))
        hr = None if high is None else {"min": 80, "max": high}
        steps.append({"weeks": {"from": first, "to": first + n - 1}, "hr_bpm": hr})
        first += n
    return steps


@given(phases(), st.floats(90, 190, allow_nan=False), st.integers(1, 30))
def test_todays_heart_rate_number_is_always_the_stop_rules_number(steps, own, week):
    content = _aerobic(steps, own_max=own)
    ceiling = plan.hr_ceiling(content, week)
    rule = next(r for r in plan.stop_rules_for_week(content, week) if "hr" in r["code"])
    assert ceiling is not None and rule["params"]["bpm"] == ceiling.bpm
