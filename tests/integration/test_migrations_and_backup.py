"""Migrations up and down, and backup/restore as a round trip, on SQLite and PostgreSQL."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, text

from alsrx.db import models
from alsrx.db.migrate import downgrade, upgrade
from alsrx.db.session import make_engine


def tables(url):
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_go_down_to_nothing_and_back_up(db_url):
    assert {"patients", "audit_events", "idempotency_keys"} <= tables(db_url)
    downgrade(db_url, "base")
    assert tables(db_url) <= {"alembic_version"}
    upgrade(db_url)
    assert {"patients", "audit_events", "patient_identities"} <= tables(db_url)


def test_the_migrated_schema_is_the_one_the_models_declare(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diffs = compare_metadata(context, models.Base.metadata)
    finally:
        engine.dispose()
    assert diffs == []


def test_sqlite_is_opened_durable(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    engine.dispose()


CLI_AUDIT_KEY = "audit-key-of-the-cli-tests-" + "k" * 16  # outside demo mode: a real key


def alsrx(args, url, stdin=None):
    env = dict(os.environ, ALSRX_DATABASE_URL=url, ALSRX_AUDIT_KEY=CLI_AUDIT_KEY)
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def count(url, table):
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return n


def test_backup_and_restore_round_trip(db_url, tmp_path):
    if not db_url.startswith("sqlite") and not os.path.exists("/usr/bin/pg_dump"):
        pytest.skip("pg_dump not installed")
    assert alsrx(["centre", "create", "Round Trip"], db_url).returncode == 0
    backup = tmp_path / "alsrx.backup"
    made = alsrx(["backup", str(backup)], db_url)
    assert made.returncode == 0, made.stderr
    assert alsrx(["centre", "create", "Added After Backup"], db_url).returncode == 0
    assert count(db_url, "centres") == 2
    restored = alsrx(["restore", str(backup)], db_url)
    assert restored.returncode == 0, restored.stderr
    assert count(db_url, "centres") == 1
    verified = alsrx(["audit", "verify"], db_url)
    assert verified.returncode == 0, verified.stderr


def test_cli_creates_accounts_and_prints_only_the_token(db_url):
    assert alsrx(["centre", "create", "CLI Centre"], db_url).returncode == 0
    made = alsrx(
        [
            "user",
            "create",
            "dr-wang",
            "--role",
            "clinician",
            "--centre",
            "CLI Centre",
            "--password-stdin",
        ],
        db_url,
        stdin="a long enough password\n",
    )
    assert made.returncode == 0, made.stderr
    token = alsrx(["token", "create", "dr-wang"], db_url)
    assert (
        token.returncode == 0
        and len(token.stdout.strip()) >= 40
        and "\n" not in token.stdout.strip()
    )
    short = alsrx(
        [
            "user",
            "create",
            "x",
            "--role",
            "clinician",
            "--centre",
            "CLI Centre",
            "--password-stdin",
        ],
        db_url,
        stdin="short\n",
    )
    assert short.returncode == 1 and "password" in short.stderr


def test_audit_verify_exits_non_zero_naming_the_altered_event(db_url):
    alsrx(["centre", "create", "Audited"], db_url)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        if db_url.startswith("sqlite"):
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        conn.execute(text("UPDATE audit_events SET reason = 'edited later' WHERE seq = 1"))
    engine.dispose()
    verified = alsrx(["audit", "verify"], db_url)
    assert verified.returncode == 1 and "event 1 altered" in verified.stderr


def test_purging_idempotency_keys_deletes_only_those_older_than_asked(db_url):
    engine = make_engine(db_url)
    now = dt.datetime.now(dt.UTC)
    ages = {"fresh": 0, "week-old": 7, "old": 31, "ancient": 400}
    made = alsrx(
        ["user", "create", "keyholder", "--role", "admin", "--password-stdin"],
        db_url,
        stdin="a long enough password\n",
    )
    assert made.returncode == 0, made.stderr
    with engine.begin() as conn:
        user = conn.execute(text("SELECT id FROM users WHERE username = 'keyholder'")).scalar()
        for key, days in ages.items():  # typed, so stored as the app stores them
            conn.execute(
                insert(models.IdempotencyKey.__table__).values(
                    user_id=user,
                    key=key,
                    request_hash="h",
                    status="done",
                    created_at=now - dt.timedelta(days=days, minutes=1),
                )
            )
    engine.dispose()
    refused = alsrx(["db", "purge-idempotency-keys", "--older-than-days", "0"], db_url)
    assert refused.returncode == 1 and "older_than_days" in refused.stderr
    assert count(db_url, "idempotency_keys") == 4, "a refused purge deleted keys"
    purged = alsrx(["db", "purge-idempotency-keys"], db_url)  # default: 30 days
    assert purged.returncode == 0 and purged.stdout.strip() == "idempotency keys purged: 2"
    weekly = alsrx(["db", "purge-idempotency-keys", "--older-than-days", "7"], db_url)
    assert weekly.stdout.strip() == "idempotency keys purged: 1"
    engine = make_engine(db_url)
    with engine.connect() as conn:
        left = conn.execute(text("SELECT key FROM idempotency_keys")).scalars().all()
    engine.dispose()
    assert left == ["fresh"]
