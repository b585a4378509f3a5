"""session logs by patient, plan and date

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 10:50:00

Every logged session reads its plan's last five weeks of logs. With only the patient_id index
that read walked all of the patient's logs, of every plan since the first, and sorted the
window in a temporary tree: a cost that grew with each year of follow-up. The composite index
answers the window as one range, already in order. It also serves every lookup by patient
alone (its first column), so the single-column index goes: one fewer index per insert.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_session_logs_plan_window",
        "session_logs",
        ["patient_id", "prescription_id", "date", "created_at"],
        unique=False,
    )
    op.drop_index("ix_session_logs_patient_id", table_name="session_logs")


def downgrade() -> None:
    op.create_index("ix_session_logs_patient_id", "session_logs", ["patient_id"], unique=False)
    op.drop_index("ix_session_logs_plan_window", table_name="session_logs")
