"""assessments by patient and date

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 08:30:00

The course rules read a patient's previous assessment on every new one, ordered by date: with
only the patient_id index that was a sort of all the patient's rows, so each write got slower
as the patient's history grew (bench/bench_api.py).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_assessments_patient_date",
        "assessments",
        ["patient_id", "date", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_assessments_patient_date", table_name="assessments")
