"""Real databases for tests: SQLite files and, when ALSRX_TEST_POSTGRES_URL is set (CI always
sets it), PostgreSQL in a schema of its own. Every test starts from a migrated database, empty
or holding the world (build_world) when it asks for `world`."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text

from alsrx.db import models
from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import accounts, api_tokens, patients
from alsrx.services.actor import SYSTEM, Actor
from alsrx.settings import DEMO_AUDIT_KEY, Settings
from alsrx.web.app import create_app

PG_ENV = "ALSRX_TEST_POSTGRES_URL"
AUDIT_KEY = DEMO_AUDIT_KEY  # the tests' app runs in demo mode, as does the e2e server
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    upgrade(url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _truncate_pg(engine: Engine, world: PgWorld | None = None) -> None:
    tables = ", ".join(t.name for t in models.Base.metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit tables refuse TRUNCATE and a rewound head (migration 0009): a test's reset
        # of the schema runs with triggers off, as only a superuser can.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        if world is not None:
            world.copy_into(conn)
        else:
            conn.execute(
                text("INSERT INTO audit_head (id, seq, hash, legacy_seq) VALUES (1, 0, :h, 0)"),
                {"h": "0" * 64},
            )
        # A test may have dropped the audit triggers to play an attacker: restore them.
        for statement in PG_AUDIT_TRIGGERS:
            conn.execute(text(statement))


PG_AUDIT_TRIGGERS = (
    "CREATE OR REPLACE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON "
    "audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_guard()",
    "CREATE OR REPLACE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard()",
    "CREATE OR REPLACE TRIGGER audit_head_advance_only BEFORE INSERT OR UPDATE OR DELETE ON "
    "audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_guard()",
    "CREATE OR REPLACE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_head_guard()",
)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database; for a test that asks for `world`, one holding the world,
    copied from the one built once per session (see sqlite_world, pg_world)."""
    seeded = "world" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "alsrx.db"
        if seeded:
            template, request.node.stash[WORLD_SEED] = request.getfixturevalue("sqlite_world")
            shutil.copy(template, path)
        else:
            shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_schema_url")
    snapshot = None
    if seeded:
        snapshot, request.node.stash[WORLD_SEED] = request.getfixturevalue("pg_world")
    engine = create_engine(url)
    _truncate_pg(engine, snapshot)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine):  # type: ignore[no-untyped-def]
    return session_factory(engine, audit_key=AUDIT_KEY)


PATIENT_A = {
    "code": "A-001",
    "sex": "male",
    "birth_date": "1961-03-02",
    "height_cm": 176,
    "weight_kg": 74,
    "ethnicity": "caucasian",
    "symptom_onset_date": "2025-09-01",
    "diagnosis_date": "2026-02-01",
    "onset_region": "lower_limb",
}
PASSWORD = "correct horse battery"


@dataclass
class World:
    """Two centres, a patient in each, and one account per role (plus a second clinician)."""

    client: TestClient
    tokens: dict[str, str]
    patient_a: str
    patient_b: str
    centre_a: int
    centre_b: int
    factory: object

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@dataclass(frozen=True)
class WorldSeed:
    """What building the world stored: the tokens it issued and the ids of what it made."""

    tokens: dict[str, str]
    patient_a: str
    patient_b: str
    centre_a: int
    centre_b: int

    def world(self, factory, client: TestClient) -> World:  # type: ignore[no-untyped-def]
        ids = (self.patient_a, self.patient_b, self.centre_a, self.centre_b)
        return World(client, dict(self.tokens), *ids, factory)


def build_world(factory, client: TestClient) -> World:  # type: ignore[no-untyped-def]
    return seed_world(factory).world(factory, client)


def seed_world(factory) -> WorldSeed:  # type: ignore[no-untyped-def]
    import datetime as dt

    today = dt.date(2026, 11, 26)
    with transaction(factory) as s:
        a = accounts.create_centre(s, SYSTEM, "Centre A", contact_phone="+86 10 0000 0000")
        b = accounts.create_centre(s, SYSTEM, "Centre B")
        boot_a = Actor(0, "boot", "clinician", frozenset({a.id}))
        boot_b = Actor(0, "boot", "clinician", frozenset({b.id}))
        pa = patients.create(s, boot_a, dict(PATIENT_A), centre_id=a.id, today=today)
        pb = patients.create(s, boot_b, dict(PATIENT_A, code="B-001"), centre_id=b.id, today=today)
        users = {
            "admin": {"role": "admin"},
            "clinician": {"role": "clinician", "centre_ids": (a.id,)},
            "clinician_b": {"role": "clinician", "centre_ids": (b.id,)},
            "researcher": {"role": "researcher", "centre_ids": (a.id,)},
            "patient": {"role": "patient", "patient_id": pa.id},
            "caregiver": {"role": "caregiver", "linked_patient_ids": (pa.id,)},
        }
        tokens = {}
        for name, kwargs in users.items():
            user = accounts.create_user(s, SYSTEM, username=name, password=PASSWORD, **kwargs)
            tokens[name] = api_tokens.issue_token(s, SYSTEM, user)
        ids = (pa.id, pb.id, a.id, b.id)
    return WorldSeed(tokens, *ids)


# The world's six accounts cost six argon2 hashes, about 1.5 s a test and most of the web
# tests' time: it is built once per session and backend, through the services as above, and
# each test that asks for `world` gets a copy of it (the file on SQLite, the rows on
# PostgreSQL; db_url makes the copy). Tokens, ids, audit chain: all as if built for the test.
WORLD_SEED = pytest.StashKey[WorldSeed]()


@pytest.fixture(scope="session")
def sqlite_world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> tuple[Path, WorldSeed]:
    path = tmp_path_factory.mktemp("world") / "world.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    seed = seed_world(session_factory(engine, audit_key=AUDIT_KEY))
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the one file
    engine.dispose()
    return path, seed


@dataclass(frozen=True)
class PgWorld:
    """The world's rows, kept in a schema of their own, and where its sequences stood."""

    schema: str
    sequences: dict[str, int]

    def copy_into(self, conn: Connection) -> None:
        """Into the test's schema, just truncated, with triggers off (see _truncate_pg)."""
        for table in models.Base.metadata.sorted_tables:
            conn.execute(
                text(
                    f"INSERT INTO {table.name} OVERRIDING SYSTEM VALUE "
                    f"SELECT * FROM {self.schema}.{table.name}"
                )
            )
        for name, value in self.sequences.items():
            conn.execute(text("SELECT setval(:name, :value)"), {"name": name, "value": value})


@pytest.fixture(scope="session")
def pg_world(pg_schema_url: str) -> Iterator[tuple[PgWorld, WorldSeed]]:
    engine = make_engine(pg_schema_url)
    _truncate_pg(engine)
    seed = seed_world(session_factory(engine, audit_key=AUDIT_KEY))
    with engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        keep = f"{schema}_world"
        conn.execute(text(f"CREATE SCHEMA {keep}"))
        for table in models.Base.metadata.sorted_tables:
            conn.execute(text(f"CREATE TABLE {keep}.{table.name} AS TABLE {table.name}"))
        rows = conn.execute(
            text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = :schema AND last_value IS NOT NULL"
            ),
            {"schema": schema},
        )
        sequences = {name: int(value) for name, value in rows}
    yield PgWorld(keep, sequences), seed
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {keep} CASCADE"))
    engine.dispose()


@pytest.fixture
def app(db_url: str, engine: Engine):  # type: ignore[no-untyped-def]
    # Two-step sign-in has tests of its own (tests/web/test_sign_in_mfa.py); elsewhere only
    # admins, who always need it, would meet it.
    settings = Settings(
        database_url=db_url,
        demo_mode=True,
        cookie_secure=False,
        audit_key=AUDIT_KEY,
        mfa_required_roles=frozenset(),
    )
    return create_app(settings, engine=engine)


@pytest.fixture
def world(request, app, factory) -> Iterator[World]:  # type: ignore[no-untyped-def]
    seed = request.node.stash.get(WORLD_SEED, None)  # None: asked for late, after db_url
    with TestClient(app, raise_server_exceptions=False) as client:
        yield build_world(factory, client) if seed is None else seed.world(factory, client)


# Page-only tests (rendering, words, layout) gain nothing from a second backend; services and
# queries keep running on both. Usage: @SQLITE_ONLY above the test.
SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
