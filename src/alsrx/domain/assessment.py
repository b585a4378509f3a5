"""One clinic visit turned into what a clinician needs to decide: the assessment core.

Pure: the caller passes the patient's facts, the visit's measurements and the options; nothing
here reads a clock, a file of the user's or a setting. Each instrument lives in its own module
and cites its source there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from alsrx.domain import time
from alsrx.domain.equations import bmi as bmi_eq
from alsrx.domain.equations import gli2012, heart_rate, six_minute_walk
from alsrx.domain.scales import alsfrs_r, kings, mitos, progression
from alsrx.domain.sex import Sex
from alsrx.domain.unavailable import Unavailable


@dataclass(frozen=True)
class Patient:
    sex: Sex
    birth_date: dt.date
    symptom_onset_date: dt.date
    height_cm: float | None = None
    weight_kg: float | None = None
    ethnicity: gli2012.Group | None = None
    onset_region: str | None = None
    diagnosis_date: dt.date | None = None
    beta_blocker: bool = False


@dataclass(frozen=True)
class Cpet:
    peak_hr_bpm: float | None = None
    vo2peak_ml_kg_min: float | None = None
    peak_work_w: float | None = None
    anaerobic_threshold_hr_bpm: float | None = None


@dataclass(frozen=True)
class Visit:
    date: dt.date
    alsfrs_r: alsfrs_r.AlsfrsR
    fvc_l: float | None = None
    six_minute_walk_m: float | None = None
    resting_hr_bpm: float | None = None
    cpet: Cpet = field(default_factory=Cpet)
    mep_cmh2o: float | None = None
    mip_cmh2o: float | None = None
    snip_cmh2o: float | None = None


@dataclass(frozen=True)
class Options:
    """Choices where sources disagree; the result names the ones used."""

    progression_cutoffs: progression.CutoffSet = progression.DEFAULT_CUTOFFS
    hr_max_equation: heart_rate.MaxSource = heart_rate.MaxSource.TANAKA


@dataclass(frozen=True)
class Bmi:
    value: float | None
    who_class: bmi_eq.BmiClass | None
    unavailable: tuple[Unavailable, ...] = ()


@dataclass(frozen=True)
class Result:
    date: dt.date
    age_years: float
    frs: alsfrs_r.AlsfrsR
    progression: progression.Progression
    kings: kings.KingsStage
    mitos: mitos.MitosStage
    heart_rate: heart_rate.HeartRate
    six_minute_walk: six_minute_walk.SixMinuteWalk
    fvc: gli2012.Fvc
    bmi: Bmi
    visit: Visit
    weight_kg: float | None = None  # at this visit (the visit's, else the patient's record)


def assess(patient: Patient, visit: Visit, options: Options = Options()) -> Result:
    age = time.years_between(patient.birth_date, visit.date)
    return Result(
        date=visit.date,
        age_years=age,
        frs=visit.alsfrs_r,
        progression=progression.assess(
            visit.alsfrs_r.total,
            onset=patient.symptom_onset_date,
            on=visit.date,
            cutoffs=options.progression_cutoffs,
        ),
        kings=kings.stage(visit.alsfrs_r),
        mitos=mitos.stage(visit.alsfrs_r),
        heart_rate=heart_rate.assess(
            age_years=age,
            rest_bpm=visit.resting_hr_bpm,
            measured_max_bpm=visit.cpet.peak_hr_bpm,
            equation=options.hr_max_equation,
            beta_blocker=patient.beta_blocker,
        ),
        six_minute_walk=six_minute_walk.assess(
            sex=patient.sex,
            age_years=age,
            height_cm=patient.height_cm,
            weight_kg=patient.weight_kg,
            measured_m=visit.six_minute_walk_m,
        ),
        fvc=gli2012.assess(
            sex=patient.sex,
            age_years=age,
            height_cm=patient.height_cm,
            group=patient.ethnicity,
            measured_l=visit.fvc_l,
        ),
        bmi=_bmi(patient),
        visit=visit,
        weight_kg=patient.weight_kg,
    )


def _bmi(patient: Patient) -> Bmi:
    reasons = tuple(
        Unavailable("not_measured", f"patient.{name}")
        for name, value in (("height_cm", patient.height_cm), ("weight_kg", patient.weight_kg))
        if value is None
    )
    if reasons or patient.height_cm is None or patient.weight_kg is None:
        return Bmi(None, None, reasons)
    value = bmi_eq.bmi(weight_kg=patient.weight_kg, height_cm=patient.height_cm)
    return Bmi(value, bmi_eq.classify(value))
