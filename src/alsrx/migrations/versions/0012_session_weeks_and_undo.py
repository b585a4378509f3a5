"""session_weeks: stored week tallies per patient, week and component; undone logs; plans' weeks

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00

Every logged session re-read its plan's five weeks of logs and recounted them, and readers
(dashboard, patient's weeks, summary API) each counted adherence their own way. From here a row
per patient, ISO week (Monday) and component holds what was planned and what was logged
(services/session_weeks.py keeps it, domain/followup/adherence.py defines it). Keyed by patient,
not prescription: a plan approved mid-week keeps the week's logs.

Also: a logged session can be undone (kept, marked, counted nowhere): `undone_at`, `undone_by`;
an index over a patient's logs by date (the rules read a patient's recent logs across plans);
and each approved plan's planned sessions week by week (`planned_weeks`), so that adherence
readers need not parse the prescription document.

The backfill applies the rules as they are on this migration's day, written out here: a
migration is a snapshot, and must not change when the code does. Planned: the minimum sessions
of the plan in force at the end of the week (the last approved by then), in the phase the week
starts in; counts: one per completion; time, heart rate in the log's target range, RPE, fatigue
recovery and symptoms from logs that were not skipped (symptoms from any).
"""

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = (
    "done",
    "partial",
    "skipped",
    "stopped",
    "seconds",
    "with_hr",
    "in_hr_range",
    "rpe_n",
    "rpe_total",
    "fatigue_n",
    "fatigue_seconds",
    "with_tolerance",
    "with_symptoms",
)


def upgrade() -> None:
    op.create_table(
        "session_weeks",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("component", sa.String(length=30), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTERS),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_session_weeks_patient_id_patients"
        ),
        sa.PrimaryKeyConstraint("patient_id", "week", "component", name="pk_session_weeks"),
    )
    with op.batch_alter_table("session_logs") as batch:
        batch.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("undone_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_session_logs_undone_by_users", "users", ["undone_by"], ["id"])
    op.create_index(
        "ix_session_logs_patient_window",
        "session_logs",
        ["patient_id", "date", "created_at"],
        unique=False,
    )
    with op.batch_alter_table("prescriptions") as batch:
        batch.add_column(sa.Column("planned_weeks", sa.JSON(), nullable=True))
    conn = op.get_bind()
    spans = _backfill_plans(conn)
    _backfill_weeks(conn, spans)


def downgrade() -> None:
    with op.batch_alter_table("prescriptions") as batch:
        batch.drop_column("planned_weeks")
    op.drop_index("ix_session_logs_patient_window", table_name="session_logs")
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_constraint("fk_session_logs_undone_by_users", type_="foreignkey")
        batch.drop_column("undone_by")
        batch.drop_column("undone_at")
    op.drop_table("session_weeks")


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _step(component: dict[str, Any], week: int) -> dict[str, Any]:
    steps = component.get("progression") or []
    for step in steps:
        if step["weeks"]["from"] <= week <= step["weeks"]["to"]:
            return step  # type: ignore[no-any-return]
    return steps[-1] if steps and week > steps[-1]["weeks"]["to"] else {}


def _planned(component: dict[str, Any], week: int) -> list[Any]:
    step = _step(component, week)
    # Documents stored by early versions may lack a field: no sessions, no minutes then.
    sessions = step.get("sessions_per_week") or component.get("sessions_per_week") or {}
    minutes = step.get("minutes_per_session") or component.get("minutes_per_session")
    return [int(sessions.get("min") or 0), None if not minutes else minutes.get("max")]


_PROGRESSING = ("aerobic", "resistance", "respiratory_muscle", "balance_functional")


def _schedule(content: dict[str, Any]) -> dict[str, Any]:
    """Each component's [weeks after the first, sessions, minutes] at every change."""
    first = int(content.get("current_week", 1))
    ends = [s["weeks"]["to"] for c in content["components"] for s in c.get("progression") or []]
    weeks = range(first, max([first, *ends]) + 2)
    # A version holds at the end of the phase it was approved in (followup/plan.programme_week).
    starts = sorted(
        {
            s["weeks"]["from"]
            for c in content["components"]
            if c["type"] in _PROGRESSING
            for s in c.get("progression") or []
        }
    )
    following = next((w for w in starts if w > first), None)
    out: dict[str, list[list[Any]]] = {}
    for c in content["components"]:
        changes = out.setdefault(c["type"], [])
        for week in weeks:
            planned = _planned(c, week if following is None else min(week, following - 1))
            if not changes or changes[-1][1:] != planned:
                changes.append([week - first, *planned])
    return {"first_week": first, "components": out}


def _backfill_plans(conn: sa.Connection) -> dict[str, list[tuple[dt.date, dict[str, Any]]]]:
    """Each approved plan's weeks; returns every patient's plans, oldest first."""
    rows = conn.execute(
        sa.text(
            "SELECT id, patient_id, content, starts_on, approved_at, created_at "
            "FROM prescriptions WHERE status IN ('active', 'superseded')"
        )
    ).all()
    update = sa.text("UPDATE prescriptions SET planned_weeks = :weeks WHERE id = :id")
    spans: dict[str, list[tuple[dt.date, str, dict[str, Any]]]] = {}
    for rx_id, patient_id, content, starts_on, approved_at, created_at in rows:
        weeks = _schedule(_document(content) or {"components": []})
        conn.execute(update, {"id": rx_id, "weeks": json.dumps(weeks)})
        started = _day(starts_on or approved_at or created_at)
        order = str(approved_at or created_at)
        spans.setdefault(patient_id, []).append((started, order, weeks))
    return {
        pid: [(start, weeks) for start, _, weeks in sorted(found, key=lambda s: s[:2])]
        for pid, found in spans.items()
    }


def _planned_in_week(
    spans: list[tuple[dt.date, dict[str, Any]]], monday: dt.date
) -> dict[str, int]:
    found = [s for s in spans if s[0] <= monday + dt.timedelta(days=6)]
    if not found:
        return {}
    starts_on, weeks = found[-1]
    after = max(0, (max(monday, starts_on) - starts_on).days) // 7
    out = {}
    for kind, changes in weeks["components"].items():
        current = changes[0]
        for change in changes:
            if change[0] > after:
                break
            current = change
        out[kind] = int(current[1] or 0)
    return out


def _seconds(minutes: Any) -> int:
    return 0 if minutes is None else round(float(minutes) * 60)


def _contribution(log: Any) -> dict[str, int]:
    completed, minutes, hr, rpe, recovery, symptoms, planned = log[3:]
    counts = dict.fromkeys(COUNTERS, 0)
    if completed in counts:
        counts[completed] = 1
    counts["with_symptoms"] = int(bool(_document(symptoms)))
    if completed == "skipped":
        return counts
    counts["seconds"] = _seconds(minutes)
    target = _document(planned) or {}
    low, high = target.get("hr_min_bpm"), target.get("hr_max_bpm")
    if hr is not None:
        counts["with_hr"] = 1
        counts["in_hr_range"] = int((low is None or hr >= low) and (high is None or hr <= high))
    if rpe is not None:
        counts["rpe_n"], counts["rpe_total"] = 1, round(rpe)
    if recovery is not None:
        counts["fatigue_n"], counts["fatigue_seconds"] = 1, _seconds(recovery)
    counts["with_tolerance"] = int(rpe is not None or recovery is not None)
    return counts


def _backfill_weeks(
    conn: sa.Connection, spans: dict[str, list[tuple[dt.date, dict[str, Any]]]]
) -> None:
    logs = conn.execute(
        sa.text(
            "SELECT patient_id, date, component, completed, duration_min, avg_hr_bpm, rpe, "
            "fatigue_recovery_min, symptoms, planned FROM session_logs"
        )
    )
    weeks: dict[tuple[str, dt.date, str], dict[str, int]] = {}
    for log in logs:
        day = _day(log[1])
        key = (log[0], day - dt.timedelta(days=day.weekday()), log[2])
        counts = weeks.setdefault(key, dict.fromkeys(COUNTERS, 0))
        for name, n in _contribution(log).items():
            counts[name] += n
    names = ", ".join(COUNTERS)
    marks = ", ".join(f":{c}" for c in COUNTERS)
    insert = sa.text(
        f"INSERT INTO session_weeks (patient_id, week, component, planned, {names})"
        f" VALUES (:patient_id, :week, :component, :planned, {marks})"
    )
    for (patient_id, monday, kind), counts in weeks.items():
        planned = _planned_in_week(spans.get(patient_id, []), monday).get(kind, 0)
        values = {"patient_id": patient_id, "week": monday, "component": kind, "planned": planned}
        conn.execute(insert, {**values, **counts})
