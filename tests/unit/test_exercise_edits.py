"""A clinician's change of a component's exercises is held to the patient and the engine's bounds
(domain/exercises/edits.py, edit_ops.py), over a test library built here.

The grades come from the rules the library and fit.py cite: no exercise above the patient's MRC
grade for a group it trains, an added load only from a measured MRC 4 (rec-weakness-pattern,
G-paganoni-2015), nothing lying flat with orthopnoea (rec-orthopnoea-no-supine), resistance at
1-2 sets of 8-12 repetitions at most (rec-resistance), EMST 5 sets of 5 (rec-respiratory-muscle).
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.prescription_cases import cases, make_case

from alsrx.domain.exercises import choice, edit_ops, edits, fit
from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.prescription import breathing, engine, schedule
from alsrx.domain.prescription.inputs import HEAD_DROP, MRC_KEYS
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import FieldError
from alsrx.render import prescription_json
from alsrx.render.messages import field_error_message

S = EngineSettings()
FIGURE = {
    "view": "side",
    "base": "sitting",
    "props": [],
    "start": {"knee": 90},
    "end": {"knee": 0},
    "author": "alsrx tests",
    "licence": "CC0-1.0",
}


def record(exercise_id: str, **fields: object) -> tuple[str, dict[str, object]]:
    raw: dict[str, object] = {
        "id": exercise_id,
        "category": "strengthening",
        "form": "against_gravity",
        "components": ["resistance"],
        "modality": "body_weight_against_gravity",
        "regions": ["knee"],
        "muscle_groups": ["knee_extension"],
        "min_mrc": {"knee_extension": 3},
        "position": "sitting",
        "equipment": [],
        "props": ["chair"],
        "helper": "alone",
        "sided": True,
        "breathing_cue": "breathe_out_on_effort",
        "sources": [exercise_library.CLINICAL_TEAM],
        "dose": {"sets": 1, "repetitions": 10, "minutes": 2, "load": "against_gravity_only"},
        "figure": FIGURE,
        "en": {"name": exercise_id.replace("_", " "), "steps": ["Sit.", "Move."]},
        "zh": {"name": "测试动作", "steps": ["坐好。", "活动。"]},
    }
    raw.update(fields)
    return ("test.toml", raw)


def _stretch(exercise_id: str, **fields: object) -> tuple[str, dict[str, object]]:
    base: dict[str, object] = {
        "category": "stretching",
        "form": "active",
        "components": ["flexibility"],
        "modality": "active_stretching",
        "regions": ["ankle"],
        "muscle_groups": [],
        "min_mrc": {},
        "breathing_cue": "breathe_steadily",
        "dose": {"sets": 3, "hold_seconds": 30, "minutes": 2, "load": "none"},
    }
    return record(exercise_id, **(base | fields))


RECORDS = [
    record(
        "knee_gravity_eliminated",
        form="gravity_eliminated",
        min_mrc={"knee_extension": 2},
        harder="knee_against_gravity",
    ),
    record("knee_against_gravity", easier="knee_gravity_eliminated", harder="knee_light_load"),
    record(
        "knee_light_load",
        form="light_load",
        min_mrc={"knee_extension": 4},
        equipment=["cuff_weights"],
        modality="cuff_weights",
        dose={"sets": 1, "repetitions": 10, "minutes": 2, "load": "light_added_load"},
        easier="knee_against_gravity",
    ),
    # A data slip the check must still catch: an added load the entry lets MRC 3 take.
    record(
        "knee_band_loose_entry",
        form="light_load",
        modality="elastic_bands",
        dose={"sets": 1, "repetitions": 10, "minutes": 2, "load": "light_added_load"},
    ),
    _stretch("calf_stretch_seated"),
    _stretch(
        "hamstring_stretch_lying",
        position="lying",
        lying_flat=True,
        regions=["knee"],
        figure=FIGURE | {"base": "lying"},
    ),
    _stretch("neck_turns_unsupported", sided=False, regions=["neck"], neck_unsupported=True),
    _stretch(
        "ankle_moved_by_caregiver",
        form="passive",
        modality="passive_range_of_motion",
        helper="by_caregiver",
    ),
    record(
        "supported_standing_balance",
        category="balance",
        form="active",
        components=["balance_functional"],
        modality="standing_balance_with_support",
        regions=["whole_body"],
        muscle_groups=[],
        min_mrc={},
        position="standing",
        sided=False,
        dose={"sets": 2, "hold_seconds": 30, "minutes": 3, "load": "none"},
    ),
    record(
        "emst_breaths",
        category="breathing",
        form="device",
        components=["respiratory_muscle"],
        modality="emst_device",
        regions=["chest"],
        muscle_groups=[],
        min_mrc={},
        equipment=["emst_device"],
        sided=False,
        breathing_cue="device_breath",
        dose={"sets": 5, "repetitions": 5, "minutes": 10, "load": "device_setting"},
    ),
    record(
        "recumbent_cycling",
        category="aerobic",
        form="continuous",
        components=["aerobic"],
        modality="recumbent_bike",
        regions=["whole_body"],
        muscle_groups=[],
        min_mrc={},
        equipment=["recumbent_bike"],
        sided=False,
        breathing_cue="breathe_steadily",
        dose={"sets": 1, "hold_seconds": 1200, "minutes": 20, "load": "none"},
    ),
    record(
        "seated_marching_warm_up",
        category="warm_up",
        form="active",
        components=["aerobic", "resistance"],
        modality="warm_up",
        regions=["whole_body"],
        muscle_groups=[],
        min_mrc={},
        sided=False,
        breathing_cue="breathe_steadily",
        dose={"sets": 1, "repetitions": 20, "minutes": 3, "load": "none"},
    ),
]
LIBRARY = exercise_library.build(RECORDS, known_sources=frozenset())
STRONG = dict.fromkeys(MRC_KEYS, 5)


def patient(*, mrc=None, caregiver=None, **kwargs):
    case = make_case(mrc=STRONG if mrc is None else mrc, **kwargs)
    return dataclasses.replace(case, caregiver_at_home=caregiver)


def errors_of(kind, exercises, *, case=None, session=30.0, limits=None, library=LIBRARY):
    return edits.check(
        kind,
        exercises,
        case=case or patient(),
        settings=S,
        library=library,
        session_minutes=session,
        limits=limits,
    )


def codes(kind, exercises, **kwargs):
    return {(e.path, e.code) for e in errors_of(kind, exercises, **kwargs)}


def knee(exercise_id="knee_against_gravity", **fields):
    return {"id": exercise_id, "sets": 1, "repetitions": 10, "side": "both"} | fields


def stretch(exercise_id="calf_stretch_seated", **fields):
    return {"id": exercise_id, "sets": 3, "hold_seconds": 30, "side": "both"} | fields


def test_a_list_inside_every_bound_is_accepted():
    assert codes(T.RESISTANCE, [knee(), knee("knee_light_load", side="left")]) == set()


def test_an_unknown_exercise_is_refused_naming_its_id_field():
    assert codes(T.RESISTANCE, [knee(), knee("no_such_exercise")]) == {
        ("exercises[1].id", "unknown_exercise")
    }


def test_an_exercise_that_does_not_serve_the_component_is_refused():
    (error,) = errors_of(T.RESISTANCE, [stretch()])
    assert (error.path, error.code) == ("exercises[0].id", "exercise_not_for_component")
    assert error.params == {"exercise": "calf_stretch_seated", "component": "resistance"}


def test_a_muscle_graded_below_the_exercises_need_is_refused_with_what_renders_the_sentence():
    case = patient(mrc=STRONG | {"knee_extension_left": 3})
    found = errors_of(T.RESISTANCE, [knee("knee_light_load")], case=case)
    assert found == [
        FieldError(
            "exercises[0].id",
            "exercise_needs_mrc",
            {
                "exercise": "knee_light_load",
                "group": "knee_extension_left",
                "needed": 4,
                "grade": 3,
            },
        )
    ]


def test_the_message_names_the_exercise_the_muscle_its_side_and_both_grades_in_each_language():
    # The project's library's own entry: seated knee straightening needs MRC 3.
    error = FieldError(
        "exercises[0].id",
        "exercise_needs_mrc",
        {
            "exercise": "knee_extension_against_gravity",
            "group": "knee_extension_left",
            "needed": 4,
            "grade": 3,
        },
    )
    assert field_error_message(error, "en") == (
        "Seated knee straightening needs MRC 4 for knee extension (left); graded 3"
    )
    zh = field_error_message(error, "zh")
    assert "坐位伸膝" in zh and "伸膝（左）" in zh and "4" in zh and "3" in zh


def test_an_ungraded_muscle_counts_as_antigravity_and_is_named_as_not_graded():
    case = patient(mrc={})
    found = errors_of(T.RESISTANCE, [knee("knee_light_load", side="right")], case=case)
    assert {(e.code, e.params["group"], e.params["grade"]) for e in found} == {
        ("exercise_needs_mrc_untested", "knee_extension_right", 3)
    }


def test_orthopnoea_rules_out_lying_flat_exercises():
    case = patient(items={"q11_orthopnea": 2})
    assert breathing.orthopnoea(case)
    assert codes(T.FLEXIBILITY, [stretch("hamstring_stretch_lying")], case=case) == {
        ("exercises[0].id", "exercise_lying_flat_orthopnoea")
    }
    assert codes(T.FLEXIBILITY, [stretch("hamstring_stretch_lying")]) == set()


def test_head_drop_rules_out_exercises_that_hold_the_head_up_unsupported():
    case = patient(conditions=frozenset({HEAD_DROP}))
    neck = {"id": "neck_turns_unsupported", "sets": 3, "hold_seconds": 30, "side": "none"}
    assert codes(T.FLEXIBILITY, [neck], case=case) == {
        ("exercises[0].id", "exercise_neck_unsupported_head_drop")
    }


def test_standing_exercises_are_refused_once_the_patient_no_longer_walks():
    balance = {"id": "supported_standing_balance", "sets": 2, "hold_seconds": 30}
    assert codes(T.BALANCE_FUNCTIONAL, [balance], case=patient(items={"q8_walking": 3})) == set()
    # Walking with help: standing work only with someone beside (fit.stands_alone).
    assert codes(T.BALANCE_FUNCTIONAL, [balance], case=patient(items={"q8_walking": 2})) == {
        ("exercises[0].id", "exercise_standing_needs_someone_beside")
    }
    assert ("exercises[0].id", "exercise_standing_not_walking") in codes(
        T.BALANCE_FUNCTIONAL, [balance], case=patient(items={"q8_walking": 1})
    )


def test_equipment_the_record_does_not_list_at_home_refuses_the_exercise():
    case = patient(equipment=frozenset({"elastic_bands"}))
    (error,) = errors_of(T.RESISTANCE, [knee("knee_light_load")], case=case)
    assert error.code == "exercise_needs_equipment"
    assert error.params["equipment"] == ("cuff_weights",)
    # Not recorded: allowed, the clinician approves the plan.
    assert codes(T.RESISTANCE, [knee("knee_light_load")], case=patient(equipment=None)) == set()


def test_an_exercise_done_by_a_caregiver_is_refused_when_no_one_is_at_home():
    moved = stretch("ankle_moved_by_caregiver")
    assert codes(T.FLEXIBILITY, [moved], case=patient(caregiver=False)) == {
        ("exercises[0].id", "exercise_needs_caregiver")
    }
    assert codes(T.FLEXIBILITY, [moved], case=patient(caregiver=True)) == set()
    assert codes(T.FLEXIBILITY, [moved], case=patient(caregiver=None)) == set()


@pytest.mark.parametrize(
    ("dose", "allowed"),
    [
        (stretch(side="none"), ("both", "left", "right")),
        (stretch(side="middle"), ("both", "left", "right")),
        (
            {"id": "neck_turns_unsupported", "sets": 3, "hold_seconds": 30, "side": "left"},
            ("none",),
        ),
    ],
)
def test_a_side_the_exercise_does_not_have_is_refused(dose, allowed):
    (error,) = errors_of(T.FLEXIBILITY, [dose])
    assert (error.path, error.code, error.params) == (
        "exercises[0].side",
        "not_one_of",
        {"allowed": allowed},
    )


def test_a_weaker_side_keeps_the_exercise_on_the_stronger_side_only():
    case = patient(mrc=STRONG | {"knee_extension_left": 2})
    assert codes(T.RESISTANCE, [knee(side="both")], case=case) == {
        ("exercises[0].id", "exercise_needs_mrc")
    }
    assert codes(T.RESISTANCE, [knee(side="right")], case=case) == set()
    assert codes(T.RESISTANCE, [knee("knee_gravity_eliminated", side="left")], case=case) == set()


@pytest.mark.parametrize(
    ("field", "value", "low", "high"),
    [
        ("sets", 0, 1, 5),
        ("sets", 6, 1, 5),
        ("sets", 2.5, 1, 5),
        ("sets", True, 1, 5),
        ("sets", "2", 1, 5),
        ("sets", math.inf, 1, 5),
        ("hold_seconds", 0, 1, 1800),
        ("hold_seconds", 1801, 1, 1800),
    ],
)
def test_a_dose_outside_the_librarys_bounds_is_refused_with_the_range(field, value, low, high):
    (error,) = errors_of(T.FLEXIBILITY, [stretch(**{field: value})], session=1e6)
    assert (error.path, error.code) == (f"exercises[0].{field}", "out_of_range")
    assert error.params == {"min": low, "max": high, "integer": True}


def test_repetitions_stay_within_one_to_thirty_outside_resistance():
    warm = {"id": "seated_marching_warm_up", "sets": 1, "repetitions": 31}
    assert codes(T.AEROBIC, [warm], session=1e6) == {("exercises[0].repetitions", "out_of_range")}
    assert codes(T.AEROBIC, [warm | {"repetitions": 30}], session=1e6) == set()


def test_resistance_stays_within_the_components_own_sets_and_repetitions():
    component = {"sets": {"min": 1, "max": 2}, "repetitions": {"min": 8, "max": 12}}
    limits = edits.limits_for(T.RESISTANCE, component, S)
    assert limits == edits.Limits(2, 12)
    found = errors_of(T.RESISTANCE, [knee(sets=3, repetitions=13)], limits=limits)
    assert {(e.path, e.params["max"]) for e in found} == {
        ("exercises[0].sets", 2),
        ("exercises[0].repetitions", 12),
    }
    assert codes(T.RESISTANCE, [knee(sets=2, repetitions=12)], limits=limits) == set()


def test_a_component_may_tighten_the_engines_resistance_dose_but_never_loosen_it():
    tight = edits.limits_for(T.RESISTANCE, {"sets": {"max": 1}, "repetitions": {"max": 10}}, S)
    loose = edits.limits_for(T.RESISTANCE, {"sets": {"max": 5}, "repetitions": {"max": 30}}, S)
    assert tight == edits.Limits(1, 10) and loose == edits.Limits(2, 12)
    assert edits.limits_for(T.RESISTANCE, {}, S) == edits.Limits(2, 12)


def test_resistance_checked_without_limits_still_keeps_to_the_engines_dose():
    assert codes(T.RESISTANCE, [knee(sets=3)]) == {("exercises[0].sets", "out_of_range")}


def test_emst_keeps_to_the_engines_five_sets_of_five_breaths():
    emst = {"id": "emst_breaths", "sets": 5, "repetitions": 5}
    assert codes(T.RESPIRATORY_MUSCLE, [emst]) == set()
    assert codes(T.RESPIRATORY_MUSCLE, [emst | {"sets": 6, "repetitions": 6}], session=1e6) == {
        ("exercises[0].sets", "out_of_range"),
        ("exercises[0].repetitions", "out_of_range"),
    }


def test_a_dose_field_the_exercise_does_not_use_is_refused():
    assert codes(T.RESISTANCE, [knee(hold_seconds=30)]) == {
        ("exercises[0].hold_seconds", "not_used_by_exercise")
    }
    assert codes(T.FLEXIBILITY, [stretch(repetitions=10)]) == {
        ("exercises[0].repetitions", "not_used_by_exercise")
    }


def test_a_missing_count_is_required_with_its_range():
    (error,) = errors_of(T.RESISTANCE, [{"id": "knee_against_gravity", "sets": 1}])
    assert (error.path, error.code, error.params) == (
        "exercises[0].repetitions",
        "required",
        {"min": 1, "max": 12, "integer": True},
    )


def test_a_load_other_than_the_librarys_is_refused():
    assert codes(T.RESISTANCE, [knee(load="light_added_load")]) == {
        ("exercises[0].load", "not_the_exercise_load")
    }
    assert codes(T.RESISTANCE, [knee(load="against_gravity_only")]) == set()


def test_an_added_load_needs_a_measured_mrc_4_even_where_the_library_entry_asks_less():
    graded_3 = patient(mrc=STRONG | {"knee_extension_right": 3})
    (error,) = errors_of(T.RESISTANCE, [knee("knee_band_loose_entry")], case=graded_3)
    assert (error.code, error.params["group"], error.params["grade"]) == (
        "added_load_needs_mrc4",
        "knee_extension_right",
        3,
    )
    ungraded = patient(mrc={"knee_extension_left": 5})
    found = errors_of(T.RESISTANCE, [knee("knee_band_loose_entry")], case=ungraded)
    assert [(e.code, e.params["group"]) for e in found] == [
        ("added_load_needs_mrc4_untested", "knee_extension_right")
    ]


def test_the_same_exercise_twice_for_a_side_is_refused_but_once_a_side_is_not():
    assert codes(T.RESISTANCE, [knee(side="left"), knee(side="right", sets=2)]) == set()
    assert codes(T.RESISTANCE, [knee(side="both"), knee(side="left")]) == {
        ("exercises[1].id", "duplicate_exercise")
    }
    warm = {"id": "seated_marching_warm_up", "sets": 1, "repetitions": 20}
    assert codes(T.RESISTANCE, [warm, knee(), warm]) == {("exercises[2].id", "duplicate_exercise")}


def test_exercises_longer_than_the_session_are_refused():
    # 2 sets of 12 both legs: 2 x 2 min x 12/10 = 4.8 min each; the warm-up (3 min) may go
    # beside the session's time (exercises/frames.py), so it is not counted.
    warm = {"id": "seated_marching_warm_up", "sets": 1, "repetitions": 20}
    lists = [warm, knee(sets=2, repetitions=12), knee("knee_light_load", sets=2, repetitions=12)]
    assert errors_of(T.RESISTANCE, lists, session=10) == []
    (error,) = errors_of(T.RESISTANCE, lists, session=9)
    assert (error.path, error.code, error.params) == (
        "exercises",
        "exercises_longer_than_session",
        {"minutes": 9.6, "session": 9},
    )
    assert errors_of(T.RESISTANCE, lists, session=13) == []


def test_a_longer_hold_takes_longer_so_it_cannot_slip_past_the_time_budget():
    # The library's stretch: 3 x 30 s in 2 minutes both sides; 5 x 1800 s is 200 minutes.
    held = stretch(sets=5, hold_seconds=1800)
    (error,) = errors_of(T.FLEXIBILITY, [held], session=20)
    assert error.code == "exercises_longer_than_session"
    assert error.params["minutes"] == 200


def test_a_continuous_aerobic_exercise_is_dosed_in_minutes_within_the_session():
    ride = {"id": "recumbent_cycling", "sets": 1, "minutes": 20}
    assert codes(T.AEROBIC, [ride], session=25) == set()
    assert codes(T.AEROBIC, [ride | {"minutes": 26}], session=25) == {
        ("exercises[0].minutes", "out_of_range")
    }
    assert codes(T.AEROBIC, [ride | {"minutes": 4}], session=25) == {
        ("exercises[0].minutes", "out_of_range")
    }
    assert codes(T.AEROBIC, [{"id": "recumbent_cycling", "sets": 1}], session=25) == {
        ("exercises[0].minutes", "required")
    }
    assert codes(T.AEROBIC, [ride | {"hold_seconds": 1200}], session=25) == {
        ("exercises[0].hold_seconds", "not_used_by_exercise")
    }


@pytest.mark.parametrize(
    ("exercises", "code"),
    [([], "exercises_empty"), ({"id": "x"}, "wrong_type"), ("knee", "wrong_type")],
)
def test_anything_but_a_list_of_exercises_is_refused(exercises, code):
    assert codes(T.RESISTANCE, exercises) == {("exercises", code)}


def test_more_exercises_than_a_session_could_hold_are_refused_at_once():
    many = [knee(side="left")] * (edits.MAX_EXERCISES + 1)
    assert codes(T.RESISTANCE, many) == {("exercises", "too_many_exercises")}


def test_an_entry_that_is_not_an_object_and_an_unknown_key_are_named():
    assert codes(T.RESISTANCE, [knee(), 7, knee(side="left", weight_kg=2)]) == {
        ("exercises[1]", "wrong_type"),
        ("exercises[2].weight_kg", "not_allowed"),
    }


def test_stored_doses_take_the_engines_minutes_rule_and_replace_minutes_sent():
    e = LIBRARY.entries["knee_against_gravity"]
    sent = [knee(sets=2, repetitions=12, side="left", minutes=0.1)]
    (kept,) = edits.stored(T.RESISTANCE, sent, library=LIBRARY)
    expected = choice.dose(e, side="left", sets=2, repetitions=12)
    assert kept == dataclasses.asdict(expected)
    assert kept["minutes"] == 2.4 and kept["load"] == "against_gravity_only"


def test_stored_fills_in_the_side_and_the_librarys_load():
    neck = {"id": "neck_turns_unsupported", "sets": 3, "hold_seconds": 60}
    (kept,) = edits.stored(T.FLEXIBILITY, [neck], library=LIBRARY)
    assert kept["side"] == "none" and kept["load"] == "none" and kept["minutes"] == 4.0
    assert kept["hold_seconds"] == 60 and kept["repetitions"] is None


def test_a_continuous_exercise_keeps_the_minutes_the_clinician_gave():
    ride = {"id": "recumbent_cycling", "sets": 1, "minutes": 17.5}
    (kept,) = edits.stored(T.AEROBIC, [ride], library=LIBRARY)
    assert kept["minutes"] == 17.5 and kept["hold_seconds"] is None and kept["repetitions"] is None


def test_the_session_time_read_from_a_stored_draft_is_the_schedules_current_phase():
    for weeks_done in (0, 3, 4, 9, 30):
        p = engine.prescribe(make_case(mrc=STRONG, weeks_completed=weeks_done), S)
        doc = prescription_json.to_json(p, settings=S)
        for c, stored in zip(p.components, doc["components"], strict=True):
            phase = schedule.current_phase(c, p.current_week)[1].max or 0
            assert edits.session_minutes(stored, week=p.current_week) == math.floor(phase)


def test_the_engines_resistance_and_emst_doses_are_the_limits_an_edit_keeps_to():
    p = engine.prescribe(make_case(mrc=STRONG, mep=90), S)
    doc = prescription_json.to_json(p, settings=S)
    by_type = {c["type"]: c for c in doc["components"]}
    assert edits.limits_for(T.RESISTANCE, by_type["resistance"], S) == edits.Limits(2, 12)
    assert edits.default_limits(T.RESISTANCE, S) == edits.Limits(2, 12)
    emst = by_type["respiratory_muscle"]
    assert edits.limits_for(T.RESPIRATORY_MUSCLE, emst, S) == edits.Limits(5, 5)


# The page's operations.


def test_the_harder_variant_keeps_the_side_and_the_dose():
    swapped = edit_ops.swap(
        T.RESISTANCE,
        [knee(sets=2, repetitions=12, side="left")],
        0,
        "harder",
        library=LIBRARY,
        limits=edits.Limits(2, 12),
    )
    assert swapped == [
        dataclasses.asdict(
            choice.dose(LIBRARY.entries["knee_light_load"], side="left", sets=2, repetitions=12)
        )
    ]


def test_a_variant_that_does_not_fit_is_offered_by_no_check():
    case = patient(mrc=STRONG | {"knee_extension_left": 3})
    harder = edit_ops.swap(
        T.RESISTANCE, [knee()], 0, "harder", library=LIBRARY, limits=edits.Limits(2, 12)
    )
    assert codes(T.RESISTANCE, harder, case=case) == {("exercises[0].id", "exercise_needs_mrc")}
    easier = edit_ops.swap(
        T.RESISTANCE, [knee()], 0, "easier", library=LIBRARY, limits=edits.Limits(2, 12)
    )
    assert [d["id"] for d in easier] == ["knee_gravity_eliminated"]
    assert codes(T.RESISTANCE, easier, case=case) == set()


def test_a_swap_without_a_variant_or_outside_the_list_changes_nothing():
    start = [knee("knee_light_load")]
    limits = edits.Limits(2, 12)
    assert edit_ops.swap(T.RESISTANCE, start, 0, "harder", library=LIBRARY, limits=limits) == start
    assert edit_ops.swap(T.RESISTANCE, start, 5, "easier", library=LIBRARY, limits=limits) == start


def test_adding_takes_the_side_that_fits_and_the_library_dose_within_the_limits():
    case = patient(mrc=STRONG | {"knee_extension_left": 3})
    e = LIBRARY.entries["knee_light_load"]
    assert edit_ops.fitting_side(e, case, S) == "right"
    added = edit_ops.add(
        T.RESISTANCE,
        [],
        e.id,
        side="right",
        library=LIBRARY,
        limits=edits.Limits(1, 8),
        session_minutes=10,
    )
    assert added == [dataclasses.asdict(choice.dose(e, side="right", sets=1, repetitions=8))]
    assert codes(T.RESISTANCE, added, case=case) == set()


def test_the_exercises_offered_to_add_serve_the_component_and_fit_the_patient():
    case = patient(mrc={"knee_extension_left": 2, "knee_extension_right": 2}, equipment=frozenset())
    offered = {e.id for e in edit_ops.addable(T.RESISTANCE, case=case, settings=S, library=LIBRARY)}
    assert offered == {"knee_gravity_eliminated", "seated_marching_warm_up"}


def test_an_added_continuous_exercise_takes_the_minutes_left():
    added = edit_ops.add(
        T.AEROBIC,
        [{"id": "seated_marching_warm_up", "sets": 1, "repetitions": 20}],
        "recumbent_cycling",
        side="none",
        library=LIBRARY,
        limits=edits.Limits(),
        session_minutes=15,
    )
    # the warm-up goes beside the session: the cycling takes the whole of it
    assert added[-1]["minutes"] == 15 and added[-1]["hold_seconds"] is None
    assert codes(T.AEROBIC, added, session=15) == set()


def test_a_warm_up_added_to_resistance_keeps_its_own_dose_outside_the_strength_limits():
    added = edit_ops.add(
        T.RESISTANCE,
        [knee(sets=2, repetitions=12)],
        "seated_marching_warm_up",
        side="none",
        library=LIBRARY,
        limits=edits.Limits(2, 12),
        session_minutes=10,
    )
    assert (added[-1]["sets"], added[-1]["repetitions"]) == (1, 20)
    assert codes(T.RESISTANCE, added, limits=edits.Limits(2, 12), session=10) == set()


def test_removing_drops_only_that_exercise():
    start = [knee(side="left"), knee(side="right")]
    assert edit_ops.remove(start, 0) == [knee(side="right")]


# Properties.

KINDS = sorted({kind for e in LIBRARY for kind in e.components})
# Anything at all, for the refusals ...
any_dose = st.fixed_dictionaries(
    {"id": st.sampled_from(sorted(LIBRARY.entries))},
    optional={
        "sets": st.integers(0, 6),
        "repetitions": st.integers(0, 31),
        "hold_seconds": st.integers(1, 120),
        "side": st.sampled_from(["both", "left", "right", "none"]),
        "minutes": st.floats(0, 40),
    },
)


@st.composite
def well_formed(draw, kind):
    """... and lists a clinician could send: different exercises for the component, each
    counted in its own field, on a side it has, the numbers one past the bounds at most."""
    serving = sorted(e.id for e in LIBRARY if kind in e.components)
    limits = edits.default_limits(kind, S)
    out = []
    for exercise_id in draw(
        st.lists(st.sampled_from(serving), min_size=1, max_size=4, unique=True)
    ):
        e = LIBRARY.entries[exercise_id]
        framing = e.category in edits.FRAME
        dose = {"id": e.id, "sets": draw(st.integers(1, 1 + (5 if framing else limits.sets_max)))}
        used = edits.uses(e, kind)
        if used == "minutes":
            dose[used] = draw(st.floats(4, 35))
        elif used == "repetitions":
            dose[used] = draw(st.integers(1, 1 + (30 if framing else limits.repetitions_max)))
        else:
            dose[used] = draw(st.integers(1, 300))
        dose["side"] = draw(st.sampled_from(edits.SIDED if e.sided else edits.UNSIDED))
        out.append(dose)
    return out


@st.composite
def component_edits(draw):
    kind = draw(st.sampled_from(KINDS))
    lists = st.one_of(well_formed(kind), well_formed(kind), st.lists(any_dose, max_size=4))
    return kind, draw(lists)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=cases(),
    caregiver=st.sampled_from([None, True, False]),
    edit=component_edits(),
    session=st.floats(3, 40),
)
def test_any_list_the_check_accepts_fits_the_patient_and_the_session(
    case, caregiver, edit, session
):
    case = dataclasses.replace(case, caregiver_at_home=caregiver)
    kind, exercises = edit
    found = edits.check(
        kind, exercises, case=case, settings=S, library=LIBRARY, session_minutes=session
    )
    event("accepted" if not found else "refused")
    if found:
        return
    kept = edits.stored(kind, exercises, library=LIBRARY)
    mrc = case.mrc or {}
    for d in kept:
        e = LIBRARY.entries[d["id"]]
        assert kind in e.components
        for group, needed in e.min_mrc.items():
            for side in fit.sides_for(e, d["side"]):
                assert mrc.get(f"{group}_{side}", S.antigravity_mrc) >= needed
        if d["load"] == "light_added_load":
            sides = fit.sides_for(e, d["side"])
            assert all(mrc.get(f"{g}_{s}", 0) >= 4 for g in e.muscle_groups for s in sides)
        assert not (e.lying_flat and breathing.orthopnoea(case))
    own = [d for d in kept if LIBRARY.entries[d["id"]].category not in ("warm_up", "cool_down")]
    assert sum(d["minutes"] for d in own) <= session + 1e-9


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_whatever_the_engine_chooses_an_unchanged_save_accepts(case):
    p = engine.prescribe(case, S)
    components = choice.choose_all(p.components, case, S, library=LIBRARY, week=p.current_week)
    doc = prescription_json.to_json(
        dataclasses.replace(p, components=tuple(components)), settings=S
    )
    for stored in doc["components"]:
        if not stored["exercises"]:
            continue
        kind = T(stored["type"])
        found = edits.check(
            kind,
            stored["exercises"],
            case=case,
            settings=S,
            library=LIBRARY,
            session_minutes=edits.session_minutes(stored, week=p.current_week),
            limits=edits.limits_for(kind, stored, S),
        )
        assert found == [], (kind, stored["exercises"], found)
        assert edits.stored(kind, stored["exercises"], library=LIBRARY) == stored["exercises"]


def test_every_library_exercise_at_its_own_dose_is_accepted_for_a_patient_who_can_do_it_all():
    # The property's accepting path is reached: a strong, walking patient with help at home.
    case = patient(caregiver=True)
    for e in LIBRARY:
        for kind in e.components:
            raw = edit_ops.new_dose(
                e, kind, side="both" if e.sided else "none", limits=edits.default_limits(kind, S)
            )
            assert (
                edits.check(kind, [raw], case=case, settings=S, library=LIBRARY, session_minutes=30)
                == []
            ), e.id
