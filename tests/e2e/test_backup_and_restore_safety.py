"""Backups and the database are their owner's alone, pg_dump and pg_restore never see the
password on their command line, and `alsrx restore` refuses a database a server is using."""

import os
import stat
import subprocess
import sys
import uuid

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from tests.db_fixtures import build_world
from tests.e2e import server
from tests.integration.test_migrations_and_backup import count

CANARY = "pw-canary-7Q:x\\y"  # with the characters a passfile must escape


def alsrx(args, url, **env):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, ALSRX_DATABASE_URL=url, ALSRX_AUDIT_KEY="k" * 40, **env),
        timeout=120,
    )


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def needs_pg_tools(db_url):
    if not db_url.startswith("sqlite") and not os.path.exists("/usr/bin/pg_dump"):
        pytest.skip("pg_dump not installed")


def test_backups_are_readable_by_their_owner_alone(db_url, tmp_path):
    needs_pg_tools(db_url)
    fresh, old = tmp_path / "fresh.backup", tmp_path / "old.backup"
    old.write_bytes(b"")
    old.chmod(0o644)
    for target in (fresh, old):
        made = alsrx(["backup", str(target)], db_url)
        assert made.returncode == 0, made.stderr
        assert mode(target) == 0o600


def test_a_new_sqlite_database_and_its_wal_and_shm_are_readable_by_their_owner_alone(tmp_path):
    old_umask = os.umask(0o022)  # what a login shell usually has
    try:
        url = f"sqlite:///{tmp_path / 'new.db'}"
        assert alsrx(["db", "upgrade"], url).returncode == 0
        assert mode(tmp_path / "new.db") == 0o600
        (tmp_path / "new.db").chmod(0o644)  # as made before this rule: the server tightens it
        with server.running(url) as base:
            stranger = {"Authorization": "Bearer not-a-token"}  # looked up: the server opens it
            assert httpx.get(f"{base}/api/v1/me", headers=stranger).status_code == 401
            for suffix in ("", "-wal", "-shm"):
                assert mode(f"{tmp_path / 'new.db'}{suffix}") == 0o600, suffix
    finally:
        os.umask(old_umask)


def test_pg_dump_and_pg_restore_get_no_password_in_argv(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    needs_pg_tools(db_url)
    url = make_url(db_url).set(password=CANARY).render_as_string(hide_password=False)
    spy = tmp_path / "bin"
    spy.mkdir()
    for tool in ("pg_dump", "pg_restore"):  # record argv and the passfile's mode, then run it
        (spy / tool).write_text(
            f'#!/bin/sh\necho "$0 $*" >> {tmp_path}/argv\n'
            f'stat -c %a "$PGPASSFILE" >> {tmp_path}/passfile\n'
            f'exec /usr/bin/{tool} "$@"\n'
        )
        (spy / tool).chmod(0o755)
    path = f"{spy}:{os.environ['PATH']}"
    assert alsrx(["centre", "create", "Before"], db_url).returncode == 0
    backup = tmp_path / "db.backup"
    made = alsrx(["backup", str(backup)], url, PATH=path)
    assert made.returncode == 0, made.stderr
    assert alsrx(["centre", "create", "After"], db_url).returncode == 0
    restored = alsrx(["restore", str(backup)], url, PATH=path)
    assert restored.returncode == 0, restored.stderr
    assert count(db_url, "centres") == 1
    argv = (tmp_path / "argv").read_text()
    assert "pg_dump" in argv and "pg_restore" in argv
    assert "pw-canary" not in argv
    assert (tmp_path / "passfile").read_text().split() == ["600", "600"]


def test_a_backup_of_a_schema_restores_that_schema_and_leaves_the_others_alone(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    needs_pg_tools(db_url)
    other = f"bystander_{uuid.uuid4().hex[:8]}"  # another application's schema, same database
    admin = create_engine(os.environ["ALSRX_TEST_POSTGRES_URL"])
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {other}; CREATE TABLE {other}.t (x int)"))
        backup = tmp_path / "db.backup"
        assert alsrx(["backup", str(backup)], db_url).returncode == 0
        with admin.begin() as conn:
            conn.execute(text(f"INSERT INTO {other}.t VALUES (1)"))
        restored = alsrx(["restore", str(backup)], db_url)
        assert restored.returncode == 0, restored.stderr
        with admin.connect() as conn:
            assert conn.execute(text(f"SELECT count(*) FROM {other}.t")).scalar() == 1
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {other} CASCADE"))
        admin.dispose()


def test_restore_is_refused_while_a_server_runs_unless_forced(db_url, factory, tmp_path):
    needs_pg_tools(db_url)
    build_world(factory, None)
    backup = tmp_path / "db.backup"
    assert alsrx(["backup", str(backup)], db_url).returncode == 0
    with server.running(db_url):
        refused = alsrx(["restore", str(backup)], db_url)
        assert refused.returncode == 1 and "stop it first" in refused.stderr
        forced = alsrx(["restore", "--force", str(backup)], db_url)
        assert forced.returncode == 0, forced.stderr
    after = alsrx(["restore", str(backup)], db_url)
    assert after.returncode == 0, after.stderr
    assert count(db_url, "centres") == 2


def test_restore_is_allowed_once_a_killed_server_is_gone(db_url, factory, tmp_path):
    needs_pg_tools(db_url)
    backup = tmp_path / "db.backup"
    assert alsrx(["backup", str(backup)], db_url).returncode == 0
    proc = server.start(db_url, server.free_port())
    proc.kill()
    proc.wait(timeout=10)
    allowed = alsrx(["restore", str(backup)], db_url)
    assert allowed.returncode == 0, allowed.stderr
