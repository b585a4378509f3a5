"""`alsrx fhir export` end to end on a fresh SQLite database: a Bundle to a file, NDJSON per
resource type to a folder, refused for a user who is not a clinician, audited."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest


def alsrx(args, env):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = tmp_path_factory.mktemp("fhir") / "demo.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    seed = [
        "demo",
        "seed",
        "--patients",
        "2",
        "--months",
        "3",
        "--seed",
        "5",
        "--today",
        "2026-11-02",
    ]
    assert alsrx(seed, env).returncode == 0
    return env, db


def test_a_clinician_exports_every_patient_as_one_bundle(seeded, tmp_path):
    env, db = seeded
    out = tmp_path / "bundle.json"
    done = alsrx(["fhir", "export", str(out), "--user", "demo-clinician"], env)
    assert done.returncode == 0, done.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    patients = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert len(patients) == 2
    conn = sqlite3.connect(db)
    (events,) = conn.execute("SELECT count(*) FROM audit_events WHERE action = 'export'").fetchone()
    conn.close()
    assert events >= 2  # one per patient


def test_ndjson_writes_one_file_per_resource_type(seeded, tmp_path):
    env, _ = seeded
    out = tmp_path / "ndjson"
    done = alsrx(
        ["fhir", "export", str(out), "--user", "demo-clinician", "--format", "ndjson"], env
    )
    assert done.returncode == 0, done.stderr
    files = {p.name for p in out.iterdir()}
    assert {"Patient.ndjson", "Observation.ndjson", "ServiceRequest.ndjson"} <= files
    for line in (out / "Patient.ndjson").read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["resourceType"] == "Patient"


def test_a_patient_account_may_not_export(seeded, tmp_path):
    env, _ = seeded
    refused = alsrx(["fhir", "export", str(tmp_path / "x.json"), "--user", "demo-patient"], env)
    assert refused.returncode == 1 and not (tmp_path / "x.json").exists()
