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
