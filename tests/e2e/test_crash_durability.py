"""Kill the server (SIGKILL) during a stream of writes: every acknowledged write survives.

Eight client threads post assessments as fast as they can; after about two seconds the server
process is killed without warning. After a restart, every assessment whose 201 reached a
client is read back, and the database passes its integrity check. (Writes that were sent but
never answered may or may not exist: that is what Idempotency-Key retries are for.)
"""

import signal
import threading
import time

import httpx
from sqlalchemy import text
from tests.db_fixtures import build_world
from tests.e2e import server
from tests.web.test_api_basics import VISIT

from alsrx.db.session import make_engine


def test_every_acknowledged_write_survives_a_sigkill(db_url, factory):
    world = build_world(factory, None)
    token = world.tokens["clinician"]
    headers = {"Authorization": f"Bearer {token}"}
    port = server.free_port()
    proc = server.start(db_url, port)
    url = f"http://127.0.0.1:{port}/api/v1/patients/{world.patient_a}/assessments"
    acknowledged: list[str] = []
    stop = threading.Event()

    def client():
        with httpx.Client(timeout=5) as http:
            while not stop.is_set():
                try:
                    r = http.post(url, json=VISIT, headers=headers)
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    acknowledged.append(r.json()["id"])

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(acknowledged) > 20, "the stream of writes did not get going"

    with server.running(db_url) as base, httpx.Client(timeout=10) as http:
        missing = [
            i
            for i in acknowledged
            if http.get(f"{base}/api/v1/assessments/{i}", headers=headers).status_code != 200
        ]
    assert missing == []
    if db_url.startswith("sqlite"):
        engine = make_engine(db_url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        engine.dispose()
