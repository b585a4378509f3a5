"""Nothing lost, nothing silently overwritten: concurrency, idempotency, audit trail."""

import asyncio
import datetime as dt
import json
import threading

import httpx
import pytest
from sqlalchemy import event, text
from tests.web.test_api_basics import HOME_VISIT, VISIT
from tests.web.test_pages import sign_in

from alsrx.db.session import transaction
from alsrx.services import audit


def test_concurrent_edits_get_a_conflict_not_a_lost_update(world):
    c, h = world.client, world.as_("clinician")
    etag = c.get(f"/api/v1/patients/{world.patient_a}", headers=h).headers["ETag"]
    results = []

    def edit(weight):
        r = c.patch(
            f"/api/v1/patients/{world.patient_a}",
            json={"weight_kg": weight},
            headers=h | {"If-Match": etag},
        )
        results.append(r.status_code)

    threads = [threading.Thread(target=edit, args=(w,)) for w in (70, 71)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 412]
    final = c.get(f"/api/v1/patients/{world.patient_a}", headers=h).json()
    assert final["version"] == 2 and final["weight_kg"] in (70, 71)


def test_an_update_without_if_match_is_refused(world):
    r = world.client.patch(
        f"/api/v1/patients/{world.patient_a}",
        json={"weight_kg": 70},
        headers=world.as_("clinician"),
    )
    assert r.status_code == 428


def test_a_retried_post_is_stored_once_and_answered_with_the_original(world):
    c, h = world.client, world.as_("patient") | {"Idempotency-Key": "visit-42"}
    first = c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=HOME_VISIT, headers=h)
    again = c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=HOME_VISIT, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    for header in ("Location", "ETag"):  # a phone that retried can find what it created
        assert again.headers[header] == first.headers[header]
    listed = c.get(f"/api/v1/patients/{world.patient_a}/assessments", headers=h).json()
    assert len(listed["assessments"]) == 1


def test_the_same_key_with_another_body_is_refused(world):
    c, h = world.client, world.as_("patient") | {"Idempotency-Key": "visit-43"}
    c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=HOME_VISIT, headers=h)
    other = c.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=dict(HOME_VISIT, weight_kg=61),
        headers=h,
    )
    assert other.status_code == 422
    assert other.json()["error"]["fields"][0]["path"] == "Idempotency-Key"


def test_a_retry_while_the_first_is_running_gets_409(world):
    from alsrx.services import idempotency

    user_id = world.client.get("/api/v1/me", headers=world.as_("patient")).json()["user_id"]
    body = b'{"x": 1}'
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    digest = idempotency.request_hash("POST", path, body)
    assert idempotency.claim(world.factory, user_id=user_id, key="k-running", digest=digest) is None
    r = world.client.post(
        path,
        content=body,
        headers=world.as_("patient")
        | {"Idempotency-Key": "k-running", "Content-Type": "application/json"},
    )
    assert r.status_code == 409


def test_keyed_posts_from_many_phones_share_commits_and_a_retry_among_them_is_stored_once(world):
    """On SQLite a keyed write claims its key inside the group commit's savepoint, so phones that
    retry (they all send keys) still share commits; on PostgreSQL each commits on its own."""
    app = world.client.app
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    keys = [f"phone-{i}" for i in range(8)] + ["phone-3"]  # the last one is a retry
    commits = []
    count = commits.append  # one object, so that event.remove finds it
    event.listen(app.state.engine, "commit", count)

    async def post_all():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://alsrx") as client:
            return await asyncio.gather(
                *(
                    client.post(
                        path, json=HOME_VISIT, headers=world.as_("patient") | {"Idempotency-Key": k}
                    )
                    for k in keys
                )
            )

    try:
        answers = asyncio.run(post_all())
    finally:
        event.remove(app.state.engine, "commit", count)
    first, retry = answers[3], answers[-1]
    others = answers[:3] + answers[4:-1]
    assert [a.status_code for a in others] == [201] * len(others)
    listed = world.client.get(path, headers=world.as_("patient")).json()["assessments"]
    assert len(listed) == len(set(keys))
    if app.state.group_commit is None:
        # PostgreSQL: whichever claims the key first runs; the other finds it running (409)
        # or done (its response replayed).
        codes = sorted([first.status_code, retry.status_code])
        assert codes == [201, 409] or first.json() == retry.json(), codes
        return
    # SQLite: writes run one after another, so whichever of the pair runs second finds the
    # other done, in its group, and replays it.
    assert first.status_code == retry.status_code == 201 and first.json() == retry.json()
    replayed = [a.headers.get("Idempotent-Replayed") for a in (first, retry)]
    assert sorted(replayed, key=str) == [None, "true"], replayed
    assert len(commits) <= 2, f"{len(commits)} commits: keyed writes did not share them"


def test_a_failed_group_commit_keeps_neither_a_keyed_write_nor_its_key_and_a_retry_then_runs(
    world,
):
    """A keyed write and its retry in one group: the commit fails, both are answered with the
    error, nothing is kept, and the next retry runs afresh (SQLite's group commit only)."""
    app = world.client.app
    if app.state.group_commit is None:
        pytest.skip("PostgreSQL commits each write on its own; no group to fail")
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    headers = world.as_("patient") | {"Idempotency-Key": "phone-in-a-failing-group"}

    def refuse(conn):
        raise RuntimeError("the disk refused the commit")

    async def post_twice():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://alsrx") as client:
            return await asyncio.gather(
                *(client.post(path, json=HOME_VISIT, headers=headers) for _ in range(2))
            )

    event.listen(app.state.engine, "commit", refuse)
    try:
        answers = asyncio.run(post_twice())
    finally:
        event.remove(app.state.engine, "commit", refuse)
    assert [a.status_code for a in answers] == [500, 500]
    with transaction(world.factory, write=False) as s:
        assert s.execute(text("SELECT count(*) FROM assessments")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM idempotency_keys")).scalar() == 0
    again = world.client.post(path, json=HOME_VISIT, headers=headers)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers


def test_a_claim_abandoned_by_a_crash_is_taken_over_once_stale(world):
    from alsrx.services import idempotency

    user_id = world.client.get("/api/v1/me", headers=world.as_("patient")).json()["user_id"]
    body = json.dumps(HOME_VISIT).encode()
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    digest = idempotency.request_hash("POST", path, body)
    assert idempotency.claim(world.factory, user_id=user_id, key="k-crashed", digest=digest) is None
    with transaction(world.factory) as s:  # the crash happened longer ago than STALE_AFTER
        s.execute(
            text("UPDATE idempotency_keys SET created_at = :then"),
            {"then": dt.datetime.now(dt.UTC) - idempotency.STALE_AFTER - dt.timedelta(seconds=5)},
        )
    h = world.as_("patient") | {"Idempotency-Key": "k-crashed", "Content-Type": "application/json"}
    first = world.client.post(path, content=body, headers=h)
    again = world.client.post(path, content=body, headers=h)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    with transaction(world.factory, write=False) as s:
        assert s.execute(text("SELECT count(*) FROM assessments")).scalar() == 1
        keys = s.execute(text("SELECT status FROM idempotency_keys")).scalars().all()
    assert keys == ["done"]


def test_keys_are_per_user(world):
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    a = world.client.post(
        path, json=HOME_VISIT, headers=world.as_("patient") | {"Idempotency-Key": "same"}
    )
    b = world.client.post(
        path, json=HOME_VISIT, headers=world.as_("caregiver") | {"Idempotency-Key": "same"}
    )
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


def test_a_failed_request_changes_nothing_and_releases_its_key(world):
    c, h = world.client, world.as_("patient") | {"Idempotency-Key": "bad-then-good"}
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    bad = c.post(path, json=dict(HOME_VISIT, weight_kg=999), headers=h)
    assert bad.status_code == 422
    with transaction(world.factory, write=False) as s:
        assert s.execute(text("SELECT count(*) FROM assessments")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM idempotency_keys")).scalar() == 0


def test_every_write_is_audited_in_an_intact_chain(world):
    c, h = world.client, world.as_("clinician")
    c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=h)
    with transaction(world.factory, write=False) as s:
        actions = [r[0] for r in s.execute(text("SELECT action FROM audit_events ORDER BY seq"))]
        verdict = audit.verify(s)
    assert "create" in actions and "token_create" in actions
    assert verdict.ok and verdict.checked == len(actions)


def test_tampering_with_a_stored_audit_row_is_caught(world, db_url):
    world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=VISIT,
        headers=world.as_("clinician"),
    )
    with transaction(world.factory) as s:
        # The append-only trigger refuses the edit ...
        try:
            with s.begin_nested():
                s.execute(text("UPDATE audit_events SET reason = 'x' WHERE seq = 3"))
            refused = False
        except Exception:
            refused = True
    assert refused
    with transaction(world.factory) as s:
        # ... so an attacker with DDL rights drops it first; verify still finds the edit.
        if db_url.startswith("sqlite"):
            s.execute(text("DROP TRIGGER audit_events_no_update"))
        else:
            s.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        s.execute(text("UPDATE audit_events SET new = NULL WHERE seq = 3"))
    with transaction(world.factory, write=False) as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.first_bad_seq == 3 and verdict.problem == "altered"


def test_a_deleted_audit_row_is_caught(world, db_url):
    with transaction(world.factory) as s:
        if db_url.startswith("sqlite"):
            s.execute(text("DROP TRIGGER audit_events_no_delete"))
        else:
            s.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
        s.execute(text("DELETE FROM audit_events WHERE seq = 2"))
    with transaction(world.factory, write=False) as s:
        verdict = audit.verify(s)
    assert not verdict.ok and verdict.first_bad_seq == 2 and verdict.problem == "missing"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/auth/token", {"username": "a\x00b", "password": "x"}, "username"),
        ("post", "/api/v1/alerts/{alert}/resolve", {"note": "fine\x00"}, "note"),
        ("get", "/api/v1/patients/{patient}%00", None, "patient_id"),
        ("get", "/api/v1/alerts?status=open%00", None, "status"),
    ],
)
def test_control_characters_in_any_text_get_a_422_naming_the_field(
    world, method, path, body, field
):
    """PostgreSQL cannot store NUL in text: such input once reached it and failed with a 500."""
    url = path.format(alert="x", patient=world.patient_a)
    r = getattr(world.client, method)(
        url, headers=world.as_("clinician"), **({"json": body} if body else {})
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["fields"][0]["path"] == field
    assert "control character" in r.json()["error"]["fields"][0]["message"]


def test_control_characters_in_a_page_path_or_form_get_a_422_page(world):
    c = world.client
    assert c.post("/login", data={"username": "x\x00", "password": "p"}).status_code == 422
    sign_in(c, "clinician")
    r = c.get(f"/clinic/patients/{world.patient_a}%00")
    assert r.status_code == 422 and "control character" in r.text
