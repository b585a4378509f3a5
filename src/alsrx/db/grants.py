"""PostgreSQL roles for a deployment in which the application cannot edit its own audit trail.

Two roles: an owner, which owns the schema, runs `alsrx db upgrade` and is used by nobody
else; and the application's role, which serves requests. The application may write any table
but may only add to audit_events (INSERT, SELECT) and move audit_head forward (SELECT, UPDATE:
the row lock of every append needs UPDATE); it can truncate nothing, and as it owns no table it
cannot drop or disable the append-only triggers either. See docs/deployment-roles.md.
"""

from __future__ import annotations

import re

from alsrx.errors import FieldError, InvalidInput

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _identifier(path: str, name: str) -> str:
    if not IDENTIFIER.match(name):  # the statements are printed for a superuser to run
        raise InvalidInput([FieldError(path, "invalid", {"detail": "a lower-case SQL name"})])
    return name


def statements(*, owner: str, app: str, schema: str = "public") -> list[str]:
    """GRANT/REVOKE statements, idempotent: run them after every `alsrx db upgrade`, since the
    application gets rights only on the tables that exist when they run."""
    owner, app = _identifier("--owner", owner), _identifier("--app", app)
    s = _identifier("--schema", schema)
    return [
        f"ALTER SCHEMA {s} OWNER TO {owner}",
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {s} TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {app}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {s}.audit_events FROM {app}",
        f"REVOKE INSERT, DELETE, TRUNCATE ON {s}.audit_head FROM {app}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {s}.alembic_version FROM {app}",
    ]


def script(*, owner: str, app: str, schema: str = "public") -> str:
    lines = [
        "-- alsrx database roles (docs/deployment-roles.md); run as a superuser.",
        f"-- First install: CREATE ROLE {owner} LOGIN PASSWORD '...';"
        f" CREATE ROLE {app} LOGIN PASSWORD '...';",
        f"--   ALTER SCHEMA {schema} OWNER TO {owner};",
        f"-- then `alsrx db upgrade` as {owner}, then these (again after every upgrade):",
    ]
    return "\n".join(lines + [f"{s};" for s in statements(owner=owner, app=app, schema=schema)])
