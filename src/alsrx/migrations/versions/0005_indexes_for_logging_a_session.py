"""indexes for logging a session: logs by plan window, prescriptions by patient and status

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 10:50:00

Every logged session reads its plan's last five weeks of logs. With only the patient_id index
that read walked all of the patient's logs, of every plan since the first, and sorted the
window in a temporary tree: a cost that grew with each year of follow-up. The composite index
answers the window as one range, already in order. It also serves every lookup by patient
alone (its first column), so the single-column index goes: one fewer index per insert.

Every logged session also looks up the patient's active plan and open proposals by patient and
status. With one index on each column, SQLite (no statistics gathered) chose the status index
and walked every active prescription or every draft of the deployment: a cost that grew with
the number of patients. The composite index makes it one lookup; it too replaces the
single-column patient index.
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
    op.create_index(
        "ix_prescriptions_patient_status", "prescriptions", ["patient_id", "status"], unique=False
    )
    op.drop_index("ix_prescriptions_patient_id", table_name="prescriptions")


def downgrade() -> None:
    op.create_index("ix_prescriptions_patient_id", "prescriptions", ["patient_id"], unique=False)
    op.drop_index("ix_prescriptions_patient_status", table_name="prescriptions")
    op.create_index("ix_session_logs_patient_id", "session_logs", ["patient_id"], unique=False)
    op.drop_index("ix_session_logs_plan_window", table_name="session_logs")
