"""The whole-patient rules hold for every generated patient (issue 12), checked against the
patient's facts directly rather than through bounds.py, so that a bug in the guard cannot hide a
bug in the engine."""

from hypothesis import given, settings
from tests.prescription_cases import cases, engine_settings

from alsrx.domain.prescription import engine
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.model import Status

SIDES = ("left", "right")


def grades_of(case, *muscles):
    mrc = case.mrc or {}
    return [mrc[f"{m}_{s}"] for m in muscles for s in SIDES if f"{m}_{s}" in mrc]


def severe_without_niv(case, config):
    frs, hr = case.assessed.frs, case.assessed.visit.resting_hr_bpm
    niv = frs["q12_respiratory_insufficiency"] <= 3 or case.uses_ventilation_support
    pct = case.assessed.fvc.percent_predicted
    return not niv and (
        (pct is not None and pct < config.respiratory_first_fvc_below_percent)
        or frs["q10_dyspnea"] == 0
        or (
            frs["q10_dyspnea"] <= 1
            and hr is not None
            and hr >= config.respiratory_first_rest_hr_bpm
        )
    )


@settings(max_examples=400, deadline=None)
@given(case=cases(), config=engine_settings())
def test_no_draft_asks_a_muscle_or_a_breath_for_what_it_cannot_give(case, config):
    p = engine.prescribe(case, config)
    arms = grades_of(case, "shoulder_abduction", "elbow_flexion")
    knees = grades_of(case, "knee_extension")
    legs = grades_of(case, "hip_flexion", "knee_extension")
    for c in p.components:
        if any(g < 3 for g in arms):
            assert "arm_ergometer" not in c.modalities
        if any(g < 3 for g in knees):
            assert "sit_to_stand" not in c.modalities
        if any(g < 3 for g in legs):
            assert not {"cycle_ergometer", "recumbent_bike"} & set(c.modalities)
        for group, load in c.muscle_loads.items():
            assert case.mrc[group] >= 3
            if case.mrc[group] == 3:
                assert load == "against_gravity_only"
        if case.assessed.frs["q1_speech"] <= 2:
            assert "talk_test" not in c.constraints
        if case.assessed.frs["q11_orthopnea"] <= 2:
            assert "rolling_over" not in c.modalities and "no_lying_flat" in c.constraints
    if case.assessed.frs["q1_speech"] <= 2:
        assert "stop_unusual_breathlessness" not in {r.code for r in p.stop_rules}
    if severe_without_niv(case, config):
        assert not {T.AEROBIC, T.RESISTANCE, T.RESPIRATORY_MUSCLE} & {c.type for c in p.components}
        assert p.status is not Status.OK


@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_niv_weakness_or_lost_walking_never_come_out_ok(case):
    p = engine.prescribe(case)
    frs = case.assessed.frs
    weak = [g for g in (case.mrc or {}).values() if g < 3]
    if (
        frs["q12_respiratory_insufficiency"] <= 3
        or case.uses_ventilation_support
        or frs["q8_walking"] <= 1
        or 2 * len(weak) > len(case.mrc or {})
    ):
        assert p.status is not Status.OK
