"""`alsrx demo seed` and `alsrx followup scan` end to end on a fresh SQLite database."""

import os
import sqlite3
import subprocess
import sys


def alsrx(args, env):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_demo_seed_makes_a_living_cohort_and_scan_runs(tmp_path):
    db = tmp_path / "demo.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    seeded = alsrx(
        [
            "demo",
            "seed",
            "--patients",
            "3",
            "--months",
            "4",
            "--seed",
            "7",
            "--today",
            "2026-11-02",
        ],
        env,
    )
    assert seeded.returncode == 0, seeded.stderr
    assert (
        "3 patients" in seeded.stdout
        and "login demo-clinician / demo-password-ALS" in seeded.stdout
    )
    conn = sqlite3.connect(db)
    (assessments,) = conn.execute("SELECT count(*) FROM assessments").fetchone()
    (logs,) = conn.execute("SELECT count(*) FROM session_logs").fetchone()
    (active,) = conn.execute(
        "SELECT count(*) FROM prescriptions WHERE status = 'active'"
    ).fetchone()
    conn.close()
    assert assessments == 6 and logs > 50 and active >= 2
    scanned = alsrx(["followup", "scan", "--today", "2026-12-20"], env)
    assert scanned.returncode == 0 and "scanned 3 patients" in scanned.stdout
    assert alsrx(["audit", "verify"], env).returncode == 0


def test_demo_seed_is_refused_outside_demo_mode(tmp_path):
    env = dict(
        os.environ, ALSRX_DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", ALSRX_DEMO_MODE="false"
    )
    alsrx(["db", "upgrade"], env)
    refused = alsrx(["demo", "seed", "--patients", "1"], env)
    assert refused.returncode == 1 and "ALSRX_DEMO_MODE" in refused.stderr
