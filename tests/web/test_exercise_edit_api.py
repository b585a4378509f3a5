"""PUT /api/v1/prescriptions/{id}/components/{type}/exercises: the whole new list of a draft
component's exercises, checked against the patient, with If-Match; on SQLite and PostgreSQL.

The library is the project's own (its sample entry, seated knee straightening against gravity:
MRC 3 for knee extension, 1 set of 10 in 2 minutes for both legs)."""

import pytest
from tests.web.test_api_basics import VISIT
from tests.web.test_pages import csrf_of, sign_in

KNEE = "knee_extension_against_gravity"
# Knee extension at MRC 3 on both sides: resistance against gravity, with the knee exercise.
VISIT_KNEES_3 = dict(VISIT, mrc={"knee_extension_left": 3, "knee_extension_right": 3})


def drafted(world, visit=VISIT_KNEES_3):
    h = world.as_("clinician")
    made = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments", json=visit, headers=h
    )
    assert made.status_code == 201, made.text
    rx = world.client.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h)
    assert rx.status_code == 201, rx.text
    return rx.json()


def put(world, rx, exercises, *, who="clinician", version=None, component="resistance"):
    headers = dict(world.as_(who))
    if version is not False:
        headers["If-Match"] = f'"{rx["version"] if version is None else version}"'
    return world.client.put(
        f"/api/v1/prescriptions/{rx['id']}/components/{component}/exercises",
        json={"exercises": exercises},
        headers=headers,
    )


def stored(world, rx):
    got = world.client.get(f"/api/v1/prescriptions/{rx['id']}", headers=world.as_("clinician"))
    return got.json()


def exercises_of(doc, component="resistance"):
    return next(c for c in doc["prescription"]["components"] if c["type"] == component)["exercises"]


def fields(response):
    return {f["path"]: f["message"] for f in response.json()["error"]["fields"]}


def test_a_clinician_replaces_the_exercises_and_the_draft_moves_on_one_version(world):
    rx = drafted(world)
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10, "side": "left"}])
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{rx["version"] + 1}"'
    doc = stored(world, rx)
    assert doc["version"] == rx["version"] + 1 and doc["origin"] == "engine+edited"
    # One leg at the library's dose: half of the 2 minutes both legs take.
    assert exercises_of(doc) == [
        {
            "id": KNEE,
            "sets": 1,
            "repetitions": 10,
            "hold_seconds": None,
            "load": "against_gravity_only",
            "side": "left",
            "minutes": 1.0,
        }
    ]


def test_a_second_edit_keeps_the_origin_short_enough_for_its_column(world):
    rx = drafted(world)
    for version in range(rx["version"], rx["version"] + 4):
        r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 9}], version=version)
        assert r.status_code == 200, r.text
    assert stored(world, rx)["origin"] == "engine+edited"


def test_a_stale_if_match_is_refused_with_412_and_changes_nothing(world):
    rx = drafted(world)
    before = stored(world, rx)
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10}], version=rx["version"] + 7)
    assert r.status_code == 412
    assert stored(world, rx) == before


def test_an_edit_without_if_match_is_refused_with_428(world):
    rx = drafted(world)
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10}], version=False)
    assert r.status_code == 428


def test_sets_above_the_engines_resistance_bound_are_refused_naming_the_field_and_range(world):
    rx = drafted(world)
    before = stored(world, rx)
    r = put(world, rx, [{"id": KNEE, "sets": 3, "repetitions": 13, "hold_seconds": 5}])
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_input"
    assert fields(r) == {
        "exercises[0].sets": "must be a whole number from 1 to 2",
        "exercises[0].repetitions": "must be a whole number from 1 to 12",
        "exercises[0].hold_seconds": "must be left out: Seated knee straightening is not "
        "dosed this way",
    }
    assert stored(world, rx) == before


def test_an_exercise_for_a_weaker_side_is_refused_in_words(world):
    rx = drafted(world, dict(VISIT, mrc={"knee_extension_left": 2, "knee_extension_right": 3}))
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10, "side": "both"}])
    assert r.status_code == 422
    assert fields(r) == {
        "exercises[0].id": "Seated knee straightening needs MRC 3 for knee extension (left); "
        "graded 2"
    }
    assert put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10, "side": "right"}]).is_success


def test_an_unknown_exercise_and_an_unknown_field_are_named(world):
    rx = drafted(world)
    r = put(world, rx, [{"id": "no_such_exercise", "sets": 1}, {"id": KNEE, "weight_kg": 20}])
    assert r.status_code == 422
    found = fields(r)
    assert found["exercises[0].id"] == "is not an exercise in the library"
    assert found["exercises[1].weight_kg"].startswith("is not a known field; allowed: id, sets")


def test_a_component_the_draft_does_not_have_is_refused(world):
    rx = drafted(world)
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10}], component="breathing")
    assert r.status_code == 422
    assert "component" in fields(r)


@pytest.mark.parametrize(("who", "status"), [("patient", 403), ("caregiver", 403)])
def test_patients_and_caregivers_may_not_change_exercises(world, who, status):
    rx = drafted(world)
    before = stored(world, rx)
    assert put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10}], who=who).status_code == (
        status
    )
    assert stored(world, rx) == before


def test_a_clinician_of_another_centre_does_not_even_learn_the_draft_exists(world):
    rx = drafted(world)
    before = stored(world, rx)
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10}], who="clinician_b")
    assert r.status_code == 404
    assert stored(world, rx) == before


def test_an_approved_prescription_cannot_be_changed_this_way(world):
    rx = drafted(world)
    h = world.as_("clinician") | {"If-Match": f'"{rx["version"]}"'}
    ack = {"json": {"acknowledge": [r["code"] for r in rx["prescription"]["reasons"]]}}
    approved = world.client.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h, **ack)
    approved = approved.json()
    r = put(world, approved, [{"id": KNEE, "sets": 1, "repetitions": 10}])
    assert r.status_code == 409


def test_the_refusal_is_in_the_clinicians_language(world):
    rx = drafted(world)
    set_language(world, "zh")
    r = put(world, rx, [{"id": KNEE, "sets": 3, "repetitions": 10}])
    assert fields(r) == {"exercises[0].sets": "必须是1 至 2 之间的整数"}
    r = put(world, rx, [{"id": KNEE, "sets": 1, "repetitions": 10, "side": "none"}])
    assert fields(r) == {"exercises[0].side": "必须是以下之一：both, left, right"}


def set_language(world, lang):
    """The clinician's own language setting, chosen on a page as a person does."""
    sign_in(world.client, "clinician")
    page = world.client.get("/clinic")
    form = {"csrf": csrf_of(page.text), "next": "/clinic", "lang": lang}
    assert world.client.post("/prefs", data=form, follow_redirects=False).status_code == 303
    world.client.cookies.clear()
