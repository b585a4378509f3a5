"""reference_cohorts: natural-history cohorts from outside alsrx (PRO-ACT), apart from patients

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-12 10:00:00

Research plots draw a reference cohort behind a centre's patients. Its people are not patients:
they live in tables of their own, with no centre and no link to `patients`, so no patient list,
count or export can meet them. A cohort holds its subjects (the source's subject id, sex, age,
onset) and their visits (days since onset, or from trial entry when the onset is unknown;
ALSFRS-R, FVC, weight, height); `counts` keeps the import's report
(services/reference_cohorts.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reference_cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reference_cohorts"),
        sa.UniqueConstraint("name", name="uq_reference_cohorts_name"),
    )
    op.create_table(
        "reference_subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=50), nullable=False),
        sa.Column("sex", sa.String(length=10), nullable=True),
        sa.Column("age_years", sa.Float(), nullable=True),
        sa.Column("onset_region", sa.String(length=20), nullable=True),
        sa.Column("onset_delta_days", sa.Integer(), nullable=True),
        sa.Column("died", sa.Boolean(), nullable=True),
        sa.Column("death_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["reference_cohorts.id"],
            name="fk_reference_subjects_cohort_id_reference_cohorts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reference_subjects"),
        sa.UniqueConstraint("cohort_id", "source_id", name="cohort_source"),
    )
    op.create_index(
        "ix_reference_subjects_cohort_id", "reference_subjects", ["cohort_id"], unique=False
    )
    op.create_table(
        "reference_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("days_from_entry", sa.Integer(), nullable=False),
        sa.Column("days_since_onset", sa.Integer(), nullable=True),
        sa.Column("alsfrs_r_total", sa.Float(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("fvc_l", sa.Float(), nullable=True),
        sa.Column("fvc_percent", sa.Float(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("height_cm", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["reference_subjects.id"],
            name="fk_reference_visits_subject_id_reference_subjects",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reference_visits"),
    )
    op.create_index(
        "ix_reference_visits_subject_id", "reference_visits", ["subject_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_reference_visits_subject_id", table_name="reference_visits")
    op.drop_table("reference_visits")
    op.drop_index("ix_reference_subjects_cohort_id", table_name="reference_subjects")
    op.drop_table("reference_subjects")
    op.drop_table("reference_cohorts")
