"""The whole patient decides the draft (issue 12): each rule with the vector its source gives.

Sources: rec-respiratory-first (FVC < 50 %: AAN 2009, EFNS 2012, NICE NG42), rec-exercise-with-niv,
rec-orthopnoea-no-supine, rec-respiratory-muscle-review (MIP/SNIP <= 40 cmH2O), rec-weakness-pattern
(antigravity = MRC 3, G-paganoni-2015), rec-bulbar-effort-monitoring, rec-emst-safety (EMST150
lowest mark 30 cmH2O), rec-energy-balance (BMI < 18.5, weight loss >= 5 %), rec-cardiac-screen-older
(FACTS-2-ALS enrolled 18-70, R30), rec-fast-progression, G-acsm-gete (moderate band 40-59 % HRR).
"""

import pytest
from tests.prescription_cases import make_case

from alsrx.domain.prescription import engine
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.model import Status

ALL_FIVE = dict.fromkeys(MRC_KEYS, 5)


def codes(p):
    return {r.code for r in p.reasons}


def types(p):
    return {c.type for c in p.components}


def mrc(**grades):
    return {**ALL_FIVE, **grades}


# Breathing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("item12", [3, 2, 1, 0])
def test_any_niv_use_goes_to_a_clinician_with_advice_on_exercising_with_the_ventilator(item12):
    p = engine.prescribe(make_case(items={"q12_respiratory_insufficiency": item12}, mrc=ALL_FIVE))
    assert p.status is Status.CLINICIAN_REVIEW
    assert codes(p) & {"intermittent_niv", "ventilation_support"}
    aero = p.component(T.AEROBIC)
    assert aero is not None and "with_ventilator_at_hand" in aero.constraints


def test_recorded_ventilation_support_counts_as_niv_even_with_item_12_at_4():
    p = engine.prescribe(make_case(ventilation=True, mrc=ALL_FIVE))
    assert "ventilation_support" in codes(p) and p.status is Status.CLINICIAN_REVIEW


# FVC 4.0 L in a 60-year-old 175 cm man is ~90 % predicted; 1.8 L is ~40 %.
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"fvc": 1.8}, "respiratory_first_fvc"),
        ({"items": {"q10_dyspnea": 0}}, "respiratory_first_dyspnoea"),
        ({"items": {"q10_dyspnea": 1}, "rest": 104}, "respiratory_first_tachycardia"),
    ],
)
def test_severe_respiratory_impairment_without_niv_drafts_respiratory_assessment_first(
    kwargs, code
):
    p = engine.prescribe(make_case(mrc=ALL_FIVE, mep=100, **kwargs))
    assert code in codes(p)
    assert p.status is Status.CLINICIAN_REVIEW
    assert types(p) == {T.FLEXIBILITY, T.BREATHING}


def test_breathless_at_rest_with_a_normal_heart_rate_is_review_not_respiratory_first():
    p = engine.prescribe(make_case(items={"q10_dyspnea": 1}, rest=80, mrc=ALL_FIVE))
    assert "dyspnea_at_rest" in codes(p)
    assert T.AEROBIC in types(p)


def test_fvc_just_at_50_percent_is_not_respiratory_first_but_still_below_the_trials():
    case = make_case(fvc=2.3, mrc=ALL_FIVE)
    percent = case.assessed.fvc.percent_predicted
    assert percent is not None and 50 <= percent < 65
    p = engine.prescribe(case)
    assert "fvc_low" in codes(p) and T.AEROBIC in types(p)


def test_with_niv_a_low_fvc_is_the_niv_tier_not_respiratory_first():
    p = engine.prescribe(make_case(fvc=1.8, ventilation=True, mrc=ALL_FIVE))
    assert "respiratory_first_fvc" not in codes(p)
    assert "ventilation_support" in codes(p)


@pytest.mark.parametrize("item11", [2, 1, 0])
def test_orthopnoea_rules_out_exercise_lying_flat(item11):
    p = engine.prescribe(make_case(items={"q11_orthopnea": item11, "q8_walking": 1}, mrc=ALL_FIVE))
    assert "orthopnoea_no_lying_flat" in {n.code for n in p.reasons}
    for c in p.components:
        assert "no_lying_flat" in c.constraints
        assert "rolling_over" not in c.modalities


@pytest.mark.parametrize(
    ("mip", "snip", "review"), [(40, None, True), (41, None, False), (None, 35, True)]
)
def test_mip_or_snip_at_or_below_40_cmh2o_goes_to_review(mip, snip, review):
    p = engine.prescribe(make_case(mip=mip, snip=snip, mrc=ALL_FIVE))
    assert ("inspiratory_pressure_low" in codes(p)) is review


# The weakness pattern ----------------------------------------------------------------------------


LOST_WALKING = {"q8_walking": 1, "q9_climbing_stairs": 0}


def test_arm_ergometer_only_with_antigravity_shoulders_and_elbows_on_both_sides():
    strong = engine.prescribe(make_case(items=LOST_WALKING, mrc=ALL_FIVE))
    assert "arm_ergometer" in strong.component(T.AEROBIC).modalities
    weak = engine.prescribe(make_case(items=LOST_WALKING, mrc=mrc(elbow_flexion_left=2)))
    aero = weak.component(T.AEROBIC)
    assert aero is not None and "arm_ergometer" not in aero.modalities
    assert {"assisted_cycling", "seated_aerobic_exercise"} & set(aero.modalities)


def test_no_aerobic_work_when_no_limb_moves_against_gravity_and_no_assisted_cycle():
    flaccid = dict.fromkeys(ALL_FIVE, 1)
    p = engine.prescribe(make_case(items=LOST_WALKING, mrc=flaccid, equipment=frozenset()))
    assert T.AEROBIC not in types(p)
    assert p.status is Status.CLINICIAN_REVIEW


def test_sit_to_stand_is_assisted_below_antigravity_knees():
    ok = engine.prescribe(make_case(mrc=ALL_FIVE)).component(T.BALANCE_FUNCTIONAL)
    assert "sit_to_stand" in ok.modalities
    weak = engine.prescribe(make_case(mrc=mrc(knee_extension_right=2)))
    functional = weak.component(T.BALANCE_FUNCTIONAL)
    assert "sit_to_stand" not in functional.modalities
    assert "assisted_sit_to_stand" in functional.modalities


@pytest.mark.parametrize("weak", ["knee_extension_left", "ankle_dorsiflexion_right"])
def test_gait_practice_with_weak_knees_or_ankles_needs_an_aid_and_a_person(weak):
    functional = engine.prescribe(make_case(mrc=mrc(**{weak: 2}))).component(T.BALANCE_FUNCTIONAL)
    assert "gait_practice" in functional.modalities
    assert {"with_orthosis_or_walking_aid", "person_present"} <= set(functional.constraints)


def test_resistance_load_is_per_muscle_mrc_3_against_gravity_and_4_light_load():
    grades = mrc(shoulder_abduction_left=3, elbow_flexion_left=4, wrist_extension_left=1)
    resist = engine.prescribe(make_case(mrc=grades)).component(T.RESISTANCE)
    assert resist.muscle_loads["shoulder_abduction_left"] == "against_gravity_only"
    assert resist.muscle_loads["elbow_flexion_left"] == "light_added_load"
    assert "wrist_extension_left" not in resist.muscle_loads
    assert "wrist_extension_left" in resist.range_of_motion_only


def test_more_than_half_of_tested_groups_below_mrc_3_goes_to_review():
    grades = {k: (2 if i < 7 else 5) for i, k in enumerate(ALL_FIVE)}
    p = engine.prescribe(make_case(mrc=grades))
    assert "widespread_weakness" in codes(p) and p.status is Status.CLINICIAN_REVIEW
    half = {k: (2 if i < 6 else 5) for i, k in enumerate(ALL_FIVE)}
    assert "widespread_weakness" not in codes(engine.prescribe(make_case(mrc=half)))


def test_a_patient_who_cannot_walk_goes_to_review():
    p = engine.prescribe(make_case(items=LOST_WALKING, mrc=ALL_FIVE))
    assert "cannot_walk" in codes(p) and p.status is Status.CLINICIAN_REVIEW


def test_session_length_follows_the_number_of_muscle_groups():
    one = {k: (5 if k == "knee_extension_left" else 1) for k in ALL_FIVE}
    short = engine.prescribe(make_case(mrc=one)).component(T.RESISTANCE)
    full = engine.prescribe(make_case(mrc=ALL_FIVE)).component(T.RESISTANCE)
    assert short.minutes_per_session.max <= 5
    assert full.minutes_per_session.max > short.minutes_per_session.max
    assert all(s.minutes_per_session.max <= 5 for s in short.progression)


# Bulbar, energy, age, progression --------------------------------------------------------------


@pytest.mark.parametrize("item1", [2, 1, 0])
def test_impaired_speech_replaces_the_talk_test_with_charts_and_heart_rate(item1):
    p = engine.prescribe(make_case(items={"q1_speech": item1}, mrc=ALL_FIVE))
    aero = p.component(T.AEROBIC)
    assert "talk_test" not in aero.constraints
    assert {"rpe_pointing_chart", "breathlessness_scale"} <= set(aero.constraints)
    rules = {r.code for r in p.stop_rules}
    assert "stop_unusual_breathlessness" not in rules and "stop_breathlessness_scale" in rules
    assert "breathlessness_scale" in p.monitoring.per_session


def test_speech_at_3_keeps_the_talk_test():
    aero = engine.prescribe(make_case(items={"q1_speech": 3})).component(T.AEROBIC)
    assert "talk_test" in aero.constraints


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"conditions": frozenset({"abdominal_hernia"})}, "emst_unsafe_abdominal_hernia"),
        ({"conditions": frozenset({"recent_pneumothorax"})}, "emst_unsafe_recent_pneumothorax"),
        ({"conditions": frozenset({"uncontrolled_reflux"})}, "emst_unsafe_uncontrolled_reflux"),
        ({"lip_seal_poor": True}, "emst_poor_lip_seal"),
        ({"sialorrhoea_severe": True}, "emst_severe_sialorrhoea"),
        ({"items": {"q2_salivation": 0}}, "emst_severe_sialorrhoea"),
    ],
)
def test_emst_screen_findings_keep_emst_out_and_go_to_review(kwargs, code):
    p = engine.prescribe(make_case(mep=100, mrc=ALL_FIVE, **kwargs))
    assert code in codes(p) and T.RESPIRATORY_MUSCLE not in types(p)
    assert p.status is Status.CLINICIAN_REVIEW


def test_an_emst_setting_below_the_trainers_lowest_mark_leaves_emst_to_the_clinician():
    low = engine.prescribe(make_case(mep=58, mrc=ALL_FIVE))  # 50 % = 29 cmH2O < 30
    assert T.RESPIRATORY_MUSCLE not in types(low)
    assert "emst_setting_below_device_range" in codes(low)
    assert low.status is Status.CLINICIAN_REVIEW
    ok = engine.prescribe(make_case(mep=60, mrc=ALL_FIVE)).component(T.RESPIRATORY_MUSCLE)
    assert ok.intensity.device_pressure_cmh2o == 30.0


def test_mep_is_remeasured_monthly_while_emst_runs():
    p = engine.prescribe(make_case(mep=100, mrc=ALL_FIVE))
    assert p.monitoring.remeasure_mep_every_weeks == 4
    assert engine.prescribe(make_case(mrc=ALL_FIVE)).monitoring.remeasure_mep_every_weeks is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"weight": 52, "height": 170}, "energy_underweight"),  # BMI 18.0
        ({"weight": 71, "previous_weight": 75}, "energy_weight_loss"),  # 5.3 %
    ],
)
def test_underweight_or_weight_loss_raises_an_energy_balance_review(kwargs, code):
    p = engine.prescribe(make_case(months_since_onset=6, mrc=ALL_FIVE, **kwargs))
    assert code in codes(p) and p.status is Status.CLINICIAN_REVIEW
    assert not p.early_disease
    assert p.component(T.AEROBIC).minutes_per_session.max <= 20


def test_weight_loss_under_5_percent_and_bmi_18_5_raise_nothing():
    p = engine.prescribe(make_case(weight=72, previous_weight=75, mrc=ALL_FIVE))  # 4 %
    assert not codes(p) & {"energy_underweight", "energy_weight_loss"}


def test_a_fast_progressor_gets_no_early_escalation_and_a_sooner_review():
    # ALSFRS-R 40 four months after onset: (48 - 40) / 4 = 2.0 points a month, fast.
    items = {"q1_speech": 2, "q4_handwriting": 2, "q6_dressing_hygiene": 2, "q9_climbing_stairs": 2}
    p = engine.prescribe(make_case(items=items, months_since_onset=4, mrc=ALL_FIVE))
    assert "fast_progression" in codes(p)
    assert not p.early_disease
    assert p.component(T.AEROBIC).sessions_per_week.max <= 3
    assert p.review_after_weeks == 6


def test_age_above_the_trials_range_prompts_a_cardiovascular_check():
    assert "older_than_trials_cardiac_check" in codes(engine.prescribe(make_case(age=71)))
    assert "older_than_trials_cardiac_check" not in codes(engine.prescribe(make_case(age=70)))


# The current phase and honest intensity -----------------------------------------------------------


def test_the_heart_rate_stop_rule_is_the_current_phase_not_the_final_one():
    first = engine.prescribe(make_case(cpet_peak=170, mrc=ALL_FIVE))
    late = engine.prescribe(make_case(cpet_peak=170, mrc=ALL_FIVE, weeks_completed=14))
    rule = lambda p: next(r for r in p.stop_rules if r.code.startswith("stop_hr_"))  # noqa: E731
    assert rule(first).params["bpm"] < rule(late).params["bpm"]
    assert (rule(first).params["first_week"], rule(first).params["last_week"]) == (1, 4)


def test_a_75_percent_ceiling_is_said_to_be_above_acsms_moderate_band():
    aero = engine.prescribe(make_case(cpet_peak=170)).component(T.AEROBIC)
    notes = {n.code for n in aero.rationale}
    assert {"aerobic_hr_is_safety_ceiling", "aerobic_ceiling_above_moderate_band"} <= notes


def test_leg_cycling_needs_antigravity_hips_and_knees():
    flail_leg = mrc(knee_extension_left=2, knee_extension_right=2)
    aero = engine.prescribe(
        make_case(
            items={"q8_walking": 2},
            mrc=flail_leg,
            equipment=frozenset({"motor_assisted_cycle", "arm_ergometer", "cycle_ergometer"}),
        )
    ).component(T.AEROBIC)
    assert not {"cycle_ergometer", "recumbent_bike"} & set(aero.modalities)
    assert {"assisted_cycling", "arm_ergometer"} <= set(aero.modalities)


def test_walking_exercise_with_a_foot_drop_needs_an_aid_and_a_person_and_no_treadmill():
    aero = engine.prescribe(make_case(mrc=mrc(ankle_dorsiflexion_left=1))).component(T.AEROBIC)
    assert "treadmill" not in aero.modalities and "walking" in aero.modalities
    assert {"with_orthosis_or_walking_aid", "person_present"} <= set(aero.constraints)


def test_an_ordinary_bike_is_not_motor_assisted_cycling():
    weak = dict.fromkeys(ALL_FIVE, 1) | {"hip_flexion_left": 3}
    aero = engine.prescribe(
        make_case(items=LOST_WALKING, mrc=weak, equipment=frozenset({"cycle_ergometer"}))
    ).component(T.AEROBIC)
    assert aero is None or "assisted_cycling" not in aero.modalities


def test_sleeping_only_sitting_up_without_niv_puts_respiratory_assessment_first():
    p = engine.prescribe(make_case(items={"q11_orthopnea": 1}, mrc=ALL_FIVE))
    assert "respiratory_first_orthopnoea" in codes(p)
    assert types(p) == {T.FLEXIBILITY, T.BREATHING}
    assert p.review_after_weeks == 4


def test_a_resting_heart_rate_of_100_goes_to_review_whatever_the_breathing():
    p = engine.prescribe(make_case(rest=118, mrc=ALL_FIVE))
    assert "resting_tachycardia" in codes(p) and p.status is Status.CLINICIAN_REVIEW


@pytest.mark.parametrize(
    "kwargs",
    [
        {"items": {"q12_respiratory_insufficiency": 3}},
        {"items": {"q10_dyspnea": 1}},
        {"mip": 35},
    ],
)
def test_niv_breathlessness_at_rest_or_weak_inspiratory_muscles_hold_the_first_phase(kwargs):
    p = engine.prescribe(make_case(cpet_peak=170, mrc=ALL_FIVE, weeks_completed=12, **kwargs))
    aero, resist = p.component(T.AEROBIC), p.component(T.RESISTANCE)
    assert len(aero.progression) == 1 and aero.progression[0].last_week == 16
    assert aero.minutes_per_session.max == 15
    assert resist.sessions_per_week.max == 3
    assert "ramp_held_for_breathing" in codes(p)


def test_an_energy_deficit_shortens_the_day_to_45_minutes():
    p = engine.prescribe(make_case(weight=50, height=175, mrc=ALL_FIVE, mep=100))
    assert max(d.minutes_max for d in p.weekly_schedule) <= 45


def test_a_week_shortened_for_energy_names_the_shorter_limit_in_its_notes():
    p = engine.prescribe(make_case(weight=50, height=175, mrc=ALL_FIVE, mep=100))
    limits = {n.params["limit"] for n in p.trace if n.code.startswith("schedule_")}
    assert limits <= {45}
