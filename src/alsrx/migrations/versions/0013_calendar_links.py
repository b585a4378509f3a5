"""calendar_links: revocable addresses of a patient's weekly plan as an iCalendar feed

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10 10:00:00

A phone's calendar app subscribes to an address and cannot sign in, so the patient's week is
also served at /calendar/{token}.ics. Each row is one such address: the token's SHA-256 (the
token itself is shown once and never stored), who made it, and when it was revoked. A revoked
or unknown token answers 404 (services/calendar_links.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_links",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_calendar_links_patient_id_patients"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name="fk_calendar_links_created_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_links"),
        sa.UniqueConstraint("token_hash", name="uq_calendar_links_token_hash"),
    )
    op.create_index("ix_calendar_links_patient_id", "calendar_links", ["patient_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_calendar_links_patient_id", table_name="calendar_links")
    op.drop_table("calendar_links")
