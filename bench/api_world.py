"""The patients bench/bench_api.py and bench/bench_log_sizes.py log sessions for: plans made
through the API, then five weeks of logged sessions written straight into the database (and
counted in the week tallies, migration 0012), so that every timed session log meets a full
window, as a patient who has kept to the plan for five weeks makes it do.

Each logged session reads the patient's recent logs (services/followup.logs; five weeks before
issue 13, at most 20 days since), so the logs already there set its cost. Started empty, each
patient's window grew during the run and the last rounds were slower than the first; started
full (the plan's own weekly sessions, about 95 for the bench patient's plan, or as many times
over as `window_logs` asks), the cost stays near this steady state.

Five weeks kept to make the rules propose the next phase of the plan: the first session each
patient logs drafts that proposal (the prescription engine runs, about 10 ms), later ones find
it open. Real patients reach that point once in weeks, not all within the timed minute, so one
session per patient is logged before timing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path

import httpx
from tests.web.test_api_basics import VISIT

LOG_PATIENTS = 512
WINDOW_WEEKS = 5


def planned_patients(
    base: str,
    headers: dict[str, str],
    db: Path,
    *,
    count: int = LOG_PATIENTS,
    window_logs: int | None = None,
    prefix: str = "BENCH",
) -> list[str]:
    """Patients with an active plan started five weeks ago and kept to since; with
    `window_logs`, each of the plan's sessions logged as many times over as makes about that
    many logs in the five weeks."""
    ids = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for i in range(count):
            body = {
                "code": f"{prefix}-{i}",
                "sex": "female",
                "birth_date": "1960-01-01",
                "symptom_onset_date": "2025-06-01",
                "height_cm": 160,
                "ethnicity": "other",
            }
            pid = http.post("/api/v1/patients", json=body).json()["id"]
            http.post(f"/api/v1/patients/{pid}/assessments", json=VISIT)
            draft = http.post(f"/api/v1/patients/{pid}/prescriptions").json()
            ack = [
                r["code"] for r in draft["prescription"]["reasons"]
            ]  # read, as a clinician would
            http.post(f"/api/v1/prescriptions/{draft['id']}/approve", json={"acknowledge": ack})
            ids.append(pid)
        _kept_to(db, ids, window_logs)
        for pid in ids:  # see the module's note: the proposal this raises is made before timing
            http.post(f"/api/v1/patients/{pid}/sessions", json={"component": "aerobic"})
    return ids


def _kept_to(db: Path, patient_ids: list[str], window_logs: int | None) -> None:
    """Move each active plan's start back five weeks and log every session it asked for (as
    often over as `window_logs` asks), then count them in the week tallies as logging does."""
    today = dt.date.today()
    start = today - dt.timedelta(weeks=WINDOW_WEEKS)
    conn = sqlite3.connect(db, timeout=30)
    with conn:
        (user_id,) = conn.execute("SELECT id FROM users WHERE username = 'clinician'").fetchone()
        for pid in patient_ids:
            rx_id, content = conn.execute(
                "SELECT id, content FROM prescriptions WHERE patient_id = ? AND status = 'active'",
                (pid,),
            ).fetchone()
            conn.execute(
                "UPDATE prescriptions SET starts_on = ? WHERE id = ?", (start.isoformat(), rx_id)
            )
            rows = _sessions(pid, rx_id, json.loads(content), start, user_id)
            times = max(1, round(window_logs / len(rows))) if window_logs else 1
            rows = [(str(uuid.uuid4()), *row[1:]) for _ in range(times) for row in rows]
            conn.executemany(f"INSERT INTO session_logs ({COLUMNS}) VALUES ({MARKS})", rows)
    conn.close()
    _count_weeks(db, patient_ids)


def _count_weeks(db: Path, patient_ids: list[str]) -> None:
    """The week tallies of the logs written above (migration 0012 on): what the service keeps
    as each log arrives, recounted once. Before 0012 there is nothing to keep."""
    try:
        from alsrx.services import session_weeks
    except ImportError:
        return
    from sqlalchemy import insert, select

    from alsrx.db import models
    from alsrx.db.session import make_engine, session_factory, transaction
    from alsrx.services import followup

    engine = make_engine(f"sqlite:///{db}")
    with transaction(session_factory(engine, audit_key=None)) as s:
        for pid in patient_ids:
            logs = [
                (followup.to_domain(r), False, session_weeks.target_hr(r.planned))
                for r in s.scalars(
                    select(models.SessionLog).where(models.SessionLog.patient_id == pid)
                )
            ]
            weeks = session_weeks.recount(session_weeks.spans(s, pid), logs)
            s.execute(
                insert(models.SessionWeek),
                [
                    {"patient_id": pid, "week": t.week, "component": t.component}
                    | {"planned": t.planned, **t.counts}
                    for t in weeks
                ],
            )
    engine.dispose()


COLUMNS = (
    "id, patient_id, prescription_id, date, component, completed, duration_min, rpe,"
    " fatigue_recovery_min, symptoms, planned, filled_from_plan, entered_by, entered_as,"
    " created_at"
)
MARKS = ", ".join("?" * 15)


def _sessions(
    pid: str, rx_id: str, content: dict, start: dt.date, user_id: int
) -> list[tuple[object, ...]]:
    rows = []
    for week in range(WINDOW_WEEKS):
        for component in content["components"]:
            per_week = int(component["sessions_per_week"]["min"] or 0)
            minutes = component["minutes_per_session"]["max"]
            for i in range(per_week):
                day = start + dt.timedelta(days=7 * week + (7 * i) // per_week)
                which = (str(uuid.uuid4()), pid, rx_id, day.isoformat(), component["type"])
                done = ("done", minutes, 12, 5, "[]", "{}", 1)  # as planned, RPE 12, 5 min rest
                rows.append((*which, *done, user_id, "clinician", f"{day} 18:00:00.000000"))
    return rows
