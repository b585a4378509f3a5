"""Benchmark: the recent logs a logged session's rules read, after two years of follow-up,
with only the plan-window index (migrations 0005-0011) and with the patient-window index too
(0012).

Every logged session runs this read (services/followup.logs): a patient's logs, across plans,
since followup.session_rules_since (the fatigue rule's 14 days, the progress decision's two
judged weeks: at most 20 days, not the five weeks read before issue 13). 50 patients, each with
eight three-month plans logged three times a day: about 2,200 logs per patient. Both are real
SQLite files migrated to the head; the first has the patient-window index dropped. The read is
the service's own, in one run. Prints one JSON line with microseconds per read and their ratio.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.domain.followup.params import FollowupSettings
from alsrx.services import followup

PATIENTS, PLANS, DAYS = 50, 8, 91
COMPONENTS = ("aerobic", "respiratory_muscle", "stretching")
TODAY = dt.date(2026, 11, 26)
READS = 2000


def fill(path: Path) -> None:
    """Session logs alone, straight into the file: the read joins nothing, so the parent rows
    (checked by foreign keys, off on this connection) would only slow the filling."""
    conn = sqlite3.connect(path)
    columns = (
        "id, patient_id, prescription_id, date, component, completed, rpe, symptoms, planned,"
        " filled_from_plan, entered_by, entered_as, created_at"
    )
    rows = (
        _row(p, k, d, component)
        for p in range(PATIENTS)
        for k in range(PLANS)
        for d in range(DAYS)
        for component in COMPONENTS
    )
    with conn:
        conn.executemany(
            f"INSERT INTO session_logs ({columns}) VALUES ({', '.join('?' * 13)})", rows
        )
    conn.close()


def _row(p: int, k: int, d: int, component: str) -> tuple[object, ...]:
    day = (TODAY - dt.timedelta(days=DAYS * (PLANS - k) - d)).isoformat()
    key = (f"l{p}-{k}-{d}-{component}", f"p{p}", f"rx{p}-{k}", day, component, "done", 12)
    return (*key, "[]", "{}", 1, 1, "patient", f"{day} 10:00:00.000000")


def microseconds_per_read(url: str) -> tuple[float, int]:
    engine = make_engine(url)
    since = followup.session_rules_since(TODAY, TODAY, FollowupSettings())
    with transaction(session_factory(engine, audit_key=None), write=False) as s:
        for p in range(PATIENTS):  # warm the page cache alike for both
            followup.logs(s, f"p{p}", since=since)
        started = time.perf_counter()
        for i in range(READS):
            p = i % PATIENTS
            found = followup.logs(s, f"p{p}", since=since)
        elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed / READS * 1e6, len(found)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        before, after = (f"sqlite:///{Path(tmp) / name}" for name in ("before.db", "after.db"))
        for url in (before, after):
            upgrade(url)
            fill(Path(url.removeprefix("sqlite:///")))
        with sqlite3.connect(before.removeprefix("sqlite:///")) as conn:
            conn.execute("DROP INDEX ix_session_logs_patient_window")
        before_us, window = microseconds_per_read(before)
        after_us, _ = microseconds_per_read(after)
    print(
        json.dumps(
            {
                "bench": "session_logs.window_read",
                "logs_per_patient": PLANS * DAYS * len(COMPONENTS),
                "logs_in_window": window,
                "plan_window_index_us": round(before_us, 1),
                "patient_window_index_us": round(after_us, 1),
                "before_over_after": round(before_us / after_us, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
