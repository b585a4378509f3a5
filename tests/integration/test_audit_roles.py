"""The deployment of docs/deployment-roles.md on PostgreSQL: an owner role migrates, the
application's role does all its writes under `alsrx db grants`, and cannot UPDATE, DELETE or
TRUNCATE the audit trail, nor drop its triggers."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.db_fixtures import AUDIT_KEY, PG_ENV, build_world

from alsrx.db import grants
from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import audit


def as_role(base: str, role: str, schema: str) -> str:
    url = make_url(base).set(username=role).render_as_string(hide_password=False)
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture
def deployment():
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    tag = uuid.uuid4().hex[:8]
    owner, app, schema = f"alsrx_owner_{tag}", f"alsrx_app_{tag}", f"roles_{tag}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {owner} LOGIN"))
        conn.execute(text(f"CREATE ROLE {app} LOGIN"))
        conn.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {owner}"))
    try:
        upgrade(as_role(base, owner, schema))
        with admin.begin() as conn:
            for statement in grants.statements(owner=owner, app=app, schema=schema):
                conn.execute(text(statement))
        yield as_role(base, app, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            for role in (app, owner):
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


REFUSED = (
    "UPDATE audit_events SET reason = 'edited'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events",
    "DELETE FROM audit_head",
    "TRUNCATE audit_head",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "INSERT INTO alembic_version VALUES ('x')",
)


def test_the_application_role_writes_everything_but_cannot_edit_the_audit_trail(deployment):
    engine = make_engine(deployment)
    try:
        factory = session_factory(engine, audit_key=AUDIT_KEY)
        build_world(factory, None)  # centres, patients, users, tokens: all audited
        with transaction(factory, write=False) as s:
            verdict = audit.verify(s)
        assert verdict.ok and verdict.checked > 5
        for statement in REFUSED:  # privileges, not triggers: the trigger would say otherwise
            with pytest.raises(Exception, match=r"permission denied|must be owner"):  # noqa: SIM117
                with engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        engine.dispose()


def test_db_grants_refuses_a_role_name_that_is_not_a_plain_sql_name():
    with pytest.raises(Exception, match="--app"):
        grants.statements(owner="alsrx_owner", app="x; DROP TABLE patients")
