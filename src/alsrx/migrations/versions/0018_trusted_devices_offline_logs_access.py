"""trusted devices, the time a session was performed, and each user's access settings

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 12:10:00

The patient app for late ALS. `trusted_devices`: a patient's or caregiver's remembered
device, opened by a short PIN (services/trusted_devices.py); only hashes are kept (the
device's credential as SHA-256, the PIN as argon2), with its failed PIN attempts, the time it
was locked, revoked and by whom. A session opened by a device names it
(`api_tokens.device_id`), so that revoking the device ends its sessions at once.
`session_logs.performed_at`: when the patient did the session, as the device recorded it (a
log queued offline is sent later; `created_at` stays the time the server stored it).
`users.access_prefs`: switch scanning, dwell and read-aloud settings (domain/access_modes.py),
per user; none means the defaults, all off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trusted_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_trusted_devices_user_id_users"),
        sa.ForeignKeyConstraint(
            ["revoked_by"], ["users.id"], name="fk_trusted_devices_revoked_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_trusted_devices"),
        sa.UniqueConstraint("secret_hash", name="uq_trusted_devices_secret_hash"),
    )
    op.create_index("ix_trusted_devices_user_id", "trusted_devices", ["user_id"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("device_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_api_tokens_device_id_trusted_devices", "trusted_devices", ["device_id"], ["id"]
        )
        batch.create_index("ix_api_tokens_device_id", ["device_id"])
    with op.batch_alter_table("session_logs") as batch:
        batch.add_column(sa.Column("performed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("access_prefs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("access_prefs")
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_column("performed_at")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_index("ix_api_tokens_device_id")
        batch.drop_constraint("fk_api_tokens_device_id_trusted_devices", type_="foreignkey")
        batch.drop_column("device_id")
    op.drop_index("ix_trusted_devices_user_id", table_name="trusted_devices")
    op.drop_table("trusted_devices")
