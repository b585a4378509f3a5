"""Building prescription cases for tests: a readable default patient, and a hypothesis strategy."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import strategies as st

from alsrx.domain import assessment
from alsrx.domain.equations.gli2012 import Group
from alsrx.domain.prescription.inputs import (
    EMST_UNSAFE_CONDITIONS,
    HEAD_DROP,
    MRC_KEYS,
    NOT_RECOMMENDED_CONDITIONS,
    REVIEW_CONDITIONS,
    Case,
    History,
)
from alsrx.domain.prescription.params import LIMITS, EngineSettings
from alsrx.domain.scales import alsfrs_r
from alsrx.domain.sex import Sex
from tests.conftest import NORMAL_ITEMS

VISIT = dt.date(2026, 10, 1)


def make_case(
    *,
    items: dict[str, int] | None = None,
    age: int = 60,
    months_since_onset: int = 18,
    rest: float | None = 70,
    cpet_peak: float | None = None,
    at_hr: float | None = None,
    fvc: float | None = 4.0,
    mep: float | None = None,
    mip: float | None = None,
    mrc: dict[str, int] | None = None,
    beta_blocker: bool = False,
    conditions: frozenset[str] = frozenset(),
    c9orf72: bool | None = None,
    ventilation: bool = False,
    equipment: frozenset[str] | None = None,
    height: float | None = 175,
    weight: float | None = 75,
    previous_weight: float | None = None,
    snip: float | None = None,
    lip_seal_poor: bool = False,
    sialorrhoea_severe: bool = False,
    weeks_completed: int = 0,
    caregiver_at_home: bool | None = None,
    options: assessment.Options = assessment.Options(),
) -> Case:
    scale_items = dict(NORMAL_ITEMS, **(items or {}))
    if "q5b_cutting_food_gastrostomy" in scale_items:
        scale_items.pop("q5a_cutting_food", None)
    patient = assessment.Patient(
        sex=Sex.MALE,
        birth_date=VISIT - dt.timedelta(days=round(age * 365.25)),
        symptom_onset_date=VISIT - dt.timedelta(days=round(months_since_onset * 365.25 / 12)),
        height_cm=height,
        weight_kg=weight,
        ethnicity=Group.CAUCASIAN,
        beta_blocker=beta_blocker,
    )
    visit = assessment.Visit(
        date=VISIT,
        alsfrs_r=alsfrs_r.score(scale_items),
        fvc_l=fvc,
        resting_hr_bpm=rest,
        cpet=assessment.Cpet(peak_hr_bpm=cpet_peak, anaerobic_threshold_hr_bpm=at_hr),
        mep_cmh2o=mep,
        mip_cmh2o=mip,
        snip_cmh2o=snip,
    )
    return Case(
        assessed=assessment.assess(patient, visit, options),
        conditions=conditions,
        c9orf72=c9orf72,
        uses_ventilation_support=ventilation,
        beta_blocker=beta_blocker,
        mrc=mrc,
        equipment=equipment,
        history=History(weeks_completed, previous_weight_kg=previous_weight),
        lip_seal_poor=lip_seal_poor,
        sialorrhoea_severe=sialorrhoea_severe,
        caregiver_at_home=caregiver_at_home,
    )


EQUIPMENT = (
    "cycle_ergometer",
    "recumbent_bike",
    "arm_ergometer",
    "treadmill",
    "bodyweight_supported_treadmill",
    "elastic_bands",
    "cuff_weights",
    "emst_device",
    "motor_assisted_cycle",
    "imt_device",
)
optional = lambda s: st.one_of(st.none(), s)  # noqa: E731


@st.composite
def cases(draw) -> Case:
    items = {k: draw(st.integers(0, 4)) for k in NORMAL_ITEMS}
    if draw(st.booleans()):
        items["q5b_cutting_food_gastrostomy"] = items.pop("q5a_cutting_food")
    rest = draw(optional(st.floats(35, 120)))
    peak = draw(optional(st.floats(80, 210)))
    mrc = draw(optional(st.dictionaries(st.sampled_from(MRC_KEYS), st.integers(0, 5))))
    return make_case(
        items=items,
        age=draw(st.integers(18, 95)),
        months_since_onset=draw(st.integers(1, 180)),
        rest=rest,
        cpet_peak=peak,
        at_hr=draw(optional(st.floats(60, 200))) if peak else None,
        fvc=draw(optional(st.floats(0.3, 7.0))),
        mep=draw(optional(st.floats(0, 250))),
        mip=draw(optional(st.floats(0, 200))),
        mrc=mrc,
        beta_blocker=draw(st.booleans()),
        conditions=frozenset(
            draw(
                st.sets(
                    st.sampled_from(
                        NOT_RECOMMENDED_CONDITIONS
                        + REVIEW_CONDITIONS
                        + EMST_UNSAFE_CONDITIONS
                        + (HEAD_DROP,)
                    )
                )
            )
        ),
        c9orf72=draw(st.sampled_from([None, True, False])),
        ventilation=draw(st.booleans()),
        equipment=draw(optional(st.frozensets(st.sampled_from(EQUIPMENT)))),
        height=draw(optional(st.floats(140, 200))),
        weight=draw(optional(st.floats(30, 140))),
        previous_weight=draw(optional(st.floats(30, 140))),
        snip=draw(optional(st.floats(0, 150))),
        lip_seal_poor=draw(st.booleans()),
        sialorrhoea_severe=draw(st.booleans()),
        weeks_completed=draw(st.integers(0, 30)),
        caregiver_at_home=draw(st.sampled_from([None, True, False])),
    )


@st.composite
def engine_settings(draw) -> EngineSettings:
    """Any configuration the limits allow, kept internally consistent."""
    base = EngineSettings()
    values = {}
    for name, (low, high) in LIMITS.items():
        if draw(st.booleans()):
            continue
        if isinstance(getattr(base, name), int):
            values[name] = draw(st.integers(int(low), int(high)))
        else:
            values[name] = draw(st.floats(low, high))
    candidate = dataclasses.replace(base, **values)
    for low, high in (
        ("start_percent_hrr", "max_percent_hrr"),
        ("aerobic_sessions_min", "aerobic_sessions_max"),
        ("aerobic_start_minutes", "aerobic_max_minutes"),
        ("min_rpe", "max_rpe"),
        ("resistance_sessions_min", "resistance_sessions_max"),
    ):
        if getattr(candidate, low) > getattr(candidate, high):
            candidate = dataclasses.replace(candidate, **{low: getattr(candidate, high)})
    return candidate
