"""idempotency keys keep the response headers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 11:40:00

A retried POST is answered with the original response, and a create's response carries its
Location and ETag: a replay without them left a phone that retried unable to find or update
what it had created. Keys stored before this have no headers; their replays send none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("response_headers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("response_headers")
