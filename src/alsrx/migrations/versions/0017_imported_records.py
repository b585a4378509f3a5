"""imported_records: the FHIR resources an import stored, by source identifier

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 17:00:00

A FHIR import (services/fhir_import.py) stores each visit through the same path as typed
input; this table keeps, per imported resource, the identifier it came with (unique per
patient: the same record imported twice is a duplicate, not a second assessment), the
assessment it became, and its provenance (the author's type and identifier, the bundle, who
imported it and when). A new table only: no batch mode needed on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("assessment_id", sa.String(length=36), nullable=False),
        sa.Column("resource_type", sa.String(length=40), nullable=False),
        sa.Column("source_system", sa.String(length=255), nullable=False),
        sa.Column("source_value", sa.String(length=255), nullable=False),
        sa.Column("source_author", sa.String(length=255), nullable=True),
        sa.Column("bundle_id", sa.String(length=255), nullable=True),
        sa.Column("bundle_timestamp", sa.String(length=40), nullable=True),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_imported_records_patient_id_patients"
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_imported_records_assessment_id_assessments",
        ),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name="fk_imported_records_imported_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_imported_records"),
        sa.UniqueConstraint(
            "patient_id", "source_system", "source_value", name="uq_imported_records_source"
        ),
    )
    op.create_index(
        "ix_imported_records_assessment_id", "imported_records", ["assessment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_imported_records_assessment_id", table_name="imported_records")
    op.drop_table("imported_records")
