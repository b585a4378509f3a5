"""Each engine rule against its source (ids in the evidence base; clinical-facts 7.1, 8)."""

import itertools

import pytest
from tests.prescription_cases import make_case

from alsrx.domain.prescription import engine, params
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.model import Status
from alsrx.errors import InvalidInput

MRC_STRONG = {
    "knee_extension_left": 4,
    "knee_extension_right": 4,
    "elbow_flexion_left": 5,
    "elbow_flexion_right": 3,
}


def aerobic(p):
    return p.component(T.AEROBIC)


def test_cpet_hr_range_is_karvonen_50_to_75_percent_of_reserve():
    # Karvonen worked example (clinical-facts 7.1): rest 70, max 166 -> 118.0 / 142.0
    p = engine.prescribe(make_case(rest=70, cpet_peak=166))
    hr = aerobic(p).intensity.hr_bpm
    assert (hr.min, hr.max) == pytest.approx((118.0, 142.0))
    assert aerobic(p).intensity.hr_basis == "cpet"


def test_without_cpet_the_age_predicted_hr_is_only_a_ceiling():
    # Tanaka at 60 y: 166 bpm; 75 % HRR from rest 70 -> 142 bpm (clinical-facts 7.1)
    p = engine.prescribe(make_case(age=60, rest=70))
    a = aerobic(p)
    assert a.intensity.hr_basis == "age_predicted_ceiling"
    assert a.intensity.hr_bpm.min is None
    assert a.intensity.hr_bpm.max == pytest.approx(142.0, abs=0.2)  # age from whole days
    assert (a.intensity.rpe.min, a.intensity.rpe.max) == (11, 13)


def test_beta_blocker_means_rpe_only_without_any_hr_target():
    p = engine.prescribe(make_case(beta_blocker=True, cpet_peak=150))
    a = aerobic(p)
    assert a.intensity.hr_bpm is None and all(s.hr_bpm is None for s in a.progression)
    assert a.intensity.hr_basis == "rpe_only_beta_blocker"
    assert "stop_hr_above_ceiling" not in {r.code for r in p.stop_rules}


def test_anaerobic_threshold_caps_the_cpet_range():
    p = engine.prescribe(make_case(rest=70, cpet_peak=166, at_hr=130))
    assert aerobic(p).intensity.hr_bpm.max == pytest.approx(130.0)


def test_aerobic_ramps_from_15_to_30_minutes_and_50_to_75_percent_over_16_weeks():
    # The review's description of the FACTS-2-ALS programme (R30; rec-aerobic-ramp)
    steps = aerobic(engine.prescribe(make_case(cpet_peak=166))).progression
    assert steps[0].first_week == 1 and steps[-1].last_week == 16
    assert steps[0].minutes_per_session.max == 15 and steps[-1].minutes_per_session.max == 30
    assert steps[0].percent_hrr.min == 50 and steps[-1].percent_hrr.max == 75
    assert all(a.percent_hrr.max <= b.percent_hrr.max for a, b in itertools.pairwise(steps))


@pytest.mark.parametrize(
    ("item8", "expected", "absent"),
    [
        (4, {"walking", "cycle_ergometer"}, set()),
        (3, {"walking", "treadmill"}, set()),
        (2, {"recumbent_bike", "bodyweight_supported_treadmill"}, {"walking"}),
        (1, {"arm_ergometer", "seated_aerobic_exercise"}, {"walking", "treadmill"}),
        (0, {"arm_ergometer"}, {"walking", "bodyweight_supported_treadmill"}),
    ],
)
def test_modality_follows_walking_function(item8, expected, absent):
    modalities = set(aerobic(engine.prescribe(make_case(items={"q8_walking": item8}))).modalities)
    assert expected <= modalities and not absent & modalities


def test_equipment_at_home_limits_the_modalities():
    p = engine.prescribe(make_case(equipment=frozenset({"recumbent_bike"})))
    assert set(aerobic(p).modalities) == {"walking", "recumbent_bike"}


def test_resistance_only_for_antigravity_muscles_and_range_of_motion_for_the_rest():
    mrc = dict(MRC_STRONG, hip_flexion_left=2, ankle_dorsiflexion_right=0)
    p = engine.prescribe(make_case(mrc=mrc))
    r = p.component(T.RESISTANCE)
    assert set(r.muscle_groups) == set(MRC_STRONG)
    assert set(r.range_of_motion_only) == {"hip_flexion_left", "ankle_dorsiflexion_right"}
    assert set(p.component(T.FLEXIBILITY).range_of_motion_only) == set(r.range_of_motion_only)
    assert (r.sessions_per_week.min, r.sessions_per_week.max) == (3, 5)
    assert {"no_eccentric", "no_high_load"} <= set(r.constraints)


def test_no_resistance_without_mrc_or_without_antigravity_muscles():
    assert engine.prescribe(make_case(mrc=None)).component(T.RESISTANCE) is None
    weak = engine.prescribe(make_case(mrc={"knee_extension_left": 2}))
    assert weak.component(T.RESISTANCE) is None
    assert "no_antigravity_muscles" in {n.code for n in weak.trace}


def test_emst_at_50_percent_mep_5_by_5_five_days_for_8_weeks():
    # Plowman 2019 (R36) with the registered dose (G-plowman-emst)
    r = engine.prescribe(make_case(mep=100)).component(T.RESPIRATORY_MUSCLE)
    assert r.intensity.percent_mep.max == 50 and r.intensity.device_pressure_cmh2o == 50.0
    assert (r.sets.max, r.repetitions.max, r.sessions_per_week.max) == (5, 5, 5)
    assert r.progression[-1].last_week == 8


def test_no_respiratory_training_without_a_measured_mep():
    p = engine.prescribe(make_case(mep=None, mip=60))
    assert p.component(T.RESPIRATORY_MUSCLE) is None
    assert "rmt_needs_mep" in {n.code for n in p.trace}


def test_respiratory_training_with_ventilation_goes_to_a_clinician():
    p = engine.prescribe(make_case(mep=80, ventilation=True))
    assert p.status is Status.CLINICIAN_REVIEW
    assert p.component(T.RESPIRATORY_MUSCLE).requires_clinician_review


def test_early_disease_gets_the_combined_programme_resistance_before_aerobic_at_home():
    # ALSFRS-R >= 40 within about a year of onset (R41), combined ~1 h/day (R40), family (R47)
    p = engine.prescribe(make_case(months_since_onset=8, mrc=MRC_STRONG))
    assert p.early_disease
    order = list(p.session_order)
    assert order.index(T.RESISTANCE) < order.index(T.AEROBIC)
    assert aerobic(p).setting == "home_with_family"
    assert aerobic(p).sessions_per_week.max == 5


def test_later_disease_is_not_called_early():
    assert not engine.prescribe(make_case(months_since_onset=30)).early_disease
    low = {
        "q8_walking": 2,
        "q9_climbing_stairs": 1,
        "q7_turning_in_bed": 2,
        "q6_dressing_hygiene": 2,
    }
    assert not engine.prescribe(make_case(months_since_onset=6, items=low)).early_disease


@pytest.mark.parametrize(
    "condition",
    ["unstable_cardiac_disease", "acute_infection_or_fever", "uncontrolled_hypertension"],
)
def test_contraindications_mean_not_recommended_with_range_of_motion_only(condition):
    p = engine.prescribe(make_case(conditions=frozenset({condition})))
    assert p.status is Status.NOT_RECOMMENDED
    assert [c.type for c in p.components] == [T.FLEXIBILITY]
    assert f"condition_{condition}" in {r.code for r in p.reasons}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"items": {"q12_respiratory_insufficiency": 2}}, "ventilation_support"),
        ({"items": {"q10_dyspnea": 1}}, "dyspnea_at_rest"),
        ({"fvc": 2.5}, "fvc_low"),  # 2.5 L of ~4.4 L predicted is about 56 %
        ({"fvc": None}, "fvc_not_measured"),
        ({"height": None}, "fvc_percent_unknown"),
        (
            {"conditions": frozenset({"recent_fall_with_injury"})},
            "condition_recent_fall_with_injury",
        ),
        (
            {
                "items": {
                    "q8_walking": 0,
                    "q9_climbing_stairs": 0,
                    "q7_turning_in_bed": 0,
                    "q6_dressing_hygiene": 0,
                },
                "months_since_onset": 6,
            },
            "fast_progression",
        ),
    ],
)
def test_situations_outside_the_evidence_go_to_a_clinician(kwargs, code):
    p = engine.prescribe(make_case(**kwargs))
    assert p.status is Status.CLINICIAN_REVIEW
    assert code in {r.code for r in p.reasons}


def test_c9orf72_carriers_avoid_anaerobic_bursts():
    p = engine.prescribe(make_case(c9orf72=True, mrc=MRC_STRONG))
    assert "no_anaerobic_bursts" in aerobic(p).constraints
    assert "no_anaerobic_bursts" in p.component(T.RESISTANCE).constraints


def test_stop_rules_are_always_listed_with_the_configured_fatigue_limit():
    config = params.with_overrides(params.EngineSettings(), {"fatigue_limit_min": 10})
    p = engine.prescribe(make_case(rest=70, cpet_peak=166), config)
    rules = {r.code: r for r in p.stop_rules}
    assert rules["stop_fatigue_beyond_limit"].params["minutes"] == 10
    # Week 1 is in phase 1 (weeks 1-4): 50 -> 56.25 % HRR, 70 + 0.5625 x 96 = 124 bpm.
    assert rules["stop_hr_above_phase_ceiling"].params["bpm"] == 124
    assert {"stop_chest_pain", "stop_dizziness", "stop_unusual_breathlessness"} <= set(rules)
    late = engine.prescribe(make_case(rest=70, cpet_peak=166, weeks_completed=14), config)
    final = next(r for r in late.stop_rules if r.code == "stop_hr_above_phase_ceiling")
    assert final.params["bpm"] == 142  # phase 4 reaches 75 % HRR: 70 + 0.75 x 96


def test_a_stricter_hr_ceiling_can_be_configured():
    config = params.with_overrides(params.EngineSettings(), {"max_percent_hrr": 60})
    p = engine.prescribe(make_case(rest=70, cpet_peak=166), config)
    assert aerobic(p).intensity.hr_bpm.max == pytest.approx(70 + 0.6 * 96)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_percent_hrr", 80),
        ("max_rpe", 15),
        ("emst_percent_mep", 60),
        ("aerobic_max_minutes", 45),
        ("antigravity_mrc", 2),
        ("no_such_setting", 1),
    ],
)
def test_settings_cannot_loosen_an_evidence_bound(name, value):
    with pytest.raises(InvalidInput) as caught:
        params.with_overrides(params.EngineSettings(), {name: value})
    assert caught.value.errors[0].path == f"settings.{name}"


def test_history_moves_the_programme_on():
    assert engine.prescribe(make_case(weeks_completed=4)).current_week == 5
