"""Every exercise a draft names is one the patient can do, for every generated patient: checked
against the patient's facts directly (not through fit.py or bounds.py), so a bug in the rule
cannot hide a bug in the choice."""

from hypothesis import given, settings
from tests.prescription_cases import cases, engine_settings

from alsrx.domain.exercises import library
from alsrx.domain.prescription import engine, schedule
from alsrx.domain.prescription.model import ComponentType as T

SIDES = ("left", "right")
FRAMES = ("warm_up", "cool_down")  # may go beside the session's time, within the day's
UNTESTED_COUNTS_AS = 3  # the antigravity grade: movement against gravity, never an added load


def sides_of(entry, side):
    return (side,) if entry.sided and side in SIDES else SIDES


def grade(case, key):
    return (case.mrc or {}).get(key, UNTESTED_COUNTS_AS)


@settings(max_examples=300, deadline=None)
@given(case=cases(), config=engine_settings())
def test_every_chosen_exercise_is_within_the_patients_strength_breathing_and_day(case, config):
    p = engine.prescribe(case, config)
    entries = library.default().entries
    orthopnoea = case.assessed.frs["q11_orthopnea"] <= 2
    minutes = {}
    for c in p.components:
        for d in c.exercises:
            entry = entries[d.id]
            assert c.type in entry.components
            for group, needed in entry.min_mrc.items():
                for side in sides_of(entry, d.side):
                    assert grade(case, f"{group}_{side}") >= needed, (d.id, group, side)
            if orthopnoea:
                assert not entry.lying_flat, d.id
            if "head_drop" in case.conditions:
                assert not entry.neck_unsupported, d.id
            if case.equipment is not None:
                assert set(entry.equipment) <= case.equipment, d.id
            if case.caregiver_at_home is False:
                assert entry.helper == "alone", d.id
        minutes[c.type] = sum(d.minutes for d in c.exercises)
        conditioning = sum(d.minutes for d in c.exercises if entries[d.id].category not in FRAMES)
        session = schedule.current_phase(c, p.current_week)[1].max
        assert conditioning <= session + 1e-9
    for day in p.weekly_schedule:
        total = sum(minutes.get(t, 0) for t in (*day.components, *day.twice))
        assert total <= config.max_minutes_per_day + 1e-9


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_aerobic_and_resistance_sessions_begin_with_a_warm_up_and_end_without_one(case):
    p = engine.prescribe(case)
    entries = library.default().entries
    for c in p.components:
        categories = [entries[d.id].category for d in c.exercises]
        if "warm_up" in categories:
            assert categories[0] == "warm_up" and categories.count("warm_up") == 1
        if "cool_down" in categories:
            assert categories[-1] == "cool_down" and categories.count("cool_down") == 1
        if c.type not in (T.AEROBIC, T.RESISTANCE):
            assert not {"warm_up", "cool_down"} & set(categories)
