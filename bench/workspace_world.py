"""A clinic-sized database for bench/bench_workspace.py, seeded fast.

A few template patients go through the services (patient, assessment, approved plan, alerts
raised by the rules), so every stored document is one the application wrote. Their rows are then
copied with Core bulk inserts, in one transaction, to make thousands of patients and tens of
thousands of open alerts in seconds. The copies are bench data: the audit chain does not cover
them (only the template patients' writes are audited), which the pages read here never check.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import insert, select
from tests.db_fixtures import World
from tests.web.test_api_basics import VISIT

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup.model import Severity, Signal
from alsrx.services import accounts, assessments, patients, prescriptions
from alsrx.services import actor as actor_mod
from alsrx.services import alerts as alerts_service

TODAY = dt.date.today()
SIGNALS = (
    Signal("fatigue_prolonged", Severity.WARNING, ()),
    Signal("red_flag", Severity.URGENT, ()),
    Signal("low_adherence", Severity.INFO, ()),
)


def _templates(factory: Any, world: World) -> list[str]:
    """Three patients through the services: one with an assessment only, two with an
    approved plan and the alerts the rules raise."""
    with transaction(factory) as s:
        clinician = actor_mod.load(s, accounts.user_by_name(s, "clinician"))
        ids = []
        for i in range(3):
            body = {
                "code": f"T{i}",
                "sex": "female" if i % 2 else "male",
                "birth_date": "1958-05-01",
                "symptom_onset_date": "2025-06-01",
                "height_cm": 170,
                "ethnicity": "north_east_asian",
            }
            p = patients.create(s, clinician, body, centre_id=world.centre_a, today=TODAY)
            s.flush()
            row = assessments.record(s, clinician, p.id, dict(VISIT), today=TODAY)
            s.flush()
            if i:
                rx = prescriptions.draft(s, clinician, p.id, today=TODAY)
                s.flush()
                prescriptions.approve(
                    s,
                    clinician,
                    rx.id,
                    if_match=None,
                    today=TODAY,
                    acknowledged=prescriptions.points(rx.content),  # the bench reads them all
                )
                alerts_service.raise_alerts(
                    s, None, p.id, list(SIGNALS), source="scan", source_id=row.id, today=TODAY
                )
            ids.append(p.id)
    return ids


def _rows(s: Any, model: type[models.Base], pid: str) -> list[dict[str, Any]]:
    table = models.table(model)
    return [dict(r._mapping) for r in s.execute(select(table).where(table.c.patient_id == pid))]


def seed(factory: Any, world: World, *, patients_n: int, alerts_n: int) -> None:
    """`patients_n` patients in the clinician's centre, `alerts_n` open alerts spread over
    them (urgent, warning and info in turn), every fifth with an approved plan five weeks old
    and stored week tallies (some kept, some not), assessment dates over four months."""
    templates = _templates(factory, world)
    out: dict[type[models.Base], list[dict[str, Any]]] = {}
    with transaction(factory) as s:
        patient_t = models.table(models.Patient)
        base = [
            dict(s.execute(select(patient_t).where(patient_t.c.id == t)).one()._mapping)
            for t in templates
        ]
        kept = {t: {m: _rows(s, m, t) for m in _COPIED} for t in templates}
        new_ids = [str(uuid.uuid4()) for _ in range(patients_n)]
        for i, pid in enumerate(new_ids):
            t = templates[1 + i % 2] if i % 5 == 0 else templates[0]
            _copy(out, base[templates.index(t)], kept[t], pid, i)
        alerts = [a for t in templates for a in kept[t][models.Alert]]
        for n in range(alerts_n):
            a = dict(alerts[n % len(alerts)], id=str(uuid.uuid4()), status="open")
            a["patient_id"] = new_ids[(n * 7) % patients_n]
            a["raised_on"] = TODAY - dt.timedelta(days=n % 60)
            out.setdefault(models.Alert, []).append(a)
        for model in _INSERTED:
            rows = out.get(model, [])
            for start in range(0, len(rows), 2000):
                s.execute(insert(models.table(model)), rows[start : start + 2000])


_COPIED: tuple[type[models.Base], ...] = (
    models.PatientIdentity,
    models.Assessment,
    models.Prescription,
    models.Alert,
)
_INSERTED = (models.Patient, *_COPIED[:3], models.SessionWeek, models.Alert)


def _copy(
    out: dict[type[models.Base], list[dict[str, Any]]],
    patient: dict[str, Any],
    rows: dict[type[models.Base], list[dict[str, Any]]],
    pid: str,
    i: int,
) -> None:
    add = out.setdefault
    add(models.Patient, []).append(
        dict(patient, id=pid, code=f"P{i:05d}", research_id=str(uuid.uuid4()))
    )
    for identity in rows[models.PatientIdentity]:
        add(models.PatientIdentity, []).append(dict(identity, patient_id=pid))
    for a in rows[models.Assessment]:
        day = TODAY - dt.timedelta(days=i % 120)
        copy = dict(a, id=str(uuid.uuid4()), series_id=str(uuid.uuid4()), patient_id=pid)
        add(models.Assessment, []).append(dict(copy, date=day, total=20 + i % 28))
    starts = TODAY - dt.timedelta(weeks=5)
    for rx in rows[models.Prescription]:
        rid = str(uuid.uuid4())
        copy = dict(rx, id=rid, patient_id=pid, assessment_id=None, supersedes_id=None)
        add(models.Prescription, []).append(dict(copy, starts_on=starts))
        monday = starts - dt.timedelta(days=starts.weekday())
        for week in range(5):
            tally = {
                "patient_id": pid,
                "week": monday + dt.timedelta(weeks=week),
                "component": "aerobic",
                "planned": 3,
                "done": (i + week) % 4,
            }
            add(models.SessionWeek, []).append(tally)
