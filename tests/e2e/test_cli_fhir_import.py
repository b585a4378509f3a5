"""`alsrx fhir import FILE --patient ID --user NAME`: the report in words, or every error
naming its entry and element, exit 1, and nothing stored."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys

from tests import fhir_bundles as fb
from tests.db_fixtures import AUDIT_KEY, PASSWORD, PATIENT_A

from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import accounts, patients
from alsrx.services.actor import SYSTEM, Actor


def alsrx(args, env):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args], capture_output=True, text=True, env=env, timeout=120
    )


def _deployment(tmp_path):
    db = tmp_path / "alsrx.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    engine = make_engine(env["ALSRX_DATABASE_URL"])
    with transaction(session_factory(engine, audit_key=AUDIT_KEY)) as s:
        centre = accounts.create_centre(s, SYSTEM, "Centre A")
        boot = Actor(0, "boot", "clinician", frozenset({centre.id}))
        patient = patients.create(
            s, boot, dict(PATIENT_A), centre_id=centre.id, today=dt.date(2026, 11, 26)
        )
        accounts.create_user(
            s, SYSTEM, username="dr", password=PASSWORD, role="clinician", centre_ids=(centre.id,)
        )
        patient_id = patient.id
    engine.dispose()
    return db, env, patient_id


def test_the_cli_imports_a_bundle_and_reports_each_entry(tmp_path):
    db, env, patient_id = _deployment(tmp_path)
    file = tmp_path / "bundle.json"
    file.write_bytes(fb.to_json(fb.bundle(fb.visit("a1", "2026-03-04"))))
    args = ["fhir", "import", str(file), "--patient", patient_id, "--user", "dr"]
    done = alsrx(args, env)
    assert done.returncode == 0, done.stderr
    assert "1 assessments created; 7 entries imported, 0 duplicates, 3 skipped" in done.stdout
    assert "entry[9] Observation: skipped (a value alsrx derives itself)" in done.stdout
    again = alsrx(args, env | {"ALSRX_LANG": "zh"})
    assert again.returncode == 0 and "已创建 0 次评估" in again.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM assessments").fetchone() == (1,)
    conn.close()


def test_a_bad_bundle_exits_1_naming_the_entry_and_stores_nothing(tmp_path):
    db, env, patient_id = _deployment(tmp_path)
    document = fb.bundle(fb.visit("a1", "2026-03-04"))
    del document["entry"][2]["resource"]["subject"]
    file = tmp_path / "bundle.json"
    file.write_bytes(fb.to_json(document))
    done = alsrx(["fhir", "import", str(file), "--patient", patient_id, "--user", "dr"], env)
    assert done.returncode == 1
    assert "entry[2].resource.subject: is required" in done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM assessments").fetchone() == (0,)
    conn.close()
    missing = alsrx(
        ["fhir", "import", str(tmp_path / "nope.json"), "--patient", "x", "--user", "dr"], env
    )
    assert missing.returncode == 2
