"""`alsrx audit verify`, `audit anchor` and `db grants`, in process, on SQLite and PostgreSQL."""

import pytest
import typer
from sqlalchemy import text
from tests.integration.audit_attacker import drop_guards, rows, set_head, write_events
from typer.testing import CliRunner

from alsrx import cli_audit
from alsrx.db.session import session_factory, transaction

KEY = "audit-key-of-the-cli-tests-" + "k" * 16  # outside demo mode: a real key


def cli():
    root, audit_app, db_app = typer.Typer(), typer.Typer(), typer.Typer()
    cli_audit.register(audit_app=audit_app, db_app=db_app)
    root.add_typer(audit_app, name="audit")
    root.add_typer(db_app, name="db")
    return root


def run(args, db_url, **env):
    environment = {"ALSRX_DATABASE_URL": db_url, "ALSRX_AUDIT_KEY": KEY, "ALSRX_DEMO_MODE": "false"}
    return CliRunner().invoke(cli(), args, env=environment | env)


@pytest.fixture
def keyed(engine):
    return session_factory(engine, audit_key=KEY)


def test_verify_lists_every_broken_event_bounded_and_exits_1(keyed, engine, db_url):
    with transaction(keyed) as s:
        write_events(s, 30)
    assert run(["audit", "verify"], db_url).stdout.startswith("audit trail intact: 30 events")
    with engine.begin() as conn:
        drop_guards(conn)
        conn.execute(text("UPDATE audit_events SET reason = 'edited' WHERE seq <= 25"))
    result = run(["audit", "verify"], db_url)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "audit trail broken: 25 problems in 30 events"
    assert lines[1:3] == ["  event 1 altered", "  event 2 altered"]
    assert len(lines) == 1 + cli_audit.LISTED + 1 and lines[-1] == "  ... and 5 more"


def test_verify_without_the_audit_key_outside_demo_mode_names_the_setting(db_url):
    result = run(["audit", "verify"], db_url, ALSRX_AUDIT_KEY="changeme")
    assert result.exit_code == 1 and "ALSRX_AUDIT_KEY" in result.stderr


def test_an_anchor_appended_to_a_file_catches_a_trail_cut_back_past_it(
    keyed, engine, db_url, tmp_path
):
    with transaction(keyed) as s:
        write_events(s, 4)
    anchors = tmp_path / "anchors.txt"
    made = run(["audit", "anchor", "--append", str(anchors)], db_url)
    assert made.exit_code == 0, made.stderr
    at, seq, mac = made.stdout.split()
    assert at.endswith("Z") and seq == "4" and len(mac) == 64
    assert anchors.read_text() == made.stdout
    with transaction(keyed) as s:
        write_events(s, 2)
    checked = run(["audit", "verify", "--anchor", str(anchors)], db_url)
    assert checked.exit_code == 0 and "1 anchors found in the chain" in checked.stdout
    with engine.begin() as conn:  # cut back to event 2 and rewind the head: consistent again
        drop_guards(conn)
        second = rows(conn)[1]
        conn.execute(text("DELETE FROM audit_events WHERE seq > 2"))
        set_head(conn, 2, second["hash"])
    assert run(["audit", "verify"], db_url).exit_code == 0  # without the anchor, nothing tells
    caught = run(["audit", "verify", "--anchor", str(anchors)], db_url)
    assert caught.exit_code == 1 and "event 4 anchor" in caught.stderr


def test_verify_with_an_unreadable_anchor_file_is_a_usage_error(db_url, tmp_path):
    bad = tmp_path / "anchors.txt"
    bad.write_text("yesterday 4 not-a-mac\n")
    assert run(["audit", "verify", "--anchor", str(bad)], db_url).exit_code == 2
    assert run(["audit", "verify", "--anchor", str(tmp_path / "none")], db_url).exit_code == 2


def test_db_grants_prints_the_revokes_that_keep_the_app_role_off_the_audit_trail(db_url):
    result = run(["db", "grants", "--owner", "clinic_owner", "--app", "clinic_app"], db_url)
    assert result.exit_code == 0
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_events FROM clinic_app;" in (
        result.stdout
    )
    assert "REVOKE INSERT, DELETE, TRUNCATE ON public.audit_head FROM clinic_app;" in result.stdout
    assert run(["db", "grants", "--app", "Robert'); DROP"], db_url).exit_code == 2
