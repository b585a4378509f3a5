"""A reason for a change is text of 1-2000 characters, refused with a 422 naming the field, so
that no audit event ever stores a value that reads back as another one."""

import pytest
from sqlalchemy import text

from alsrx.db.session import transaction
from alsrx.errors import FieldError
from alsrx.render import messages
from alsrx.services import audit


def patch_patient(world, body):
    c, h = world.client, world.as_("clinician")
    etag = c.get(f"/api/v1/patients/{world.patient_a}", headers=h).headers["ETag"]
    return c.patch(f"/api/v1/patients/{world.patient_a}", json=body, headers=h | {"If-Match": etag})


@pytest.mark.parametrize("reason", [5, 3.5, ["typo"], {"why": "typo"}, True, "", "x" * 2001])
def test_a_patient_edit_whose_reason_is_not_text_of_1_to_2000_characters_gets_a_422(world, reason):
    r = patch_patient(world, {"weight_kg": 70, "reason": reason})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["fields"][0]["path"] == "reason"
    with transaction(world.factory, write=False) as s:
        assert audit.verify(s).ok
        updates = s.execute(text("SELECT count(*) FROM audit_events WHERE action = 'update'"))
        assert updates.scalar() == 0


def test_a_patient_edit_with_a_text_reason_is_audited_with_it_and_verifies(world):
    r = patch_patient(world, {"weight_kg": 70, "reason": "re-weighed at the visit"})
    assert r.status_code == 200, r.text
    with transaction(world.factory, write=False) as s:
        assert audit.verify(s).ok
        stored = s.execute(text("SELECT reason FROM audit_events WHERE action = 'update'"))
        assert stored.scalar() == "re-weighed at the visit"


def test_the_length_message_names_the_bounds_in_english_and_chinese(world):
    r = patch_patient(world, {"weight_kg": 70, "reason": "x" * 2001})
    assert r.json()["error"]["fields"][0]["message"] == "must be text of 1 to 2000 characters"
    error = FieldError("reason", "text_length", {"min": 1, "max": 2000})
    assert messages.field_error_message(error, "zh") == "必须是 1 到 2000 个字符的文本"
