"""Generated requests from our own OpenAPI document find no server error (5xx).

schemathesis generates valid and invalid bodies, parameters and headers for every operation
and sends them in-process to the ASGI app, as a clinician of centre A; any 5xx fails. (Driven
through Hypothesis directly: schemathesis' pytest plugin does not load under pytest 9.)
"""

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
