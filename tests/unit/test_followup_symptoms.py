"""Every symptom has an answer: advice at once, stop or not, its alert and what it counts toward.

The expected answers below restate the clinical rules of docs/clinical-rules.md ("Every symptom
has an answer"), written down before the table in domain/followup/symptoms.py was filled in.
"""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import NORMAL_ITEMS
from tests.prescription_cases import make_case

from alsrx.domain.followup import adherence, proposals, signals, symptoms
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import (
    RED_FLAGS,
    SYMPTOMS,
    Completion,
    Plan,
    PlannedComponent,
    SessionLog,
    Severity,
    Signal,
)
from alsrx.domain.followup.params import FollowupSettings
from alsrx.domain.prescription import engine
from alsrx.domain.prescription.params import LIMITS, EngineSettings
from alsrx.evidence import base
from alsrx.intake.schema import session_log_schema
from alsrx.render import prescription_json, symptom_advice

S = FollowupSettings()
START = dt.date(2026, 1, 5)  # a Monday
AEROBIC = PlannedComponent("aerobic", 3, 3, 15, 30, 140, 110, 13)
PLAN = Plan("rx", START, (AEROBIC,))
BREATHING_AFFECTED = dataclasses.replace(PLAN, respiratory_involvement=True)


def log(day, *found, **kw):
    base_log = {
        "date": START + dt.timedelta(days=day),
        "component": "aerobic",
        "completed": Completion.DONE,
        "symptoms": found,
    }
    return SessionLog(**(base_log | kw))


def codes(found):
    return [(x.code, x.severity) for x in found]


# symptom: (stop now, alert of one report, severity, counts toward, at once)
ANSWERS = {
    "chest_pain": (True, "red_flag", Severity.URGENT, "pause", True),
    "dizziness": (True, "red_flag", Severity.URGENT, "pause", True),
    "fall_with_injury": (True, "red_flag", Severity.URGENT, "pause", True),
    "fall": (True, "fall_reported", Severity.WARNING, "pause_standing", False),
    "dyspnea": (True, "dyspnea_reported", Severity.WARNING, "step_down", False),
    "cramps": (True, "cramps_persisting", Severity.WARNING, "step_down", False),
    "muscle_pain_next_day": (False, "muscle_pain_next_day", Severity.WARNING, "step_down", False),
    "new_weakness_next_day": (True, "new_weakness_next_day", Severity.WARNING, "step_down", True),
    "unusual_fatigue": (True, "unusual_fatigue", Severity.WARNING, "step_down", False),
    "fasciculations": (False, None, None, "nothing", False),
}


def test_every_symptom_a_patient_can_log_has_one_answer_and_the_schema_lists_the_same():
    enum = session_log_schema()["properties"]["symptoms"]["items"]["enum"]
    assert set(symptoms.RULES) == set(SYMPTOMS) == set(enum) == set(ANSWERS)
    assert {"fasciculations", "new_weakness_next_day"} <= set(enum)
    red = {k for k, r in symptoms.RULES.items() if r.alert == symptoms.RED_FLAG}
    assert red == set(RED_FLAGS)


@pytest.mark.parametrize("symptom", sorted(ANSWERS))
def test_each_symptom_gets_its_stated_answer(symptom):
    stop, alert, severity, toward, at_once = ANSWERS[symptom]
    rule = symptoms.RULES[symptom]
    assert (rule.stop_now, rule.alert, rule.severity) == (stop, alert, severity)
    assert (rule.toward.value, rule.at_once) == (toward, at_once)
    (answer,) = symptoms.answers([symptom], PLAN)
    assert answer.stop_now is stop and answer.advice == rule.advice
    assert answer.emergency is (symptom in RED_FLAGS)
    raised = signals.for_session(log(1, symptom), [], PLAN, S)
    assert codes(raised) == ([] if alert is None else [(alert, severity)])


def test_every_rule_cites_evidence_that_exists_and_a_sourceless_one_says_it_is_a_default():
    evidence = base.load()
    for code, rule in symptoms.RULES.items():
        assert rule.evidence, code
        for record_id in rule.evidence:
            assert record_id in evidence, (code, record_id)
            record = evidence.get(record_id)
            if isinstance(record, base.Recommendation) and not record.evidence:
                assert record.strength == "alsrx_default", record_id


def test_fasciculations_are_explained_as_no_reason_to_stop_and_raise_no_alert():
    assert signals.for_session(log(1, "fasciculations"), [], PLAN, S) == []
    (answer,) = symptom_advice.answer_words(symptoms.answers(["fasciculations"], PLAN), "en")
    assert "common in ALS" in answer["message"] and "no reason to stop" in answer["message"]
    assert not (answer["stop_now"] or answer["emergency"] or answer["tells_clinic"])


def test_breathlessness_is_urgent_only_for_a_patient_with_respiratory_involvement():
    ordinary = signals.for_session(log(1, "dyspnea"), [], PLAN, S)
    affected = signals.for_session(log(1, "dyspnea"), [], BREATHING_AFFECTED, S)
    assert codes(ordinary) == [("dyspnea_reported", Severity.WARNING)]
    assert codes(affected) == [("dyspnea_reported", Severity.URGENT)]
    assert affected[0].data["respiratory_involvement"] is True
    (answer,) = symptoms.answers(["dyspnea"], BREATHING_AFFECTED)
    assert answer.advice == "advice_dyspnea_respiratory" and answer.emergency and answer.stop_now
    (plain,) = symptoms.answers(["dyspnea"], PLAN)
    assert plain.advice == "advice_dyspnea" and not plain.emergency


def test_a_second_fall_within_14_days_asks_to_pause_standing_work_a_first_does_not():
    first = signals.for_session(log(1, "fall"), [], PLAN, S)
    second = signals.for_session(log(10, "fall"), [log(1, "fall")], PLAN, S)
    long_after = signals.for_session(log(20, "fall"), [log(1, "fall")], PLAN, S)
    assert [x.code for x in first] == ["fall_reported"]
    assert [x.code for x in second] == ["falls_repeated"] and second[0].data["times_in_window"] == 2
    assert [x.code for x in long_after] == ["fall_reported"]
    same_day = signals.for_session(
        log(1, "fall", component="resistance"), [log(1, "fall")], PLAN, S
    )
    assert [x.code for x in same_day] == ["fall_reported"]  # one fall ticked twice
    today = START + dt.timedelta(days=10)
    decide = proposals.decide
    assert decide(PLAN, [], first, today=today, represcribe=False, s=S) is None
    paused = decide(PLAN, [], second, today=today, represcribe=False, s=S)
    assert paused == proposals.Decision(proposals.Kind.PAUSE_STANDING, ("falls_repeated",))


@pytest.mark.parametrize(
    ("symptom", "repeated"),
    [
        ("cramps", "cramps_repeated"),
        ("muscle_pain_next_day", "muscle_pain_repeated"),
        ("unusual_fatigue", "unusual_fatigue_repeated"),
        ("dyspnea", "dyspnea_repeated"),
    ],
)
def test_a_common_symptom_once_counts_toward_a_step_down_and_twice_asks_for_one(symptom, repeated):
    today = START + dt.timedelta(days=8)
    once = signals.for_session(log(1, symptom), [], PLAN, S)
    twice = signals.for_session(log(8, symptom), [log(1, symptom)], PLAN, S)
    assert [x.code for x in twice] == [repeated]
    decide = proposals.decide
    assert decide(PLAN, [], once, today=today, represcribe=False, s=S) is None
    hr = Signal("hr_above_ceiling", Severity.WARNING, ())
    assert decide(PLAN, [], [*once, hr], today=today, represcribe=False, s=S).kind == "step_down"
    assert decide(PLAN, [], twice, today=today, represcribe=False, s=S).kind == "step_down"


def test_new_weakness_the_next_day_asks_for_a_step_down_at_once():
    found = signals.for_session(log(1, "new_weakness_next_day"), [], PLAN, S)
    decision = proposals.decide(PLAN, [], found, today=START, represcribe=False, s=S)
    assert decision.kind == "step_down" and decision.because == ("new_weakness_next_day",)


def test_a_red_flag_still_pauses_everything_before_any_other_answer():
    found = signals.for_session(log(3, "chest_pain", "fall"), [log(1, "fall")], PLAN, S)
    assert [x.code for x in found] == ["red_flag", "falls_repeated"]
    assert found[0].data["symptoms"] == ("chest_pain",)
    assert "rec-general-exercise-safety" in found[0].evidence
    decision = proposals.decide(PLAN, [], found, today=START, represcribe=False, s=S)
    assert decision.kind == "pause"


def test_the_patients_notes_reach_symptom_and_red_flag_alerts_only():
    found = signals.for_session(
        log(1, "chest_pain", "cramps", max_hr_bpm=150), [], PLAN, S
    )  # a red flag, a symptom and a heart rate above the ceiling
    noted = [symptoms.with_notes(x, "pain in my left arm") for x in found]
    assert {x.code: x.data.get("notes") for x in noted} == {
        "red_flag": "pain in my left arm",
        "cramps_persisting": "pain in my left arm",
        "hr_above_ceiling": None,
    }
    assert [symptoms.with_notes(x, None) for x in found] == found


# Fatigue recovery: the plan's limit, and a stronger signal past 30 minutes.


def test_a_clinicians_tighter_fatigue_limit_is_the_one_the_alert_uses():
    tight = dataclasses.replace(PLAN, fatigue_limit_min=10.0)
    assert signals.fatigue(log(1, fatigue_recovery_min=12), [], PLAN, S) == []
    (found,) = signals.fatigue(log(1, fatigue_recovery_min=12), [], tight, S)
    assert found.code == "fatigue_prolonged" and found.data["limit_min"] == 10.0


def test_the_limit_a_clinician_sets_in_the_prescription_reaches_the_plan():
    content = {"components": [], "settings": {"fatigue_limit_min": 10}}
    plan = plan_mod.from_content("rx", content, started_on=START, today=START)
    assert plan.fatigue_limit_min == 10.0
    assert [x.code for x in signals.fatigue(log(1, fatigue_recovery_min=12), [], plan, S)] == [
        "fatigue_prolonged"
    ]


def test_fatigue_past_30_minutes_or_into_the_next_day_is_overwork_and_steps_down_at_once():
    (thirty,) = signals.fatigue(log(1, fatigue_recovery_min=30), [], PLAN, S)
    (longer,) = signals.fatigue(log(1, fatigue_recovery_min=31), [], PLAN, S)
    (next_day,) = signals.fatigue(log(1, fatigue_recovery_min=24 * 60), [], PLAN, S)
    assert thirty.code == "fatigue_prolonged"
    assert longer.code == next_day.code == "fatigue_overwork"
    assert (longer.data["into_next_day"], next_day.data["into_next_day"]) == (False, True)
    decision = proposals.decide(PLAN, [], [longer], today=START, represcribe=False, s=S)
    assert decision.kind == "step_down" and decision.because == ("fatigue_overwork",)


BUCKETS = signals.RECOVERY_BUCKETS
UPPER = {"under_5": 5, "5_to_15": 15, "15_to_30": 30}  # the bounded buckets, as labelled


def test_bounded_buckets_store_their_upper_bound_and_the_open_ones_pass_30_minutes():
    stored = dict(BUCKETS)
    assert {k: stored[k] for k in UPPER} == UPPER
    assert stored["over_30"] > S.fatigue_overwork_min
    assert stored["next_day"] == signals.INTO_NEXT_DAY_MIN
    assert [v for _, v in BUCKETS] == sorted(v for _, v in BUCKETS)


@given(st.integers(*LIMITS["fatigue_limit_min"]), st.sampled_from(BUCKETS))
def test_a_bucket_reaching_past_any_allowed_limit_exceeds_it(limit, bucket):
    code, value = bucket
    lower = {"under_5": 0, "5_to_15": 5, "15_to_30": 15, "over_30": 30, "next_day": 30}[code]
    plan = dataclasses.replace(PLAN, fatigue_limit_min=float(limit))
    raised = signals.fatigue(log(1, fatigue_recovery_min=value), [], plan, S)
    if lower >= limit:
        assert raised, "the whole bucket is past the limit"
    if value <= limit:
        assert raised == [], "the whole bucket is within the limit"
    if lower < limit < value:
        assert raised, "a bucket that reaches past the limit exceeds it"


def test_the_web_offers_every_bucket_with_words_in_english_and_chinese():
    en, zh = symptom_advice.recovery_choices("en"), symptom_advice.recovery_choices("zh")
    assert [v for v, _ in en] == ["5", "15", "30", "60", "1440"] == [v for v, _ in zh]
    assert en[-1][1] == "into the next day" and zh[-1][1] == "延续到第二天"


# A stopped session earns no credit.


def test_a_stopped_session_earns_no_adherence_credit():
    today = START + dt.timedelta(days=7)
    stopped = [log(d, completed=Completion.STOPPED) for d in (0, 2, 4)]
    done = [log(d) for d in (0, 2, 4)]
    assert adherence.CREDIT[Completion.STOPPED] == 0
    assert adherence.rolling(PLAN, stopped, today=today, weeks=1) == 0
    assert adherence.rolling(PLAN, done, today=today, weeks=1) == 1


# Respiratory involvement, from the stored prescription.


def content_for(**case):
    prescription = engine.prescribe(make_case(**case), EngineSettings())
    return prescription_json.to_json(prescription, settings=EngineSettings())


@pytest.mark.parametrize(
    ("case", "involved"),
    [
        ({}, False),
        ({"items": dict(NORMAL_ITEMS, q12_respiratory_insufficiency=3)}, True),  # BiPAP at times
        ({"ventilation": True}, True),
        ({"items": dict(NORMAL_ITEMS, q11_orthopnea=2)}, True),  # extra pillows
        ({"items": dict(NORMAL_ITEMS, q10_dyspnea=1)}, True),  # breathless at rest
        ({"fvc": 1.6}, True),  # FVC below 50 % predicted: the breathing programme
        ({"mip": 35}, True),  # weak inspiratory muscles
    ],
)
def test_respiratory_involvement_is_read_from_the_drafted_prescription(case, involved):
    content = content_for(**case)
    assert plan_mod.respiratory_involvement(content) is involved
    plan = plan_mod.from_content("rx", content, started_on=START, today=START)
    assert plan.respiratory_involvement is involved


def test_respiratory_first_drafts_the_breathing_programme_that_marks_involvement():
    content = content_for(fvc=1.6)
    assert "breathing" in {c["type"] for c in content["components"]}
    bare = {"components": [{"type": "breathing"}], "reasons": []}
    assert plan_mod.respiratory_involvement(bare)


# Pausing standing work after repeated falls.

WALKING_AND_BALANCE = {
    "current_week": 1,
    "session_order": ["aerobic", "balance_functional", "flexibility"],
    "weekly_schedule": [
        {"day": 1, "components": ["aerobic", "flexibility"], "minutes_max": 40, "twice": []},
        {"day": 2, "components": ["balance_functional"], "minutes_max": 15, "twice": []},
    ],
    "components": [
        {"type": "aerobic", "modalities": ["walking", "recumbent_bike"], "intensity": {}},
        {
            "type": "balance_functional",
            "modalities": ["sit_to_stand", "standing_balance_with_support"],
            "intensity": {},
        },
        {"type": "flexibility", "modalities": ["range_of_motion"], "intensity": {}},
    ],
}


def test_a_pause_of_standing_work_keeps_seated_exercise_and_changes_something():
    new = proposals.pause_standing(WALKING_AND_BALANCE)
    assert [(c["type"], c["modalities"]) for c in new["components"]] == [
        ("aerobic", ["recumbent_bike"]),
        ("flexibility", ["range_of_motion"]),
    ]
    assert new["session_order"] == ["aerobic", "flexibility"]
    assert [d["components"] for d in new["weekly_schedule"]] == [["aerobic", "flexibility"], []]
    assert proposals.diff(WALKING_AND_BALANCE, new)
    assert proposals.pause_standing(new) is None  # nothing left to pause


# Properties over any set of reported symptoms.


@given(st.sets(st.sampled_from(SYMPTOMS)), st.booleans())
def test_any_report_gets_an_answer_per_symptom_red_flags_first(reported, respiratory):
    plan = dataclasses.replace(PLAN, respiratory_involvement=respiratory)
    found = symptoms.answers(reported, plan)
    assert {a.symptom for a in found} == reported
    order = list(symptoms.RULES)
    assert [order.index(a.symptom) for a in found] == sorted(order.index(a.symptom) for a in found)
    emergency = bool(reported & set(RED_FLAGS)) or (respiratory and "dyspnea" in reported)
    assert any(a.emergency for a in found) is emergency
    if reported & set(RED_FLAGS):
        assert all(a.stop_now for a in found if a.symptom in RED_FLAGS)
    for lang in ("en", "zh"):
        words = symptom_advice.answer_words(found, lang)
        assert all(w["message"] and not w["message"].startswith("advice_") for w in words)


@given(st.sets(st.sampled_from(SYMPTOMS)), st.booleans())
def test_every_alerting_symptom_raises_exactly_one_alert_and_red_flags_share_one(reported, resp):
    plan = dataclasses.replace(PLAN, respiratory_involvement=resp)
    raised = [x.code for x in signals.for_session(log(1, *sorted(reported)), [], plan, S)]
    alerting = {s for s in reported if symptoms.RULES[s].alert not in (None, symptoms.RED_FLAG)}
    assert raised.count("red_flag") == (1 if reported & set(RED_FLAGS) else 0)
    assert len(raised) == len(alerting) + raised.count("red_flag")
    assert set(raised) <= symptoms.ALERT_CODES
