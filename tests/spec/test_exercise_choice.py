"""Exercises chosen from the weakness pattern, position limits, equipment and help.

The grade lines are G-paganoni-2015's (no loading below antigravity strength, MRC 3; against
gravity only at 3; a light added load from MRC 4, rec-resistance); orthopnoea rules out lying
flat (rec-orthopnoea-no-supine); the rest are the alsrx defaults of domain/exercises/choice.py.
"""

import pytest
from tests.prescription_cases import make_case

from alsrx.domain.exercises import library
from alsrx.domain.prescription import engine, schedule
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.prescription.model import ComponentType as T

ALL_STRONG = dict.fromkeys(MRC_KEYS, 5)


def chosen(case, kind):
    p = engine.prescribe(case)
    c = p.component(kind)
    return [] if c is None else [(library.default().entries[d.id], d) for d in c.exercises]


def for_group(case, kind, group):
    return [(e, d) for e, d in chosen(case, kind) if group in e.muscle_groups]


@pytest.mark.parametrize(
    ("grade", "forms"),
    [(5, {"light_load", "isometric"}), (4, {"light_load", "isometric"}), (3, {"against_gravity"})],
)
def test_a_muscle_is_strengthened_at_the_load_its_grade_allows(grade, forms):
    mrc = dict(ALL_STRONG, knee_extension_left=grade, knee_extension_right=grade)
    found = for_group(make_case(mrc=mrc), T.RESISTANCE, "knee_extension")
    assert found and {e.form for e, _ in found} <= forms


def test_a_muscle_below_antigravity_is_never_strengthened_but_keeps_its_range():
    mrc = dict(ALL_STRONG, shoulder_abduction_left=2, shoulder_abduction_right=2)
    assert not for_group(make_case(mrc=mrc), T.RESISTANCE, "shoulder_abduction")
    flex = [e for e, _ in chosen(make_case(mrc=mrc), T.FLEXIBILITY) if "shoulder" in e.regions]
    assert flex and all(e.min_mrc.get("shoulder_abduction", 0) <= 2 for e in flex)


def test_the_two_sides_get_their_own_forms_when_their_grades_differ():
    mrc = dict(ALL_STRONG, elbow_flexion_left=3, elbow_flexion_right=5)
    found = {
        d.side: e.form for e, d in for_group(make_case(mrc=mrc), T.RESISTANCE, "elbow_flexion")
    }
    assert found["left"] == "against_gravity"
    assert found["right"] in ("light_load", "isometric")


def test_a_paralysed_limb_is_moved_by_the_caregiver_and_not_without_one():
    mrc = dict(ALL_STRONG, ankle_dorsiflexion_left=0, ankle_dorsiflexion_right=0)
    helped = [
        e
        for e, _ in chosen(make_case(mrc=mrc, caregiver_at_home=True), T.FLEXIBILITY)
        if "ankle" in e.regions
    ]
    assert helped and all(e.min_mrc.get("ankle_dorsiflexion", 0) == 0 for e in helped)
    alone = chosen(make_case(mrc=mrc, caregiver_at_home=False), T.FLEXIBILITY)
    assert all(e.helper == "alone" for e, _ in alone)


def test_orthopnoea_leaves_nothing_lying_flat_in_any_component():
    case = make_case(mrc=ALL_STRONG, items={"q11_orthopnea": 2})
    p = engine.prescribe(case)
    entries = library.default().entries
    assert all(not entries[d.id].lying_flat for c in p.components for d in c.exercises)


def test_head_drop_leaves_no_exercise_holding_the_head_unsupported():
    case = make_case(mrc=ALL_STRONG, conditions=frozenset({"head_drop"}))
    p = engine.prescribe(case)
    entries = library.default().entries
    assert all(not entries[d.id].neck_unsupported for c in p.components for d in c.exercises)


def test_without_bands_or_cuffs_at_home_a_light_load_is_an_isometric_hold():
    found = for_group(make_case(mrc=ALL_STRONG, equipment=frozenset()), T.RESISTANCE, "hip_flexion")
    assert {e.form for e, _ in found} == {"isometric"}
    assert all(
        not e.equipment
        for e, _ in chosen(make_case(mrc=ALL_STRONG, equipment=frozenset()), T.RESISTANCE)
    )


def test_an_untested_muscle_gets_the_conservative_form_never_an_added_load():
    case = make_case(mrc={"knee_extension_left": 5, "knee_extension_right": 5})
    for _, d in chosen(case, T.FLEXIBILITY) + chosen(case, T.BALANCE_FUNCTIONAL):
        entry = library.default().entries[d.id]
        assert all(g <= 3 for m, g in entry.min_mrc.items() if m != "knee_extension"), d.id


def test_an_aerobic_session_keeps_its_whole_time_and_its_warm_up_and_cool_down_at_the_ends():
    case = make_case(mrc=ALL_STRONG)
    p = engine.prescribe(case)
    aerobic = p.component(T.AEROBIC)
    found = [(library.default().entries[d.id], d) for d in aerobic.exercises]
    categories = [e.category for e, _ in found]
    assert "aerobic" in categories
    assert categories[0] in ("warm_up", "aerobic") and categories[-1] in ("cool_down", "aerobic")
    steady = next(d for e, d in found if e.category == "aerobic")
    assert steady.minutes == schedule.current_phase(aerobic, p.current_week)[1].max


def test_a_patient_who_cannot_walk_gets_nothing_done_standing():
    case = make_case(mrc=ALL_STRONG, items={"q8_walking": 1})
    p = engine.prescribe(case)
    entries = library.default().entries
    assert all(entries[d.id].position != "standing" for c in p.components for d in c.exercises)


def test_weak_arms_never_get_an_arm_exercise_that_needs_them_against_gravity():
    mrc = dict(
        ALL_STRONG,
        shoulder_abduction_left=1,
        shoulder_abduction_right=1,
        elbow_flexion_left=1,
        elbow_flexion_right=1,
    )
    p = engine.prescribe(make_case(mrc=mrc, items={"q8_walking": 0}))
    entries = library.default().entries
    for c in p.components:
        for d in c.exercises:
            assert entries[d.id].min_mrc.get("shoulder_abduction", 0) <= 1, d.id
            assert entries[d.id].min_mrc.get("elbow_flexion", 0) <= 1, d.id
