"""The patients bench/bench_api.py logs sessions for: plans made through the API, then five
weeks of logged sessions written straight into the database, so that every timed session log
reads a full plan window, as a patient who has kept to the plan for five weeks makes it do.

Each logged session reads its plan's last five weeks of logs (services/followup.logs), so the
logs already there set its cost. Started empty, each patient's window grew during the run and
the last rounds were slower than the first; started full (the plan's own weekly sessions, about
95 for the bench patient's plan), the cost stays near this steady state, and the sessions the
run adds, spread over many patients, grow it by about a quarter.

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


def planned_patients(base: str, headers: dict[str, str], db: Path) -> list[str]:
    """Patients with an active plan started five weeks ago and kept to since."""
    ids = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for i in range(LOG_PATIENTS):
            body = {
                "code": f"BENCH-{i}",
                "sex": "female",
                "birth_date": "1960-01-01",
                "symptom_onset_date": "2025-06-01",
                "height_cm": 160,
                "ethnicity": "other",
            }
            pid = http.post("/api/v1/patients", json=body).json()["id"]
            http.post(f"/api/v1/patients/{pid}/assessments", json=VISIT)
            draft = http.post(f"/api/v1/patients/{pid}/prescriptions").json()
            http.post(f"/api/v1/prescriptions/{draft['id']}/approve")
            ids.append(pid)
        _kept_to(db, ids)
        for pid in ids:  # see the module's note: the proposal this raises is made before timing
            http.post(f"/api/v1/patients/{pid}/sessions", json={"component": "aerobic"})
    return ids


def _kept_to(db: Path, patient_ids: list[str]) -> None:
    """Move each active plan's start back five weeks and log every session it asked for."""
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
            conn.executemany(f"INSERT INTO session_logs ({COLUMNS}) VALUES ({MARKS})", rows)
    conn.close()


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
