"""The role x endpoint x ownership matrix, built from the app's own routes.

Every /api/v1 route must declare its access (`x-alsrx-access`); a new endpoint without one fails
here. For each declared route, each role and each ownership relation (own object, another
centre's object), the response must match the declaration: a role not listed gets 403 (or 401
without credentials), another centre's object 404, and an allowed call on one's own object
never 401/403/404.
"""

import re

import pytest
from tests.web.test_api_basics import VISIT
from tests.web.test_pages import sign_in
from tests.web.test_trusted_device_pages import remember

from alsrx.web.policy import PUBLIC

ROLES = ("admin", "clinician", "researcher", "patient", "caregiver")


def api_operations(app):
    """(method, path, declared access) for every operation the app serves under /api/v1.

    Read from the generated OpenAPI document, which lists every route however it was
    included (FastAPI may keep included routers as lazy entries in `app.routes`)."""
    found = []
    for path, item in app.openapi()["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in item.items():
            found.append((method.upper(), path, operation.get("x-alsrx-access")))
    # Logging out revokes the token the other calls use: keep it for last.
    return sorted(found, key=lambda op: op[1] == "/api/v1/auth/logout")


def test_every_api_route_declares_its_access(app):
    operations = api_operations(app)
    assert len(operations) >= 20
    assert [f"{m} {p}" for m, p, access in operations if access is None] == []


def _objects(world):
    """Ids of objects of each scope: one in centre A (reachable), one in centre B."""
    c = world.client
    own, other = {}, {}
    for key, patient, who in (
        ("own", world.patient_a, "clinician"),
        ("other", world.patient_b, "clinician_b"),
    ):
        h = world.as_(who)
        a = c.post(f"/api/v1/patients/{patient}/assessments", json=VISIT, headers=h).json()
        p = c.post(f"/api/v1/patients/{patient}/prescriptions", headers=h).json()
        c.post(
            f"/api/v1/prescriptions/{p['id']}/approve",
            headers=h,
            json={"acknowledge": [r["code"] for r in p["prescription"]["reasons"]]},
        )
        logged = c.post(
            f"/api/v1/patients/{patient}/sessions",
            headers=h,
            json={"component": "aerobic", "symptoms": ["chest_pain"]},
        ).json()
        again = c.post(f"/api/v1/patients/{patient}/prescriptions", headers=h).json()
        target = own if key == "own" else other
        if key == "own":
            device = _patients_device(world)
        target.update(
            centre_id=str(world.centre_a if key == "own" else world.centre_b),
            patient_id=patient,
            assessment_id=a["id"],
            prescription_id=again["id"],
            component="aerobic",  # a part of a prescription, not an object of its own
            alert_id=logged["alerts"][0]["id"],
            session_id=_sessions_by_role(c, world, patient, logged["session"]["id"], key),
            device_id=device,  # the other centre's path names a patient out of reach
        )
    return own, other


def _patients_device(world):
    """A device the patient remembered, as on their phone: through the pages."""
    c = world.client
    sign_in(c, "patient")
    assert remember(c).status_code == 303
    c.cookies.clear()  # the calls below carry tokens, not this browser's session
    url = f"/api/v1/patients/{world.patient_a}/devices"
    return str(c.get(url, headers=world.as_("clinician")).json()["devices"][0]["id"])


def _sessions_by_role(client, world, patient, clinicians, key):
    """A session each role logged itself: its own object for an undo (only whoever logged a
    session, or a clinician, may undo it)."""
    found = dict.fromkeys(ROLES, clinicians)
    if key == "own":
        for role in ("patient", "caregiver"):
            body = {"component": "aerobic"}
            url = f"/api/v1/patients/{patient}/sessions"
            found[role] = client.post(url, headers=world.as_(role), json=body).json()["session"][
                "id"
            ]
    return found


def _call(client, method, path, headers):
    body = {} if method in ("POST", "PATCH") else None
    return client.request(method, path, headers=headers, json=body)


def test_the_access_matrix_holds_for_every_route_role_and_owner(app, world):
    own, other = _objects(world)
    failures = []
    operations = api_operations(app)
    assert len(operations) >= 20
    for method, route_path, declared in operations:
        names = re.findall(r"{(\w+)}", route_path)
        for owner, ids in (("own", own), ("other", other)):
            if not names and owner == "other":
                continue
            if PUBLIC not in declared["roles"]:
                path = _path(route_path, names, ids, "clinician")
                anonymous = _call(world.client, method, path, {})
                if anonymous.status_code != 401:
                    failures.append(f"anonymous {method} {route_path}: {anonymous.status_code}")
            for role in ROLES:
                path = _path(route_path, names, ids, role)
                status = _call(world.client, method, path, world.as_(role)).status_code
                allowed = role in declared["roles"] or PUBLIC in declared["roles"]
                if not allowed and status != 403:
                    failures.append(
                        f"{role} {method} {route_path} ({owner}): {status}, expected 403"
                    )
                if allowed and owner == "other" and names and status != 404:
                    failures.append(
                        f"{role} {method} {route_path} (other centre): {status}, expected 404"
                    )
                if allowed and owner == "own" and status in (401, 403, 404):
                    failures.append(f"{role} {method} {route_path} (own): {status}")
    assert failures == []


def _path(route_path, names, ids, role):
    for name in names:
        value = ids[name][role] if isinstance(ids[name], dict) else ids[name]
        route_path = route_path.replace("{" + name + "}", value)
    return route_path


@pytest.mark.parametrize("who", ["patient", "caregiver"])
def test_patients_and_caregivers_see_only_their_own_patient(world, who):
    listed = world.client.get("/api/v1/patients", headers=world.as_(who)).json()["patients"]
    assert [p["id"] for p in listed] == [world.patient_a]
