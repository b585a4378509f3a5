"""the audit chain is keyed (HMAC-SHA256), and its head only moves forward

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:30:00

A plain sha256 chain can be recomputed by anyone who can edit rows; a MAC under
ALSRX_AUDIT_KEY, which the database does not hold, cannot. Events already written keep their
sha256 (mac_alg 'sha256') and stay verifiable; audit_head.legacy_seq records how many there
were, since only those may be unkeyed, and the first keyed event seals them (it MACs the last
one's hash). No key is needed here: nothing is re-MAC'd.

The triggers close what 0001's row triggers left open: PostgreSQL's TRUNCATE fires no row
trigger, so it emptied audit_events past them; and the head could be deleted, or rewound so
that a cut-off trail looked whole. Now TRUNCATE is refused on both tables, and the head row can
neither be inserted nor deleted, and only advances by one event at a time.

Downgrading is refused while keyed events exist: 0006's code would call each of them altered,
and, once mac_alg is dropped, so would this code after upgrading again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEAD_GUARD = "audit_head only advances, one event at a time"
PG_HEAD_GUARD = (
    "CREATE FUNCTION audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' THEN "
    "IF NEW.id = OLD.id AND NEW.seq = OLD.seq + 1 AND NEW.legacy_seq = OLD.legacy_seq THEN "
    "RETURN NEW; END IF; END IF; "
    f"RAISE EXCEPTION '{HEAD_GUARD}'; END $$"
)
PG_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard()",
    "CREATE TRIGGER audit_head_advance_only BEFORE INSERT OR UPDATE OR DELETE ON audit_head "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_guard()",
    "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_guard()",
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_head "
    f"BEGIN SELECT RAISE(ABORT, '{HEAD_GUARD}'); END",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
    f"BEGIN SELECT RAISE(ABORT, '{HEAD_GUARD}'); END",
    "CREATE TRIGGER audit_head_advance_only BEFORE UPDATE ON audit_head "
    "WHEN NEW.id != OLD.id OR NEW.seq != OLD.seq + 1 OR NEW.legacy_seq != OLD.legacy_seq "
    f"BEGIN SELECT RAISE(ABORT, '{HEAD_GUARD}'); END",
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # Adding a column with a default rewrites no row, so 0001's row triggers stay quiet.
    op.add_column(
        "audit_events",
        sa.Column("mac_alg", sa.String(length=16), nullable=False, server_default="sha256"),
    )
    op.add_column(
        "audit_head", sa.Column("legacy_seq", sa.Integer(), nullable=False, server_default="0")
    )
    op.execute("UPDATE audit_head SET legacy_seq = seq")
    if _sqlite():
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        return
    # The default was only for the rows already there: every append names its algorithm.
    op.alter_column("audit_events", "mac_alg", server_default=None)
    op.alter_column("audit_head", "legacy_seq", server_default=None)
    op.execute(PG_HEAD_GUARD)
    for statement in PG_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    keyed = op.get_bind().execute(
        sa.text("SELECT count(*) FROM audit_events WHERE mac_alg != 'sha256'")
    )
    if keyed.scalar():
        raise RuntimeError(
            "refusing to downgrade below 0009: the audit trail holds keyed (HMAC) events, "
            "which the older code cannot verify"
        )
    if _sqlite():
        for name in ("audit_head_no_insert", "audit_head_no_delete", "audit_head_advance_only"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("ALTER TABLE audit_head DROP COLUMN legacy_seq")
        op.execute("ALTER TABLE audit_events DROP COLUMN mac_alg")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
    op.execute("DROP TRIGGER IF EXISTS audit_head_advance_only ON audit_head")
    op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
    op.execute("DROP FUNCTION IF EXISTS audit_head_guard()")
    op.drop_column("audit_head", "legacy_seq")
    op.drop_column("audit_events", "mac_alg")
