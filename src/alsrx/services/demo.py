"""A synthetic cohort for the demo, the tests and the benchmarks (never real patients).

Patients decline on the ALSFRS-R at about the PRO-ACT reference rate (around 1 point a month):
each patient's ΔFRS is drawn from a log-normal with median 0.8 and spread 0.6, which gives
roughly a fifth slow (< 0.47) and a third fast (>= 1.11) progressors by the Labra 2016 cut-offs.
About 30 % have bulbar onset, whose bulbar items fall first; spinal onset loses limb items
first; breathing items fall late. FVC starts near 90 % predicted and falls faster in fast
progressors. Assessments every 3 months; the clinician approves the first draft and later
proposals; home sessions follow each patient's adherence and tolerance, with the occasional
red flag. Everything is written through the services, so alerts and proposals arise as in use.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.equations import gli2012
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.scales import alsfrs_r
from alsrx.domain.sex import Sex
from alsrx.errors import InvalidInput
from alsrx.services import accounts, followup, patients, prescriptions, session_logs
from alsrx.services import actor as actor_mod
from alsrx.services.actor import SYSTEM, Actor

DEMO_PASSWORD = "demo-password-ALS"
DEMO_CENTRE = "Demo ALS Centre"
ITEMS = alsfrs_r.FORM_A_ITEMS
WEIGHTS = {  # relative hazard of losing a point, by onset region
    "bulbar": (5, 4, 5, 1, 1, 1, 1, 1, 1, 0.5, 0.3, 0.2),
    "upper_limb": (1, 0.5, 1, 5, 5, 4, 2, 1, 1, 0.5, 0.3, 0.2),
    "lower_limb": (1, 0.5, 1, 1, 1, 2, 3, 5, 5, 0.5, 0.3, 0.2),
}
SKIP_REASONS = ("too tired", "unwell", "appointment", "bad weather", "no helper today")


@dataclass
class Synthetic:
    code: str
    sex: str
    birth: dt.date
    onset: dt.date
    region: str
    rate: float
    fvc_start_pct: float
    adherence: float
    fatigue_prone: float
    height: float
    weight: float
    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ITEMS, 4))


def _months(days: float) -> float:
    return days / (365.25 / 12)


def make_patient(rng: random.Random, index: int, *, first_visit: dt.date) -> Synthetic:
    sex = rng.choice(["male", "male", "female"])  # ALS is more common in men (about 1.5:1)
    region = "bulbar" if rng.random() < 0.3 else rng.choice(["upper_limb", "lower_limb"])
    months_since_onset = rng.uniform(5, 18)
    onset = first_visit - dt.timedelta(days=round(months_since_onset * 365.25 / 12))
    age_at_onset = min(85.0, max(30.0, rng.gauss(60, 10)))
    birth = onset - dt.timedelta(days=round(age_at_onset * 365.25))
    height = rng.gauss(172, 7) if sex == "male" else rng.gauss(160, 6)
    return Synthetic(
        code=f"DEMO-{index + 1:04d}",
        sex=sex,
        birth=birth,
        onset=onset,
        region=region,
        rate=min(4.0, rng.lognormvariate(math.log(0.8), 0.6)),
        fvc_start_pct=rng.gauss(90, 10),
        adherence=rng.betavariate(4, 2),
        fatigue_prone=rng.random() * 0.25,
        height=round(height, 1),
        weight=round(rng.gauss(70 if sex == "male" else 58, 9), 1),
    )


def _decline(p: Synthetic, rng: random.Random, *, on: dt.date) -> None:
    """Lower items until the total matches the patient's course at `on` (never going back)."""
    target = max(0, round(48 - p.rate * _months((on - p.onset).days)))
    weights = WEIGHTS[p.region]
    while sum(p.items.values()) > target:
        candidates = [(k, w) for k, w in zip(ITEMS, weights, strict=True) if p.items[k] > 0]
        if not candidates:
            break
        key = rng.choices([k for k, _ in candidates], weights=[w for _, w in candidates])[0]
        p.items[key] -= 1


def visit_document(p: Synthetic, rng: random.Random, *, on: dt.date) -> dict[str, Any]:
    _decline(p, rng, on=on)
    age = (on - p.birth).days / 365.25
    predicted = gli2012.lms(
        sex=Sex(p.sex), age_years=age, height_cm=p.height, group=gli2012.Group.NORTH_EAST_ASIAN
    ).m
    pct = max(25.0, p.fvc_start_pct - 2.2 * p.rate * _months((on - p.onset).days) / 2)
    walking = p.items["q8_walking"]
    doc: dict[str, Any] = {
        "date": on.isoformat(),
        "alsfrs_r": {**p.items, "mode": "clinician"},
        "fvc_l": round(predicted * pct / 100, 2),
        "resting_hr_bpm": round(rng.gauss(74, 8)),
        "mep_cmh2o": round(max(20.0, rng.gauss(80, 20) * pct / 100), 1),
        "mrc": {
            k: max(0, min(5, 5 - round(rng.random() * (4 - min(4, walking)) + rng.random())))
            for k in MRC_KEYS
        },
    }
    if walking >= 2:
        doc["six_minute_walk_m"] = round(max(50.0, rng.gauss(480, 60) * walking / 4))
    return doc


def _session_body(
    rng: random.Random, p: Synthetic, component: str, day: dt.date, target: Any
) -> dict[str, Any]:
    if rng.random() > p.adherence:
        return {
            "component": component,
            "date": day.isoformat(),
            "completed": "skipped",
            "skip_reason": rng.choice(SKIP_REASONS),
        }
    if rng.random() < 0.5:
        return {"component": component, "date": day.isoformat()}  # done as planned, one tap
    body: dict[str, Any] = {
        "component": component,
        "date": day.isoformat(),
        "completed": "done",
        "rpe": rng.choice([11, 12, 12, 13, 13, 14]),
        "fatigue_recovery_min": rng.choice([2, 5, 8, 10, 12]),
        "duration_min": target.minutes_max or 15,
    }
    if target.hr_max_bpm:
        body["avg_hr_bpm"] = round(target.hr_max_bpm - rng.uniform(2, 15))
        body["max_hr_bpm"] = round(target.hr_max_bpm + rng.uniform(-8, 4))
    if rng.random() < p.fatigue_prone:
        body["fatigue_recovery_min"] = rng.choice([20, 30, 45])
    if rng.random() < 0.003:
        body["symptoms"] = [rng.choice(["chest_pain", "dizziness", "fall_with_injury"])]
        del body["completed"]  # as the page sends it: a red flag is "stopped" unless said
    elif rng.random() < 0.05:
        body["symptoms"] = [rng.choice(["cramps", "muscle_pain_next_day"])]
    return body


@dataclass(frozen=True)
class SeedResult:
    centre: str
    patients: int
    assessments: int
    sessions: int
    logins: dict[str, str]


def _actor(session: Session, username: str) -> Actor:
    user = accounts.user_by_name(session, username)
    return actor_mod.load(session, user)


def _accounts(factory: sessionmaker[Session], patient_ids: list[str]) -> dict[str, str]:
    with transaction(factory) as s:
        centre = s.scalars(select(models.Centre).where(models.Centre.name == DEMO_CENTRE)).one()
        specs = {
            "demo-admin": {"role": "admin"},
            "demo-clinician": {"role": "clinician", "centre_ids": (centre.id,)},
            "demo-researcher": {"role": "researcher", "centre_ids": (centre.id,)},
            "demo-patient": {"role": "patient", "patient_id": patient_ids[0]},
            "demo-caregiver": {"role": "caregiver", "linked_patient_ids": tuple(patient_ids[:2])},
        }
        for name, kwargs in specs.items():
            accounts.create_user(s, SYSTEM, username=name, password=DEMO_PASSWORD, **kwargs)  # type: ignore[arg-type]
    return dict.fromkeys(specs, DEMO_PASSWORD)


def seed(
    factory: sessionmaker[Session], *, patients_n: int, months: int, seed_value: int, today: dt.date
) -> SeedResult:
    rng = random.Random(seed_value)
    first_visit = today - dt.timedelta(days=round(months * 365.25 / 12))
    with transaction(factory) as s:
        centre = accounts.create_centre(
            s, SYSTEM, DEMO_CENTRE, contact_phone="+86 10 6915 0000", emergency_number="120"
        )  # a Beijing centre: 120 is mainland China's medical emergency number
        boot = Actor(0, "demo-seed", "clinician", frozenset({centre.id}))
        cohort = [make_patient(rng, i, first_visit=first_visit) for i in range(patients_n)]
        ids = []
        for p in cohort:
            body = {
                "code": p.code,
                "sex": p.sex,
                "birth_date": p.birth.isoformat(),
                "height_cm": p.height,
                "weight_kg": p.weight,
                "ethnicity": "north_east_asian",
                "symptom_onset_date": p.onset.isoformat(),
                "onset_region": p.region,
            }
            ids.append(patients.create(s, boot, body, centre_id=centre.id, today=today).id)
    logins = _accounts(factory, ids)
    counts = [0, 0]
    for p, pid in zip(cohort, ids, strict=True):
        _live(factory, rng, p, pid, first_visit=first_visit, today=today, counts=counts)
    return SeedResult(DEMO_CENTRE, patients_n, counts[0], counts[1], logins)


def _live(
    factory: sessionmaker[Session],
    rng: random.Random,
    p: Synthetic,
    pid: str,
    *,
    first_visit: dt.date,
    today: dt.date,
    counts: list[int],
) -> None:
    visits = [first_visit + dt.timedelta(days=91 * k) for k in range(0, 40)]
    visits = [v for v in visits if v <= today]
    for k, visit in enumerate(visits):
        _assess_and_plan(factory, rng, p, pid, visit, first=k == 0)
        counts[0] += 1
        end = visits[k + 1] if k + 1 < len(visits) else today
        day = visit
        while day < end:
            counts[1] += _week(factory, rng, p, pid, day, min(end, day + dt.timedelta(days=7)))
            day += dt.timedelta(days=7)
            with transaction(factory) as s:
                patient = s.get(models.Patient, pid)
                assert patient is not None  # created by this seed
                followup.scan(s, None, patient, today=day)


def _assess_and_plan(
    factory: sessionmaker[Session],
    rng: random.Random,
    p: Synthetic,
    pid: str,
    visit: dt.date,
    *,
    first: bool,
) -> None:
    with transaction(factory) as s:
        clinician = _actor(s, "demo-clinician")
        doc = visit_document(p, rng, on=visit)
        try:
            followup.record_assessment(s, clinician, pid, doc, today=visit)
        except InvalidInput:
            return
        if first:
            draft = prescriptions.draft(s, clinician, pid, today=visit)
            s.flush()
            if draft.content["status"] != "not_recommended":
                prescriptions.approve(
                    s,
                    clinician,
                    draft.id,
                    if_match=None,
                    today=visit,
                    acknowledged=prescriptions.points(draft.content),  # the demo reads them
                )
    _approve_proposals(factory, pid, visit)


def _approve_proposals(factory: sessionmaker[Session], pid: str, day: dt.date) -> None:
    """The demo clinician accepts what the follow-up proposes (a real one reviews first)."""
    with transaction(factory) as s:
        clinician = _actor(s, "demo-clinician")
        for row in s.scalars(
            select(models.Prescription)
            .where(
                models.Prescription.patient_id == pid,
                models.Prescription.status == "draft",
                models.Prescription.origin.like("proposal:%"),
            )
            .order_by(models.Prescription.created_at)
        ):
            if row.content.get("status") != "not_recommended":
                prescriptions.approve(
                    s,
                    clinician,
                    row.id,
                    if_match=None,
                    today=day,
                    acknowledged=prescriptions.points(row.content),
                )
                break


def _week(
    factory: sessionmaker[Session],
    rng: random.Random,
    p: Synthetic,
    pid: str,
    start: dt.date,
    end: dt.date,
) -> int:
    if rng.random() > p.adherence + 0.2:
        return 0  # a week with nothing logged at all
    with transaction(factory, write=False) as s:
        found = followup.active_plan(s, pid, today=start)
        logger = _actor(s, rng.choice(["demo-patient", "demo-caregiver", "demo-clinician"]))
    if found is None:
        return 0
    logged = 0
    for component in found[1].components:
        for i in range(component.sessions_per_week_min):
            day = start + dt.timedelta(days=(i * 7) // max(1, component.sessions_per_week_min))
            if day >= end:
                continue
            body = _session_body(rng, p, component.type, day, component)
            with transaction(factory) as s:
                actor = (
                    logger
                    if pid in logger.patient_ids or logger.role == "clinician"
                    else _actor(s, "demo-clinician")
                )
                try:
                    session_logs.log_session(s, actor, pid, body, today=day)
                    logged += 1
                except InvalidInput:
                    continue
    if rng.random() < 0.5:
        _approve_proposals(factory, pid, end)
    return logged
