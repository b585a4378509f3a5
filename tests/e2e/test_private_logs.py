"""No patient data in any log: server errors are triggered with planted values, and the logs are
searched for them."""

import io
import json
import logging
import logging.config
import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.db_fixtures import build_world
from tests.e2e import server

from alsrx import logs
from alsrx.db.session import make_engine, transaction

CANARY = "Wang-Xiaoming-13800138000"


def test_a_failed_statement_names_no_parameter(db_url):
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as caught:
            conn.execute(text("INSERT INTO no_such_table VALUES (:v)"), {"v": CANARY})
    finally:
        engine.dispose()
    assert CANARY not in str(caught.value)


def test_an_exception_is_logged_by_type_and_place_without_its_message_or_traceback():
    stream = io.StringIO()
    config = logs.uvicorn_config()
    config["handlers"]["stderr"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        try:
            raise ValueError(f"could not read {CANARY!r}")
        except ValueError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    written = stream.getvalue()
    assert "Exception in ASGI application" in written and "ValueError at " in written
    assert CANARY not in written and "Traceback" not in written


def test_a_server_error_on_a_corrupt_record_leaves_no_patient_data_in_the_servers_log(
    db_url, factory
):
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's json type never stored NaN: the corrupt row cannot exist")
    world = build_world(factory, None)
    row_id = str(uuid.uuid4())
    corrupt = json.dumps({"fvc_l": float("nan"), "note": CANARY})  # stored before input refused it
    with transaction(factory) as s:
        s.execute(
            text(
                "INSERT INTO assessments (id, series_id, version, is_current, patient_id, date, "
                "data, derived, entered_by, entered_as, created_at) VALUES (:id, :id, 1, true, "
                ":patient, '2026-10-01', :data, :data, 1, 'clinician', '2026-10-01T00:00:00')"
            ),
            {"id": row_id, "patient": world.patient_a, "data": corrupt},
        )
    port = server.free_port()
    proc = server.start(db_url, port)
    try:
        r = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/assessments/{row_id}",
            headers={"Authorization": f"Bearer {world.tokens['clinician']}"},
        )
        assert r.status_code == 500 and CANARY not in r.text
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    written = stderr.decode()
    assert "incident" in written  # the error was logged ...
    assert CANARY not in written and row_id not in written.split("incident")[0]  # ... privately
    assert "Traceback" not in written
