"""Generated requests from our own OpenAPI document find no server error (5xx).

schemathesis generates valid and invalid bodies, parameters and headers for every operation
and sends them in-process to the ASGI app, as a clinician of centre A; any 5xx fails. (Driven
through Hypothesis directly: schemathesis' pytest plugin does not load under pytest 9.)
"""

import json

import schemathesis
from hypothesis import HealthCheck, given, settings
from tests.web.test_api_basics import VISIT


def test_no_generated_request_causes_a_server_error(app, world):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {world.tokens['clinician']}"}
    visit = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=headers
    ).json()
    real = {"patient_id": world.patient_a, "assessment_id": visit["id"]}
    failures, statuses = [], []
    # Logging out would revoke the token every later case uses; it is tested on its own.
    operations = [
        r.ok() for r in schema.get_all_operations() if r.ok().path != "/api/v1/auth/logout"
    ]
    assert len(operations) >= 14
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            # Real ids reach the code behind the 404; generated ids still test the 404 path.
            for name in list(case.path_parameters or {}):
                if name in real and hash(case.id) % 4:
                    case.path_parameters[name] = real[name]
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, response.status_code, response.text[:200])
                )

        run()
    assert failures == []
    assert len(statuses) > 100 and {200, 201, 404, 422} <= set(statuses)


def _number_paths(schema, path=()):
    """Every (path, ...) to a number or integer property of a JSON schema."""
    if schema.get("type") in ("number", "integer"):
        yield path
    for name, sub in (schema.get("properties") or {}).items():
        yield from _number_paths(sub, (*path, name))


def _body_with(path, literal):
    body = "__VALUE__"
    for name in reversed(path):
        body = json.dumps({name: "__INNER__"}).replace('"__INNER__"', body)
    return body.replace("__VALUE__", literal)


def test_non_finite_numbers_in_every_documented_number_field_are_refused_and_store_nothing(world):
    """schemathesis' generators produce finite JSON only, so NaN and Infinity are given here: in
    each number of each operation's documented body, as the literal a client's JSON would hold."""
    from sqlalchemy import text

    from alsrx.db.session import transaction

    spec = world.client.get("/openapi.json").json()
    real = {"patient_id": world.patient_a}
    tried, failures = 0, []
    with transaction(world.factory, write=False) as s:
        before = s.execute(text("SELECT count(*) FROM audit_events")).scalar()
    for route, methods in spec["paths"].items():
        for method, operation in methods.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if not schema or "{" in route.replace("{patient_id}", ""):
                continue
            url = route.format(**real)
            for path in _number_paths(schema):
                for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
                    r = world.client.request(
                        method.upper(),
                        url,
                        content=_body_with(path, literal),
                        headers=world.as_("clinician") | {"Content-Type": "application/json"},
                    )
                    tried += 1
                    if not 400 <= r.status_code < 500:
                        failures.append((method, url, path, literal, r.status_code))
    assert tried > 50 and failures == []
    with transaction(world.factory, write=False) as s:
        assert s.execute(text("SELECT count(*) FROM audit_events")).scalar() == before
