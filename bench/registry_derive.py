"""The registry's patients, their visits, and each visit's `derived` document from the core.

Exact: every visit through the intake (`assessment_input.parse`), the core
(`assessment.assess`) and its rendering (`assessment_json.to_json`), as services/assessments.py
does: about 0.2 ms a visit, minutes for 750,000 visits on one core.
Pooled (the default): the core renders the first visit of each distinct ALSFRS-R answer pattern
(items, gastrostomy form, walk measured or not); later visits with that pattern reuse its
document with the visit's own values written over the fields that vary with the visit and that
the research readers take: the date, age, the ALSFRS-R progression (ΔFRS, category, months since
onset, by the core's own `progression.assess`), measured and predicted FVC and its per cent
(GLI-2012 `lms` M, the core's reference), the measured walk, the BMI. Everything the item
pattern decides (totals, subscores, King's and MiToS stages) is the core's exactly; the heart
rate section, FVC z-score and LLN and the walk's reference values stay the pattern's first
visit's. `check` measures the pooled fields against the exact core on a sample.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from alsrx.domain import assessment
from alsrx.domain import time as core_time
from alsrx.domain.equations import bmi as bmi_eq
from alsrx.domain.equations import gli2012
from alsrx.domain.scales import alsfrs_r, progression
from alsrx.domain.sex import Sex
from alsrx.intake import assessment_input
from alsrx.render import assessment_json
from alsrx.render.rounding import shown

ITEMS = alsfrs_r.FORM_A_ITEMS
MONTH_DAYS = 365.25 / 12
# Relative hazard of losing a point, by onset region (services/demo.py's, plus respiratory
# onset, whose breathing items fall first).
WEIGHTS = {
    "bulbar": (5, 4, 5, 1, 1, 1, 1, 1, 1, 0.5, 0.3, 0.2),
    "upper_limb": (1, 0.5, 1, 5, 5, 4, 2, 1, 1, 0.5, 0.3, 0.2),
    "lower_limb": (1, 0.5, 1, 1, 1, 2, 3, 5, 5, 0.5, 0.3, 0.2),
    "respiratory": (1, 0.5, 1, 1, 1, 1, 1, 1, 1, 5, 4, 3),
}
REGIONS = tuple(WEIGHTS)
REGION_SHARE = (0.3, 0.33, 0.33, 0.04)  # about a third bulbar; respiratory onset rare
ETHNICITY = ("caucasian", "north_east_asian", "south_east_asian", "african_american", "other")
ETHNICITY_SHARE = (0.5, 0.3, 0.08, 0.07, 0.05)
GASTROSTOMY_BELOW = 2  # swallowing at 1 or 0: answered on 5b (the gastrostomy form) from then on


@dataclass
class Synthetic:
    sex: str
    birth: dt.date
    onset: dt.date
    diagnosis: dt.date
    first_visit: dt.date
    region: str
    ethnicity: str
    height: float
    weight: float
    d50: float  # months from onset to an ALSFRS-R of 24
    dx: float  # months: the sigmoid's width
    fvc_pct0: float
    walk0: float
    hr0: float
    adherence: float
    visits: int

    def patient_doc(self) -> dict[str, Any]:
        """The `patient` object of the core's input, as patients.input_patient builds it."""
        return {
            "sex": self.sex,
            "birth_date": self.birth.isoformat(),
            "symptom_onset_date": self.onset.isoformat(),
            "diagnosis_date": self.diagnosis.isoformat(),
            "onset_region": self.region,
            "height_cm": self.height,
            "weight_kg": self.weight,
            "ethnicity": self.ethnicity,
            "beta_blocker": False,
            "uses_ventilation_support": False,
        }


def template_visit(day: dt.date) -> dict[str, Any]:
    items = dict.fromkeys(ITEMS, 4) | {"q8_walking": 3, "q9_climbing_stairs": 3}
    return {
        "date": day.isoformat(),
        "alsfrs_r": {**items, "mode": "clinician"},
        "fvc_l": 2.6,
        "six_minute_walk_m": 455,
        "resting_hr_bpm": 74,
        "weight_kg": 61,
    }


def make_patient(
    rng: random.Random, index: int, *, today: dt.date, visits: int, weeks: int
) -> Synthetic:
    """One patient whose visits and `weeks` weeks of plan all lie before `today`."""
    sex = "male" if rng.random() < 0.6 else "female"  # about 1.5 men to a woman
    span = max((visits - 1) * 91 + 14, weeks * 7 + 7)
    first_visit = today - dt.timedelta(days=span + rng.randrange(0, 3 * 365))
    diagnosis = first_visit - dt.timedelta(days=rng.randrange(0, 60))
    onset = diagnosis - dt.timedelta(days=round(rng.uniform(4, 18) * MONTH_DAYS))
    age_at_onset = min(85.0, max(30.0, rng.gauss(61, 11)))
    birth = onset - dt.timedelta(days=round(age_at_onset * 365.25))
    height = rng.gauss(173, 7) if sex == "male" else rng.gauss(161, 6)
    return Synthetic(
        sex=sex,
        birth=birth,
        onset=onset,
        diagnosis=diagnosis,
        first_visit=first_visit,
        region=rng.choices(REGIONS, REGION_SHARE)[0],
        ethnicity=rng.choices(ETHNICITY, ETHNICITY_SHARE)[0],
        height=round(height, 1),
        weight=round(max(40.0, rng.gauss(74 if sex == "male" else 60, 10)), 1),
        d50=rng.uniform(15, 60),
        dx=rng.uniform(3, 15),
        fvc_pct0=rng.gauss(92, 12),
        walk0=rng.gauss(480, 70),
        hr0=rng.gauss(76, 8),
        adherence=rng.betavariate(4, 2),
        visits=visits,
    )


def sigmoid(p: Synthetic, months: float) -> float:
    """The D50 model's ALSFRS-R: 48 / (1 + exp((t - D50) / dx))."""
    return 48 / (1 + math.exp((months - p.d50) / p.dx))


class Declines:
    """ORDERS orders per onset region in which a patient's ALSFRS-R items lose their points
    (drawn once, one point at a time, by the region's weights): a patient follows one, so that
    the items at a total are one of a few thousand patterns over the whole registry (what
    lets the pooled documents be reused) and always sum to the total."""

    ORDERS = 12

    def __init__(self, rng: random.Random) -> None:
        self.items: dict[tuple[str, int], list[dict[str, int]]] = {}
        for region, weights in WEIGHTS.items():
            for order in range(self.ORDERS):
                items = dict.fromkeys(ITEMS, 4)
                steps = [dict(items)]  # steps[n]: the items after n points lost
                for _ in range(alsfrs_r.TOTAL_MAX):
                    keys = [k for k in ITEMS if items[k] > 0]
                    live = [w for k, w in zip(ITEMS, weights, strict=True) if items[k] > 0]
                    items[rng.choices(keys, live)[0]] -= 1
                    steps.append(dict(items))
                self.items[(region, order)] = steps

    def at(self, region: str, order: int, total: int) -> dict[str, int]:
        return self.items[(region, order)][alsfrs_r.TOTAL_MAX - total]


def course(
    p: Synthetic, rng: random.Random, declines: Declines
) -> Iterator[tuple[dt.date, dict[str, Any]]]:
    """The patient's visits: (date, the assessment object as a clinician enters it)."""
    order = rng.randrange(Declines.ORDERS)
    total = alsfrs_r.TOTAL_MAX
    gastrostomy = False
    for k in range(p.visits):
        day = p.first_visit + dt.timedelta(days=91 * k + (rng.randrange(-7, 8) if k else 0))
        months = (day - p.onset).days / MONTH_DAYS
        target = max(0, min(48, round(sigmoid(p, months) + rng.gauss(0, 1.2))))
        total = min(total, target)  # never up again: the course only declines
        items = declines.at(p.region, order, total)
        gastrostomy = gastrostomy or items["q3_swallowing"] < GASTROSTOMY_BELOW
        answers = dict(items)
        if gastrostomy:
            answers[alsfrs_r.Q5B] = answers.pop(alsfrs_r.Q5A)
        yield day, _visit(p, rng, day, answers, total)


def predicted_fvc(p: Synthetic, day: dt.date) -> float:
    age = core_time.years_between(p.birth, day)
    return gli2012.lms(
        sex=Sex(p.sex), age_years=age, height_cm=p.height, group=gli2012.Group(p.ethnicity)
    ).m


def _visit(
    p: Synthetic, rng: random.Random, day: dt.date, answers: dict[str, int], total: int
) -> dict[str, Any]:
    share = total / alsfrs_r.TOTAL_MAX
    pct = max(15.0, p.fvc_pct0 * (0.25 + 0.75 * share) + rng.gauss(0, 4))
    fvc = min(8.0, max(0.2, round(predicted_fvc(p, day) * pct / 100, 2)))
    doc: dict[str, Any] = {
        "date": day.isoformat(),
        "alsfrs_r": {**answers, "mode": "clinician"},
        "fvc_l": fvc,
        "resting_hr_bpm": round(min(150.0, max(30.0, p.hr0 + rng.gauss(0, 5)))),
        "weight_kg": round(max(30.0, p.weight * (0.88 + 0.12 * share) + rng.gauss(0, 1)), 1),
    }
    walking = answers["q8_walking"]
    if walking >= 2:
        walk = p.walk0 * (0.4 + 0.6 * walking / 4) + rng.gauss(0, 25)
        doc["six_minute_walk_m"] = round(min(1000.0, max(20.0, walk)))
    return doc


def exact(patient_doc: dict[str, Any], visit: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The core's document, as services/assessments.py derives it."""
    parsed = assessment_input.parse({"patient": patient_doc, "assessment": visit}, today=today)
    result = assessment.assess(parsed.patient, parsed.visit)
    return assessment_json.to_json(result, lang="en")


class Deriver:
    """The `derived` documents: exact, or pooled by answer pattern (see the module)."""

    def __init__(self, today: dt.date, *, exact_all: bool) -> None:
        self.today = today
        self.exact_all = exact_all
        self.pool: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.computed = 0
        self.seconds = 0.0

    def derived(self, p: Synthetic, doc: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            if self.exact_all:
                self.computed += 1
                return exact(p.patient_doc(), doc, today=self.today)
            key = (tuple(doc["alsfrs_r"].items()), "six_minute_walk_m" in doc)
            found = self.pool.get(key)
            if found is None:
                self.computed += 1
                found = self.pool[key] = exact(p.patient_doc(), doc, today=self.today)
                return found  # stored as JSON text: later visits share none of it
            return pooled(found, p, doc)
        finally:
            self.seconds += time.perf_counter() - started


def pooled(found: dict[str, Any], p: Synthetic, doc: dict[str, Any]) -> dict[str, Any]:
    """`found` with the visit's own values over the fields that vary with it."""
    day = dt.date.fromisoformat(doc["date"])
    age = core_time.years_between(p.birth, day)
    out = dict(found)
    out["assessment_date"] = doc["date"]
    out["age_years"] = shown(age, "years")
    frs = found["alsfrs_r"]["total"]
    prog = progression.assess(frs, onset=p.onset, on=day, cutoffs=progression.DEFAULT_CUTOFFS)
    out["progression"] = dict(
        found["progression"],
        delta_frs_per_month=shown(prog.delta_frs_per_month, "rate"),
        category=prog.category.value if prog.category else None,
        months_since_onset=shown(prog.months_since_onset, "months"),
    )
    predicted = predicted_fvc(p, day)
    out["fvc"] = dict(
        found["fvc"],
        measured_l=shown(doc["fvc_l"], "litres"),
        predicted_l=shown(predicted, "litres"),
        percent_predicted=shown(100 * doc["fvc_l"] / predicted, "percent"),
    )
    if "six_minute_walk_m" in doc:
        out["six_minute_walk"] = dict(
            found["six_minute_walk"], measured_m=shown(doc["six_minute_walk_m"], "metres")
        )
    value = bmi_eq.bmi(weight_kg=doc["weight_kg"], height_cm=p.height)
    out["bmi"], out["bmi_class_who"] = shown(value, "bmi"), bmi_eq.classify(value).value
    return out


RESEARCH_FIELDS = (
    ("assessment_date",),
    ("age_years",),
    ("alsfrs_r", "total"),
    ("alsfrs_r", "bulbar"),
    ("alsfrs_r", "fine_motor"),
    ("alsfrs_r", "gross_motor"),
    ("alsfrs_r", "respiratory"),
    ("progression", "delta_frs_per_month"),
    ("progression", "category"),
    ("progression", "months_since_onset"),
    ("kings_stage",),
    ("mitos_stage",),
    ("fvc", "measured_l"),
    ("fvc", "predicted_l"),
    ("fvc", "percent_predicted"),
    ("six_minute_walk", "measured_m"),
    ("bmi",),
    ("bmi_class_who",),
)


def check(
    samples: list[tuple[Synthetic, dict[str, Any], dict[str, Any]]], today: dt.date
) -> dict[str, Any]:
    """Pooled documents against the exact core on the research fields: how many differ."""
    differing: dict[str, int] = {}
    for p, doc, stored in samples:
        want = exact(p.patient_doc(), doc, today=today)
        for path in RESEARCH_FIELDS:
            a, b = _at(want, path), _at(stored, path)
            if a != b:
                name = ".".join(path)
                differing[name] = differing.get(name, 0) + 1
    return {"visits": len(samples), "fields": len(RESEARCH_FIELDS), "differing": differing}


def _at(doc: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc
