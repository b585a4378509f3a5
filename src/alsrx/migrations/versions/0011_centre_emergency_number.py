"""centres: the emergency number patients are shown first after a red flag

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:30:00

A chest-pain report leads with the emergency number, then the clinic. The number differs by
country (120 in mainland China, 112 in the EU, 999 in the UK and Hong Kong, 911 in North
America), so it is a per-centre setting. Existing centres get none: the page then says "call
your local emergency number" rather than guess one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("centres") as batch:
        batch.add_column(sa.Column("emergency_number", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("centres") as batch:
        batch.drop_column("emergency_number")
