"""The alerts inbox: one page at a time, filtered and sorted in SQL, bulk acknowledgement that
is all or nothing, and texts in the reader's words."""

import datetime as dt
import random
import re

import pytest
from sqlalchemy import func, select
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import InvalidInput, NotFound
from alsrx.services import alert_inbox
from alsrx.services.actor import Actor

CODES = ("red_flag", "adherence_low", "fvc_low", "hr_above_ceiling", "missed_streak")
STATUSES = ("open", "acknowledged", "resolved")
SEVERITIES = ("urgent", "warning", "info")
DATA = {
    "red_flag": {"symptoms": ["chest_pain"], "notes": "Tight chest on the stairs"},
    "adherence_low": {"adherence": 0.625, "threshold": 0.75, "weeks": 4},
    "fvc_low": {"percent_predicted": 48.25},
    "hr_above_ceiling": {"max_hr_bpm": 131, "ceiling_bpm": 120},
    "missed_streak": {"skipped_in_a_row": 3},
}


def seed(world, n=120, seed=7):
    """`n` alerts over the two centres' patients, with their facts kept for an independent
    check (plain Python over the generated list, not the service)."""
    rng = random.Random(seed)
    made = []
    base = dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC)
    with transaction(world.factory) as s:
        for i in range(n):
            code = rng.choice(CODES)
            fact = {
                "id": f"{i:08d}-0000-0000-0000-000000000000",
                "patient_id": rng.choice((world.patient_a, world.patient_a, world.patient_b)),
                "code": code,
                "severity": rng.choice(SEVERITIES),
                "status": rng.choice(STATUSES),
                "created_at": base + dt.timedelta(hours=rng.randrange(2000)),
            }
            s.add(
                models.Alert(
                    **fact,
                    data=DATA[code],
                    evidence=[],
                    source="scan",
                    raised_on=fact["created_at"].date(),
                )
            )
            made.append(fact)
    return made


def clinician(world):
    return Actor(1, "clinician", "clinician", frozenset({world.centre_a}))


RANK = {"urgent": 0, "warning": 1, "info": 2}


def expected(made, world, *, view, severity="", code="", sort="severity"):
    keep = [
        m
        for m in made
        if m["patient_id"] == world.patient_a
        and m["status"] in alert_inbox.VIEWS[view]
        and (not severity or m["severity"] == severity)
        and (not code or m["code"] == code)
    ]
    if sort == "severity":
        keep.sort(key=lambda m: (RANK[m["severity"]], -m["created_at"].timestamp(), m["id"]))
    elif sort == "oldest":
        keep.sort(key=lambda m: (m["created_at"], m["id"]))
    return [m["id"] for m in keep]


@pytest.mark.parametrize(
    ("view", "severity", "code", "sort"),
    [
        ("unresolved", "", "", "severity"),
        ("resolved", "", "", "oldest"),
        ("all", "urgent", "", "severity"),
        ("open", "", "red_flag", "oldest"),
    ],
)
def test_each_page_of_the_inbox_is_the_filtered_sorted_list_cut_into_pages(
    world, view, severity, code, sort
):
    made = seed(world)
    want = expected(made, world, view=view, severity=severity, code=code, sort=sort)
    got, page = [], 1
    with transaction(world.factory, write=False) as s:
        while True:
            q = alert_inbox.InboxQuery(
                view=view, severity=severity, code=code, sort=sort, page=page, per_page=10
            )
            found = alert_inbox.inbox_page(s, clinician(world), q)
            assert found.total == len(want)
            assert len(found.rows) <= 10
            got += [r.alert.id for r in found.rows]
            if page >= found.pages:
                break
            page += 1
    assert got == want


def test_a_page_beyond_the_last_shows_the_last_and_counts_are_by_severity(world):
    made = seed(world)
    with transaction(world.factory, write=False) as s:
        found = alert_inbox.inbox_page(
            s, clinician(world), alert_inbox.InboxQuery(page=999, per_page=10)
        )
    assert found.page == found.pages
    unresolved = [
        m for m in made if m["patient_id"] == world.patient_a and m["status"] != "resolved"
    ]
    for severity in SEVERITIES:
        assert found.counts.get(severity, 0) == sum(
            1 for m in unresolved if m["severity"] == severity
        )


def test_bulk_acknowledge_audits_each_alert_and_refuses_all_when_one_is_out_of_reach(world):
    made = seed(world)
    ours = [m["id"] for m in made if m["patient_id"] == world.patient_a and m["status"] == "open"]
    theirs = next(m["id"] for m in made if m["patient_id"] == world.patient_b)
    with transaction(world.factory) as s:
        before = s.scalar(select(func.count()).select_from(models.AuditEvent))
    with pytest.raises(NotFound), transaction(world.factory) as s:
        alert_inbox.acknowledge_many(s, clinician(world), [*ours[:3], theirs])
    with transaction(world.factory, write=False) as s:
        assert all(s.get(models.Alert, i).status == "open" for i in ours[:3])
    with transaction(world.factory) as s:
        assert alert_inbox.acknowledge_many(s, clinician(world), ours[:3]) == 3
    with transaction(world.factory, write=False) as s:
        assert all(s.get(models.Alert, i).status == "acknowledged" for i in ours[:3])
        after = s.scalar(select(func.count()).select_from(models.AuditEvent))
        acks = s.scalars(
            select(models.AuditEvent.entity_id).where(models.AuditEvent.action == "acknowledge")
        ).all()
    assert after - before == 3 and set(ours[:3]) <= set(acks)


def test_a_bad_filter_value_is_refused_naming_the_parameter():
    with pytest.raises(InvalidInput) as refused:
        alert_inbox.check_query(alert_inbox.InboxQuery(view="everything", sort="x"), CODES)
    assert {e.path for e in refused.value.errors} == {"view", "sort"}


@SQLITE_ONLY
def test_the_inbox_page_reads_in_words_with_the_patients_note_in_both_languages(world):
    seed(world, n=40)
    c = world.client
    sign_in(c, "clinician")
    en = c.get("/clinic/alerts?view=all&sort=newest").text
    assert "Adherence 63 % (target 75 %)" in en
    assert "Tight chest on the stairs" in en
    assert "FVC 48.3 % of predicted" in en  # 48.25 by the one rounding rule, not round()
    assert "B-001" not in en  # another centre's patient
    c.cookies.set("alsrx_lang", "zh")
    c.post("/prefs", data={"lang": "zh", "csrf": csrf_of(en)})
    zh = c.get("/clinic/alerts?view=all").text
    assert "依从性 63%（目标 75%）" in zh
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", re.sub(r"<[^>]+>", " ", zh.split("<main", 1)[1]))


@SQLITE_ONLY
def test_a_bad_query_value_gets_a_page_in_words_not_json(world):
    c = world.client
    sign_in(c, "clinician")
    r = c.get("/clinic/alerts?severity=nonsense&page=abc")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "urgent" in r.text  # the allowed values are named


@SQLITE_ONLY
def test_the_page_acknowledges_the_selected_alerts_and_returns_to_the_same_filter(world):
    made = seed(world)
    ours = [m["id"] for m in made if m["patient_id"] == world.patient_a and m["status"] == "open"]
    c = world.client
    sign_in(c, "clinician")
    page = c.get("/clinic/alerts?view=open&sort=oldest")
    r = c.post(
        "/clinic/alerts/acknowledge",
        data={"csrf": csrf_of(page.text), "alert_id": ours[:2], "back": "/clinic/alerts?view=open"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"].startswith("/clinic/alerts?view=open&notice=acknowledged")
    shown = c.get(r.headers["location"]).text
    assert "2 alerts acknowledged." in shown
