"""The course changes the plan, through the services on SQLite and PostgreSQL: alerts that close
themselves when their cause goes away (audited as the system's closures), a trained muscle
losing antigravity strength, and the course rules on a corrected assessment."""

import datetime as dt

import pytest
from sqlalchemy import select
from tests.conftest import NORMAL_ITEMS
from tests.integration import test_followup_simulation as simulation

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.services import audit, followup, prescriptions

D0 = dt.date(2026, 3, 2)  # a Monday
MRC = {"knee_extension_left": 4, "knee_extension_right": 4, "elbow_flexion_left": 5}
VISIT = {
    "date": D0.isoformat(),
    "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3),
    "fvc_l": 4.2,
    "resting_hr_bpm": 70,
    "mep_cmh2o": 90,
    "mrc": MRC,
}


class Clinic(simulation.Clinic):
    """The simulation's clinic, with visits that carry MRC grades and can be corrected."""

    def assess(self, day, **changes):
        with transaction(self.factory) as s:
            row, raised = followup.record_assessment(
                s, self.clinician, self.pid, dict(VISIT, date=day.isoformat(), **changes), today=day
            )
            return row.id, [a.code for a in raised]

    def correct(self, assessment_id, day, **changes):
        with transaction(self.factory) as s:
            row, raised = followup.correct_assessment(
                s,
                self.clinician,
                assessment_id,
                dict(VISIT, **changes),
                reason="FVC transcribed from the wrong patient",
                if_match=None,
                today=day,
            )
            return row.id, [a.code for a in raised]

    def alerts(self):
        """(code, status, severity) of every alert, oldest first."""
        with transaction(self.factory, write=False) as s:
            rows = s.scalars(select(models.Alert).order_by(models.Alert.created_at)).all()
            return [(a.code, a.status, a.severity) for a in rows]

    def alert(self, code):
        with transaction(self.factory, write=False) as s:
            (row,) = s.scalars(select(models.Alert).where(models.Alert.code == code)).all()
            s.expunge(row)
            return row

    def resolve_events(self):
        with transaction(self.factory, write=False) as s:
            rows = s.scalars(
                select(models.AuditEvent)
                .where(models.AuditEvent.entity == "alert", models.AuditEvent.action == "resolve")
                .order_by(models.AuditEvent.seq)
            ).all()
            return [(e.entity_id, e.actor_id, e.actor_role, e.reason, e.new) for e in rows]

    def proposals(self):
        with transaction(self.factory, write=False) as s:
            rows = s.scalars(
                select(models.Prescription)
                .where(models.Prescription.status == "draft")
                .order_by(models.Prescription.created_at)
            ).all()
            return [(r.proposal["kind"], r.content) for r in rows if r.proposal]


@pytest.fixture
def clinic(factory):
    clinic = Clinic(factory)
    clinic.visit_id, _ = clinic.assess(D0)
    clinic.start_plan(D0)
    return clinic


def system_closure(clinic, code, reason):
    """The alert is resolved by nobody, and its audit event says the system closed it, why."""
    row = clinic.alert(code)
    assert (row.status, row.resolved_by, row.resolution_note) == ("resolved", None, reason)
    assert row.resolved_at is not None
    events = [e for e in clinic.resolve_events() if e[0] == row.id]
    assert events == [
        (row.id, None, None, reason, {"status": "resolved", "by": "system", "reason": reason[7:]})
    ]


def test_a_reassessment_closes_the_reassessment_due_alert_as_the_system(clinic):
    later = D0 + dt.timedelta(days=92)
    assert "reassessment_due" in clinic.scan(later)
    clinic.assess(later)
    system_closure(clinic, "reassessment_due", "system:reassessed")
    assert "reassessment_due" not in clinic.scan(later + dt.timedelta(days=1))


def test_an_overdue_reassessment_replaces_the_due_one(clinic):
    clinic.scan(D0 + dt.timedelta(days=92))
    assert clinic.scan(D0 + dt.timedelta(days=125)) == ["reassessment_overdue"]
    assert ("reassessment_due", "resolved", "info") in clinic.alerts()
    clinic.assess(D0 + dt.timedelta(days=126))
    system_closure(clinic, "reassessment_overdue", "system:reassessed")


def test_a_done_session_closes_the_silence_and_streak_alerts_and_a_skipped_one_does_not(clinic):
    for day in (1, 2, 3):
        clinic.log(D0 + dt.timedelta(days=day), completed="skipped", skip_reason="unwell")
    codes = clinic.scan(D0 + dt.timedelta(days=20))
    assert {"missed_streak", "no_sessions_logged"} <= set(codes)
    clinic.log(D0 + dt.timedelta(days=20), completed="skipped", skip_reason="no time")
    assert clinic.alert("missed_streak").status == "open"
    clinic.log(D0 + dt.timedelta(days=20), completed="partial")
    system_closure(clinic, "missed_streak", "system:session_logged")
    system_closure(clinic, "no_sessions_logged", "system:session_logged")


def test_low_adherence_asks_why_and_closes_when_adherence_recovers(clinic):
    for day in (1, 3):
        clinic.log(D0 + dt.timedelta(days=day), completed="skipped", skip_reason="too tired")
    clinic.log(D0 + dt.timedelta(days=4), completed="skipped", skip_reason="no helper today")
    assert "adherence_low" in clinic.scan(D0 + dt.timedelta(days=7))
    low = clinic.alert("adherence_low")
    assert low.data["skip_reasons"] == {"too tired": 2, "no helper today": 1}
    with transaction(clinic.factory, write=False) as s:
        _, plan = followup.active_plan(s, clinic.pid, today=D0 + dt.timedelta(weeks=5))
    # Four full weeks as planned: the rolling adherence of the last 4 complete weeks is 100 %.
    for week in range(1, 5):
        monday = D0 + dt.timedelta(weeks=week)
        for c in plan.components:
            for i in range(c.sessions_per_week_min):
                day = monday + dt.timedelta(days=(i * 7) // max(c.sessions_per_week_min, 1))
                clinic.log(day, component=c.type)
    assert clinic.alert("adherence_low").status == "open"  # only the scan judges adherence
    clinic.scan(D0 + dt.timedelta(weeks=5))
    system_closure(clinic, "adherence_low", "system:adherence_recovered")


def test_a_trained_muscle_below_mrc_3_warns_and_drafts_a_plan_that_no_longer_loads_it(clinic):
    with transaction(clinic.factory, write=False) as s:
        active = prescriptions.active(s, clinic.pid)
        resistance = next(c for c in active.content["components"] if c["type"] == "resistance")
        assert "knee_extension_left" in resistance["muscle_groups"]
    _, codes = clinic.assess(D0 + dt.timedelta(days=60), mrc=dict(MRC, knee_extension_left=2))
    assert "mrc_below_antigravity" in codes
    row = clinic.alert("mrc_below_antigravity")
    assert row.severity == "warning" and row.data["groups"] == [
        {"group": "knee_extension_left", "from": 4, "to": 2}
    ]
    ((kind, content),) = clinic.proposals()
    assert kind == "represcribe"
    redrawn = next(c for c in content["components"] if c["type"] == "resistance")
    assert "knee_extension_left" not in redrawn["muscle_groups"]


def test_a_weaker_muscle_the_plan_does_not_train_drafts_nothing(clinic):
    _, codes = clinic.assess(D0 + dt.timedelta(days=60), mrc=dict(MRC, ankle_dorsiflexion_left=2))
    assert "mrc_below_antigravity" not in codes and clinic.proposals() == []


def test_a_correction_runs_the_course_rules_and_a_correction_back_closes_its_alert(clinic):
    later = D0 + dt.timedelta(days=91)
    visit_id, codes = clinic.assess(later)
    assert codes == []
    # The FVC was entered wrongly: corrected, the visit shows FVC < 50 % predicted.
    corrected_id, codes = clinic.correct(visit_id, later, date=later.isoformat(), fvc_l=1.9)
    assert "fvc_low" in codes
    assert clinic.alert("fvc_low").severity == "urgent"
    assert [k for k, _ in clinic.proposals()] == ["represcribe"]
    # Corrected again with the same finding: no second alert, no second draft.
    again_id, codes = clinic.correct(corrected_id, later, date=later.isoformat(), fvc_l=1.9)
    assert codes == [] and [c for c, *_ in clinic.alerts()].count("fvc_low") == 1
    assert [k for k, _ in clinic.proposals()] == ["represcribe"]
    # Corrected back: the finding is gone, so is its alert (closed by the system).
    clinic.correct(again_id, later, date=later.isoformat(), fvc_l=4.2)
    system_closure(clinic, "fvc_low", "system:assessment_corrected")


def test_a_corrected_severity_replaces_the_alert_rather_than_hiding_behind_it(clinic):
    later = D0 + dt.timedelta(days=91)
    visit_id, codes = clinic.assess(later, fvc_l=2.6)
    assert clinic.alert("fvc_low").severity == "warning"
    _, codes = clinic.correct(visit_id, later, date=later.isoformat(), fvc_l=1.9)
    assert codes == ["fvc_low"]
    assert [(c, st, sev) for c, st, sev in clinic.alerts() if c == "fvc_low"] == [
        ("fvc_low", "resolved", "warning"),
        ("fvc_low", "open", "urgent"),
    ]


def test_correcting_an_old_visit_raises_nothing_about_the_past(clinic):
    clinic.assess(D0 + dt.timedelta(days=91))
    _, codes = clinic.correct(clinic.visit_id, D0 + dt.timedelta(days=92), fvc_l=1.9)
    assert codes == [] and clinic.alerts() == []


def test_the_audit_chain_verifies_after_system_closures(clinic):
    clinic.scan(D0 + dt.timedelta(days=92))
    clinic.assess(D0 + dt.timedelta(days=92))
    with transaction(clinic.factory, write=False) as s:
        assert audit.verify(s).ok
