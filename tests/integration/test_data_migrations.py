"""Data migrations, not only the schema: a database holding rows from before a migration comes
out of it with those rows filled in, and what cannot be mended is reported (SQLite and
PostgreSQL)."""

import datetime as dt
import json
import logging
import os
import subprocess
import sys

from sqlalchemy import text

from alsrx.db.migrate import downgrade, upgrade
from alsrx.db.session import make_engine

DERIVED = {
    "alsfrs_r": {"total": 41},
    "kings_stage": "2",
    "mitos_stage": 1,
    "progression": {"category": "intermediate"},
    "fvc": {"percent_predicted": 88.5},
}
CONTENT = {
    "components": [
        {"type": "aerobic", "sessions_per_week": {"min": 3, "max": 5}},
        {"type": "resistance", "sessions_per_week": {"min": 2, "max": 3}},
    ]
}


def _rows_as_of_0006(url):
    """A centre, a user, a patient, an assessment and an active plan stored as they were before
    0007: the dashboard columns of 0003 empty."""
    engine = make_engine(url)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO centres (id, name, created_at) VALUES (1, 'C', :now)"), {"now": now}
        )
        conn.execute(
            text(
                "INSERT INTO users (id, username, password_hash, role, is_active, lang, "
                "created_at) VALUES (1, 'u', 'x', 'clinician', true, 'en', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO patients (id, centre_id, code, research_id, sex, symptom_onset_date, "
                "beta_blocker, conditions, uses_ventilation_support, version, created_at) VALUES "
                "('p1', 1, 'A-1', 'r1', 'male', '2025-01-01', false, '[]', false, 1, :now)"
            ),
            {"now": now},
        )
        for i, derived in enumerate((DERIVED, {**DERIVED, "fvc": {"percent_predicted": None}})):
            conn.execute(
                text(
                    "INSERT INTO assessments (id, series_id, version, is_current, patient_id, "
                    "date, data, derived, entered_by, entered_as, created_at) VALUES "
                    "(:id, :id, 1, true, 'p1', '2026-10-01', '{}', :derived, 1, 'clinician', :now)"
                ),
                {"id": f"a{i}", "derived": json.dumps(derived), "now": now},
            )
        for rx_id, status in (("rx1", "active"), ("rx0", "superseded"), ("rx2", "draft")):
            conn.execute(
                text(
                    "INSERT INTO prescriptions (id, patient_id, status, version, content, origin, "
                    "created_by, created_at) VALUES (:id, 'p1', :status, 1, :content, 'engine', "
                    "1, :now)"
                ),
                {"id": rx_id, "status": status, "content": json.dumps(CONTENT), "now": now},
            )
    return engine


def test_migration_0007_fills_the_dashboard_columns_of_rows_stored_before_it(db_url):
    downgrade(db_url, "0006")
    engine = _rows_as_of_0006(db_url)
    upgrade(db_url, "0007")
    with engine.connect() as conn:
        filled = conn.execute(
            text(
                "SELECT id, total, kings_stage, mitos_stage, progression_category, fvc_percent "
                "FROM assessments ORDER BY id"
            )
        ).all()
        planned = dict(conn.execute(text("SELECT id, planned_per_week FROM prescriptions")).all())
    engine.dispose()
    upgrade(db_url)
    assert [tuple(r) for r in filled] == [
        ("a0", 41, "2", 1, "intermediate", 88.5),
        ("a1", 41, "2", 1, "intermediate", None),
    ]
    assert planned == {"rx1": 5, "rx0": 5, "rx2": None}  # a draft plans nothing yet


def test_migration_0007_reports_non_finite_values_already_stored_without_their_values(
    db_url, caplog
):
    if not db_url.startswith("sqlite"):
        # PostgreSQL's json type never accepted NaN: only its float columns could hold one.
        downgrade(db_url, "0006")
        engine = _rows_as_of_0006(db_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE patients SET weight_kg = 'NaN'::float8"))
    else:
        downgrade(db_url, "0006")
        engine = _rows_as_of_0006(db_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE patients SET weight_kg = 9e999"))
            conn.execute(
                text("UPDATE assessments SET data = :d WHERE id = 'a1'"),
                {"d": '{"fvc_l": NaN, "note": "NaN is fine inside text"}'},
            )
            conn.execute(
                text("UPDATE assessments SET data = :d WHERE id = 'a0'"),
                {"d": '{"note": "NaN and Infinity as words"}'},
            )
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="alembic.runtime.migration"):
        upgrade(db_url, "0007")
    reported = [r.getMessage() for r in caplog.records if "non-finite" in r.getMessage()]
    upgrade(db_url)
    expected = ["patients.weight_kg of row p1"]
    if db_url.startswith("sqlite"):
        expected.append("assessments.data of row a1")
    assert sorted(m.split(" in ", 1)[1].removesuffix(": correct it") for m in reported) == sorted(
        expected
    )
    cli = check_values(db_url)
    assert cli.returncode == 1 and "patients.weight_kg of row p1" in cli.stderr


def check_values(db_url):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", "db", "check-values"],
        env=dict(os.environ, ALSRX_DATABASE_URL=db_url),
        capture_output=True,
        text=True,
        check=False,
    )


def test_db_check_values_passes_a_clean_database(db_url):
    cli = check_values(db_url)
    assert cli.returncode == 0, cli.stderr
