"""`alsrx centre create --emergency-number`: stored digits only, a bad number named and refused."""

import os
import sqlite3
import subprocess
import sys


def alsrx(args, env):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_a_centre_gets_its_emergency_number_from_the_cli_and_a_bad_one_is_refused(tmp_path):
    db = tmp_path / "centres.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    made = alsrx(["centre", "create", "Beijing", "--emergency-number", "120"], env)
    assert made.returncode == 0, made.stderr
    refused = alsrx(["centre", "create", "Elsewhere", "--emergency-number", "+44 999"], env)
    assert refused.returncode != 0 and "emergency_number" in refused.stderr
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT name, emergency_number FROM centres ORDER BY name").fetchall()
    conn.close()
    assert rows == [("Beijing", "120")]


def test_an_existing_centre_is_given_its_emergency_number_later_and_the_change_is_audited(
    tmp_path,
):
    db = tmp_path / "centres.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    assert alsrx(["centre", "create", "London"], env).returncode == 0
    refused = alsrx(["centre", "set", "London", "--emergency-number", "99 9"], env)
    assert refused.returncode != 0 and "emergency_number" in refused.stderr
    changed = alsrx(["centre", "set", "London", "--emergency-number", "999"], env)
    assert changed.returncode == 0, changed.stderr
    conn = sqlite3.connect(db)
    number = conn.execute("SELECT emergency_number FROM centres").fetchone()
    query = "SELECT action FROM audit_events WHERE entity = 'centre' ORDER BY seq"
    actions = conn.execute(query).fetchall()
    conn.close()
    assert number == ("999",) and [a for (a,) in actions] == ["create", "update"]
