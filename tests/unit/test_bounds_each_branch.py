"""Each safety bound fires: a valid draft is broken in one way at a time, and `bounds.violations`
must name that way. A bound that never fires would guard nothing."""

import dataclasses

import pytest
from tests.prescription_cases import make_case

from alsrx.domain.prescription import bounds, engine
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.model import Day, Intensity, Note, Span, Status
from alsrx.domain.prescription.params import EngineSettings

S = EngineSettings()
STRONG = dict.fromkeys(MRC_KEYS, 5)
CASE = make_case(cpet_peak=170, mrc=STRONG, mep=100)
BASE = engine.prescribe(CASE)


def changed(kind, p=BASE, **fields):
    """The prescription with one component's fields replaced."""
    components = tuple(
        dataclasses.replace(c, **fields) if c.type is kind else c for c in p.components
    )
    return dataclasses.replace(p, components=components)


def aerobic_intensity(**fields):
    return dataclasses.replace(BASE.component(T.AEROBIC).intensity, **fields)


def test_the_base_draft_breaks_no_bound():
    assert bounds.violations(BASE, CASE, S) == []


CASES = [
    # (what is broken, the prescription, the case it is checked against, the message)
    (
        "HR with a beta-blocker",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, beta_blocker=True),
        "aerobic HR target without a valid reserve or with a beta-blocker",
    ),
    (
        "HR above 75 % HRR",
        changed(T.AEROBIC, intensity=aerobic_intensity(hr_bpm=Span(100, 170))),
        CASE,
        "aerobic HR above the % HRR ceiling",
    ),
    (
        "% HRR above 75",
        changed(T.AEROBIC, intensity=aerobic_intensity(percent_hrr=Span(50, 80))),
        CASE,
        "aerobic % HRR above the ceiling",
    ),
    (
        "6 aerobic sessions",
        changed(T.AEROBIC, sessions_per_week=Span(2, 6)),
        CASE,
        "aerobic sessions a week outside 2-5",
    ),
    (
        "40-minute aerobic session",
        changed(T.AEROBIC, minutes_per_session=Span(15, 40)),
        CASE,
        "aerobic session longer than the maximum",
    ),
    (
        "walking when walking is lost",
        changed(T.AEROBIC, modalities=("walking",)),
        make_case(cpet_peak=170, mrc=STRONG, mep=100, items={"q8_walking": 1}),
        "walking modality although walking is lost",
    ),
    (
        "arm ergometer with weak arms",
        changed(T.AEROBIC, modalities=("arm_ergometer",)),
        make_case(cpet_peak=170, mrc={**STRONG, "elbow_flexion_right": 2}, mep=100),
        "arm ergometer without antigravity arms",
    ),
    (
        "leg cycling with weak legs",
        changed(T.AEROBIC, modalities=("recumbent_bike",)),
        make_case(cpet_peak=170, mrc={**STRONG, "hip_flexion_left": 2}, mep=100),
        "leg cycling without antigravity legs",
    ),
    (
        "walking with a foot drop, no aid",
        changed(T.AEROBIC, modalities=("walking",), constraints=("talk_test",)),
        make_case(cpet_peak=170, mrc={**STRONG, "ankle_dorsiflexion_left": 1}, mep=100),
        "walking exercise with weak legs and no aid or person present",
    ),
    (
        "sit-to-stand with weak knees",
        BASE,
        make_case(cpet_peak=170, mrc={**STRONG, "knee_extension_left": 2}, mep=100),
        "unassisted sit-to-stand without antigravity knees",
    ),
    (
        "gait with weak ankles, no aid",
        BASE,
        make_case(cpet_peak=170, mrc={**STRONG, "ankle_dorsiflexion_left": 2}, mep=100),
        "standing or gait practice with weak legs and no aid or person present",
    ),
    (
        "talk test without speech",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, items={"q1_speech": 1}),
        "talk test although speech is impaired",
    ),
    (
        "lying flat with orthopnoea",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, items={"q11_orthopnea": 1}),
        "lying flat allowed despite orthopnoea",
    ),
    (
        "EMST with a hernia",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, conditions=frozenset({"abdominal_hernia"})),
        "EMST although a screen finding makes it unsafe or impossible",
    ),
    (
        "EMST set below the device",
        changed(
            T.RESPIRATORY_MUSCLE,
            intensity=Intensity(percent_mep=Span(50, 50), device_pressure_cmh2o=20.0),
        ),
        CASE,
        "EMST device setting below the trainer's lowest mark",
    ),
    (
        "EMST above 50 % MEP",
        changed(
            T.RESPIRATORY_MUSCLE,
            intensity=Intensity(percent_mep=Span(60, 60), device_pressure_cmh2o=60.0),
        ),
        CASE,
        "respiratory_muscle above 50.0 % MEP",
    ),
    (
        "resistance for an MRC-2 muscle",
        BASE,
        make_case(cpet_peak=170, mrc={**STRONG, "hip_flexion_left": 2}, mep=100),
        "resistance for a muscle below antigravity strength",
    ),
    (
        "a trained muscle without a load",
        changed(T.RESISTANCE, muscle_loads={}),
        CASE,
        "resistance without a load for each trained muscle group",
    ),
    (
        "a light load on an MRC-3 muscle",
        BASE,
        make_case(cpet_peak=170, mrc={**STRONG, "hip_flexion_left": 3}, mep=100),
        "added load on a muscle below MRC 4",
    ),
    (
        "6 resistance sessions",
        changed(T.RESISTANCE, sessions_per_week=Span(3, 6)),
        CASE,
        "resistance sessions a week outside 3-5",
    ),
    (
        "eccentric work allowed",
        changed(T.RESISTANCE, constraints=("no_high_load",)),
        CASE,
        "resistance without the no-eccentric / no-high-load constraints",
    ),
    (
        "RPE 15",
        changed(T.AEROBIC, intensity=aerobic_intensity(rpe=Span(11, 15))),
        CASE,
        "aerobic RPE above 13",
    ),
    (
        "no evidence",
        changed(T.BALANCE_FUNCTIONAL, evidence=()),
        CASE,
        "balance_functional cites no evidence",
    ),
    (
        "aerobic when respiratory assessment comes first",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, fvc=1.8),
        "aerobic, resistance or EMST work although respiratory assessment comes first",
    ),
    (
        "ok with NIV",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, items={"q12_respiratory_insufficiency": 3}),
        "status ok despite NIV use, widespread weakness or lost walking",
    ),
    (
        "a spoken stop rule without speech",
        BASE,
        make_case(cpet_peak=170, mrc=STRONG, mep=100, items={"q1_speech": 0}),
        "a stop rule that relies on speaking although speech is impaired",
    ),
    (
        "contraindicated but not stopped",
        BASE,
        make_case(
            cpet_peak=170, mrc=STRONG, mep=100, conditions=frozenset({"unstable_cardiac_disease"})
        ),
        "contraindication without not_recommended",
    ),
    (
        "exercise while not recommended",
        dataclasses.replace(BASE, status=Status.NOT_RECOMMENDED),
        CASE,
        "exercise components while not recommended",
    ),
    (
        "an unknown evidence id",
        dataclasses.replace(BASE, stop_rules=(*BASE.stop_rules, Note("x", ("R999",)))),
        CASE,
        "unknown evidence id R999",
    ),
    (
        "a day above an hour",
        dataclasses.replace(BASE, weekly_schedule=(Day(1, (T.AEROBIC,), 61),)),
        CASE,
        "day above the daily limit",
    ),
]


@pytest.mark.parametrize(("broken", "p", "case", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_bound_names_the_way_a_draft_breaks_it(broken, p, case, message):
    assert message in bounds.violations(p, case, S)
