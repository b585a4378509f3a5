"""backfill the dashboard columns, confirmations of self-reported assessments, non-finite report

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:20:00

Migration 0003 added the dashboard's columns (ALSFRS-R total, King's and MiToS stages,
progression category, FVC % predicted; planned sessions per week) without filling them, so an
upgraded database showed blanks until each patient was reassessed. They are filled here from the
values stored beside them (the assessment's derived document, the plan's components), with the
rule services/assessments.summarise and services/prescriptions.approve applied when 0007 was
written: a migration is a snapshot of its day, and must not change when that code does.

New: who confirmed a patient's or caregiver's own assessment (a self-entered assessment is the
basis of a draft only once a clinician has confirmed it).

Finally every NaN or Infinity already stored is reported (table, column, row id; never the value)
on the migration's log: such a value made its record unreadable, and a clinician must correct it.
"""

import json
import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from alsrx.db import nonfinite

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
# The places a number from input could be stored, in the schema as of this migration.
NUMBERS = (
    ("patients", "id", "height_cm"),
    ("patients", "id", "weight_kg"),
    ("assessments", "id", "fvc_percent"),
    *(
        ("session_logs", "id", column)
        for column in ("duration_min", "avg_hr_bpm", "max_hr_bpm", "rpe", "fatigue_recovery_min")
    ),
)
DOCUMENTS = (
    ("assessments", "id", "data"),
    ("assessments", "id", "derived"),
    ("prescriptions", "id", "content"),
    ("prescriptions", "id", "proposal"),
    ("session_logs", "id", "planned"),
    ("alerts", "id", "data"),
    ("idempotency_keys", "id", "response_body"),
    ("audit_events", "seq", "old"),
    ("audit_events", "seq", "new"),
)


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("confirmed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_assessments_confirmed_by_users", "users", ["confirmed_by"], ["id"]
        )
    conn = op.get_bind()
    _backfill_assessments(conn)
    _backfill_prescriptions(conn)
    for finding in nonfinite.scan(conn, numbers=NUMBERS, documents=DOCUMENTS):
        log.warning("non-finite number stored in %s: correct it", finding)


def _document(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _backfill_assessments(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text("SELECT id, derived FROM assessments WHERE total IS NULL"))
    update = sa.text(
        "UPDATE assessments SET total = :total, kings_stage = :kings, mitos_stage = :mitos, "
        "progression_category = :category, fvc_percent = :fvc WHERE id = :id"
    )
    for row_id, derived in rows.all():
        d = _document(derived) or {}
        conn.execute(
            update,
            {
                "id": row_id,
                "total": (d.get("alsfrs_r") or {}).get("total"),
                "kings": d.get("kings_stage"),
                "mitos": d.get("mitos_stage"),
                "category": (d.get("progression") or {}).get("category"),
                "fvc": _finite((d.get("fvc") or {}).get("percent_predicted")),
            },
        )


def _finite(value: Any) -> Any:
    """A non-finite percent stays out of the column (it is reported below)."""
    return value if isinstance(value, int | float) and abs(value) <= nonfinite.HUGE else None


def _backfill_prescriptions(conn: sa.Connection) -> None:
    """Planned sessions a week of every approved plan (active or superseded): the sum of its
    components' lowest weekly sessions, as approval computes it."""
    rows = conn.execute(
        sa.text(
            "SELECT id, content FROM prescriptions WHERE planned_per_week IS NULL "
            "AND status IN ('active', 'superseded')"
        )
    )
    update = sa.text("UPDATE prescriptions SET planned_per_week = :n WHERE id = :id")
    for row_id, content in rows.all():
        components = (_document(content) or {}).get("components") or []
        planned = sum(int((c.get("sessions_per_week") or {}).get("min") or 0) for c in components)
        conn.execute(update, {"id": row_id, "n": planned})


def downgrade() -> None:
    # The backfilled values stay: they are what 0003's columns should have held all along.
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("fk_assessments_confirmed_by_users", type_="foreignkey")
        batch.drop_column("confirmed_at")
        batch.drop_column("confirmed_by")
