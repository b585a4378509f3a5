"""The course through the API and the clinician's pages: a correction runs the course rules;
low adherence reads as a question with the reasons given; system closures say why."""

import datetime as dt
import html

from tests.web.test_api_basics import VISIT
from tests.web.test_pages import sign_in, start_plan

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup import closing
from alsrx.domain.followup.model import Severity, Signal
from alsrx.services import alerts
from alsrx.web.pages import clinic_words


def alert(code, data, **kw):
    return models.Alert(code=code, severity="warning", data=data, **kw)


def text(code, data, lang):
    return clinic_words.helpers(lang)["alert_text"](alert(code, data))


LOW = {"adherence": 0.5, "threshold": 0.75, "weeks": 4}


def test_low_adherence_is_a_question_with_the_reasons_given_in_english_and_chinese():
    data = LOW | {"skip_reasons": {"too tired": 2, "no helper today": 1, "other": 1}}
    en = text("adherence_low", data, "en")
    assert en == (
        "Adherence 50 % (target 75 %) over 4 weeks. What is getting in the way? Reasons given "
        "for skipping: Too tired: 2, No helper today: 1, Other reason: 1."
    )
    zh = text("adherence_low", data, "zh")
    assert "是什么影响了训练？" in zh and "太累了：2 次、今天没人帮忙：1 次、其他原因：1 次" in zh
    assert "50%" in zh and "75%" in zh


def test_an_adherence_alert_raised_before_reasons_were_kept_still_reads():
    assert text("adherence_low", LOW, "en").endswith("Reasons given for skipping: none logged.")
    streak = text("missed_streak", {"skipped_in_a_row": 3}, "zh")
    assert streak.startswith("连续跳过 3 次训练。") and streak.endswith("未记录。")


def test_a_trained_muscle_below_antigravity_is_named_with_its_grades():
    data = {"groups": [{"group": "knee_extension_left", "from": 4, "to": 2}], "below": 3}
    assert text("mrc_below_antigravity", data, "en") == (
        "A trained muscle group is below antigravity strength (MRC 3): knee extension (left): "
        "MRC 4 → 2. A new draft is proposed for review."
    )
    assert "MRC 3 级" in text("mrc_below_antigravity", data, "zh")


def test_an_fvc_decline_names_both_values_and_the_interval():
    data = {"from": 95, "to": 85, "days": 30}
    assert text("fvc_decline", data, "en") == "FVC fell from 95 % to 85 % of predicted in 30 days"


def test_a_system_closure_says_why_and_a_clinicians_note_reads_as_written():
    resolution = clinic_words.helpers("zh")["resolution_text"]
    closed = alert("reassessment_due", {}, resolution_note=closing.note(closing.Reason.REASSESSED))
    assert resolution(closed) == "系统已自动关闭：已完成复评。"
    by_hand = alert("fvc_low", {}, resolution_note="Called, NIV review booked")
    assert resolution(by_hand) == "Called, NIV review booked"


def test_a_correction_posted_through_the_api_runs_the_course_rules(world):
    start_plan(world)
    h = world.as_("clinician")
    (visit,) = world.client.get(
        f"/api/v1/patients/{world.patient_a}/assessments", headers=h
    ).json()["assessments"]
    r = world.client.post(
        f"/api/v1/assessments/{visit['id']}/corrections",
        json={"assessment": dict(VISIT, fvc_l=1.9), "reason": "FVC of another patient"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    inbox = world.client.get("/api/v1/alerts", headers=h).json()["alerts"]
    assert [(a["code"], a["severity"]) for a in inbox] == [("fvc_low", "urgent")]
    listed = world.client.get(
        f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h
    ).json()["prescriptions"]
    assert [p["origin"] for p in listed if p["status"] == "draft"] == ["proposal:represcribe"]


def test_the_alerts_page_asks_why_and_shows_the_reasons(world):
    start_plan(world)
    with transaction(world.factory) as s:
        low = Signal("adherence_low", Severity.WARNING, (), LOW | {"skip_reasons": {"unwell": 3}})
        alerts.raise_alerts(
            s, None, world.patient_a, [low], source="scan", source_id=None, today=dt.date.today()
        )
    sign_in(world.client, "clinician")
    page = html.unescape(world.client.get("/clinic/alerts").text)
    assert "What is getting in the way? Reasons given for skipping: Unwell: 3." in page
