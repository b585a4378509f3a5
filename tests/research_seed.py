"""A research cohort written through the services, as a clinic would have made it: patients alike
in the quasi-identifiers (so the export passes k-anonymity), three visits each on their own
D50 course, a plan approved weeks ago, and a different number of sessions logged by each (so
adherence thirds are distinct groups of ten)."""

from __future__ import annotations

import datetime as dt

from alsrx.analytics import d50
from alsrx.db.session import transaction
from alsrx.services import accounts, assessments, patients, prescriptions, session_logs
from alsrx.services import actor as actor_mod
from tests.conftest import NORMAL_ITEMS

ITEM_ORDER = ("q8_walking", "q9_climbing_stairs", "q7_turning_in_bed", "q6_dressing_hygiene",
              "q4_handwriting", "q5a_cutting_food", "q10_dyspnea", "q1_speech", "q3_swallowing",
              "q2_salivation", "q11_orthopnea", "q12_respiratory_insufficiency")  # fmt: skip
ONSET = dt.date(2025, 1, 6)
WEEKS = 8


def items_for(total: int) -> dict[str, int]:
    """ALSFRS-R items summing to `total`, the points lost from walking upwards."""
    items, lost = dict(NORMAL_ITEMS), 48 - total
    for code in ITEM_ORDER * 4:
        if lost == 0:
            break
        if items[code] > 0:
            items[code] -= 1
            lost -= 1
    return items


def seed(factory, *, clinician: str, n: int = 30, today: dt.date | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """n patients entered by `clinician` (a user name) in their first centre; their ids."""
    today = today or dt.date.today()
    start = today - dt.timedelta(weeks=WEEKS + 1)
    with transaction(factory) as s:
        actor = actor_mod.load(s, accounts.user_by_name(s, clinician))
    centre_id = min(actor.centre_ids)
    ids = []
    for i in range(n):
        with transaction(factory) as s:
            ids.append(_patient(s, actor, i, centre_id=centre_id, start=start, today=today))
    return ids


def _patient(s, actor, i, *, centre_id, start, today):  # type: ignore[no-untyped-def]
    body = {
        "code": f"R-{centre_id}-{i:03d}", "sex": "female", "birth_date": "1962-04-01",
        "height_cm": 165, "weight_kg": 62, "ethnicity": "north_east_asian",
        "symptom_onset_date": ONSET.isoformat(), "onset_region": "lower_limb",
    }  # fmt: skip
    row = patients.create(s, actor, body, centre_id=centre_id, today=start - dt.timedelta(days=300))
    s.flush()  # the assessment's Core reads see the new row
    d50_months, dx = 18.0 + i * 1.5, 6.0 + (i % 4)
    for back in (240, 120, 0):
        day = start - dt.timedelta(days=back)
        months = (day - ONSET).days / 30.4375
        total = round(float(d50.model(months, d50_months, dx)))
        visit = {"date": day.isoformat(), "alsfrs_r": items_for(max(total, 20)), "fvc_l": 3.2}
        assessments.record(s, actor, row.id, visit, today=day)
    draft = prescriptions.draft(s, actor, row.id, today=start)
    acknowledged = prescriptions.points(draft.content)
    prescriptions.approve(s, actor, draft.id, if_match=None, today=start, acknowledged=acknowledged)
    kinds = [c["type"] for c in draft.content["components"]]
    for k in range(i):  # i sessions, one component after another, spread over the weeks
        kind, week = kinds[k % len(kinds)], (k // len(kinds)) % WEEKS
        day = start + dt.timedelta(days=week * 7 + k // (len(kinds) * WEEKS))
        session_logs.record(s, actor, row.id, {"component": kind, "date": day.isoformat()},
                            today=day)  # fmt: skip
    return row.id
