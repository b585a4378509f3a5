"""Every symptom a patient can log has an answer: advice at once, whether to stop, the alert it
raises and what it counts toward. One table (RULES) owns it; the pages, the API, the alerts and
the proposals read it from here.

- chest_pain, dizziness, fall_with_injury: red flags; stop, one urgent `red_flag` alert, the
  emergency number first, a pause of all exercise (proposals.decide).
- fall (not hurt): stop for today; `fall_reported` (warning), `falls_repeated` when repeated:
  a pause of standing, walking and balance work.
- dyspnea: stop; `dyspnea_reported` / `dyspnea_repeated`, warning, urgent (and the emergency
  number first) when the plan records respiratory involvement; toward a step-down.
- cramps (that do not settle): stop for today; `cramps_persisting` / `cramps_repeated`,
  warning; toward a step-down.
- muscle_pain_next_day: do less next time; `muscle_pain_next_day` / `muscle_pain_repeated`,
  warning; toward a step-down.
- new_weakness_next_day: rest today; `new_weakness_next_day`, warning; a step-down at once.
- unusual_fatigue: rest today; `unusual_fatigue` / `unusual_fatigue_repeated`, warning; toward
  a step-down.
- fasciculations: no reason to stop; no alert, counts toward nothing.

A symptom is logged with a session, so each is taken as exercise-related. New weakness the day
after is overwork by itself and counts at once; cramps, muscle pain, tiredness and
breathlessness are common in ALS without exercise, so one report is one tolerance signal (two
of them step the plan down, proposals.decide) and a repeat (reports on `symptom_repeat_count`
days within `symptom_repeat_days`, FollowupSettings: 2 within 14 days) asks for a step-down alone.
Two falls within that window pause standing and balance work until the clinic has seen the
patient. Each row cites its evidence; rows without a source cite a recommendation of strength
`alsrx_default` whose caveat says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from alsrx.domain.followup.model import Plan, SessionLog, Severity, Signal
from alsrx.domain.followup.params import FollowupSettings

RED_FLAG = "red_flag"


class Toward(StrEnum):
    NOTHING = "nothing"
    STEP_DOWN = "step_down"
    PAUSE = "pause"  # all exercise until the clinic has seen the patient
    PAUSE_STANDING = "pause_standing"  # standing, walking and balance work


@dataclass(frozen=True)
class Rule:
    advice: str  # what the patient reads at once (words: render/symptom_advice.py)
    stop_now: bool  # no more exercise today
    alert: str | None  # the alert one report raises; None: no alert at all
    severity: Severity | None
    evidence: tuple[str, ...]
    toward: Toward = Toward.NOTHING
    at_once: bool = False  # one report counts in full; otherwise a repeat does
    repeated_alert: str | None = None
    emergency: bool = False  # the answer leads with the emergency number
    # Breathlessness with respiratory involvement (Plan.respiratory_involvement): its own
    # advice, urgent, and the emergency number first.
    respiratory_advice: str | None = None


SAFETY = ("rec-general-exercise-safety", "G-acsm-gete")
FALLS = ("rec-fall-response",)
BREATHING = ("rec-breathlessness-in-session", "G-nice-ng42", "G-nice-qs126")
OVERWORK = ("rec-post-exercise-overwork", "rec-overwork-step-down")
W, U = Severity.WARNING, Severity.URGENT


def _red_flag(advice: str, evidence: tuple[str, ...]) -> Rule:
    return Rule(advice, True, RED_FLAG, U, evidence, Toward.PAUSE, at_once=True, emergency=True)


# In order of urgency: the patient reads the answers in this order.
RULES: Mapping[str, Rule] = {
    "chest_pain": _red_flag("advice_chest_pain", SAFETY),
    "dizziness": _red_flag("advice_dizziness", SAFETY),
    "fall_with_injury": _red_flag("advice_fall_with_injury", (*FALLS, "rec-safety")),
    "dyspnea": Rule(
        "advice_dyspnea",
        True,
        "dyspnea_reported",
        W,
        BREATHING,
        Toward.STEP_DOWN,
        repeated_alert="dyspnea_repeated",
        respiratory_advice="advice_dyspnea_respiratory",
    ),
    "fall": Rule(
        "advice_fall",
        True,
        "fall_reported",
        W,
        FALLS,
        Toward.PAUSE_STANDING,
        repeated_alert="falls_repeated",
    ),
    "new_weakness_next_day": Rule(
        "advice_new_weakness_next_day",
        True,
        "new_weakness_next_day",
        W,
        OVERWORK,
        Toward.STEP_DOWN,
        at_once=True,
    ),
    "cramps": Rule(
        "advice_cramps",
        True,
        "cramps_persisting",
        W,
        ("rec-post-exercise-overwork", "rec-cramps-self-care", "rec-overwork-step-down"),
        Toward.STEP_DOWN,
        repeated_alert="cramps_repeated",
    ),
    "muscle_pain_next_day": Rule(
        "advice_muscle_pain_next_day",
        False,
        "muscle_pain_next_day",
        W,
        OVERWORK,
        Toward.STEP_DOWN,
        repeated_alert="muscle_pain_repeated",
    ),
    "unusual_fatigue": Rule(
        "advice_unusual_fatigue",
        True,
        "unusual_fatigue",
        W,
        ("rec-overwork-step-down", "rec-fatigue-window"),
        Toward.STEP_DOWN,
        repeated_alert="unusual_fatigue_repeated",
    ),
    "fasciculations": Rule(
        "advice_fasciculations", False, None, None, ("rec-fasciculations-no-reason-to-stop",)
    ),
}


def _alerts(rules: Iterable[Rule], *, whole: bool) -> frozenset[str]:
    """Alert codes that count in full (`whole`: alone enough), or that count at all."""
    found: set[str] = set()
    for r in rules:
        if r.alert is not None and (r.at_once or not whole):
            found.add(r.alert)
        if r.repeated_alert is not None:
            found.add(r.repeated_alert)
    return frozenset(found)


def _toward(kind: Toward) -> list[Rule]:
    return [r for r in RULES.values() if r.toward is kind]


# Read by proposals.decide: alone enough for a step-down; one of the two tolerance signals that
# make one; a pause of standing work.
STEP_DOWN_CODES = _alerts(_toward(Toward.STEP_DOWN), whole=True)
TOLERANCE_CODES = _alerts(_toward(Toward.STEP_DOWN), whole=False)
PAUSE_STANDING_CODES = _alerts(_toward(Toward.PAUSE_STANDING), whole=True)
ALERT_CODES = _alerts(RULES.values(), whole=False)


@dataclass(frozen=True)
class Answer:
    """What the patient is told about one symptom, at once."""

    symptom: str
    advice: str
    stop_now: bool
    emergency: bool
    tells_clinic: bool  # an alert reaches the clinic (not for fasciculations)


def answers(symptoms: Iterable[str], plan: Plan) -> list[Answer]:
    """The answer to each reported symptom, most urgent first."""
    reported = set(symptoms)
    return [_answer(code, rule, plan) for code, rule in RULES.items() if code in reported]


def _answer(code: str, rule: Rule, plan: Plan) -> Answer:
    told = rule.alert is not None
    if rule.respiratory_advice and plan.respiratory_involvement:
        return Answer(code, rule.respiratory_advice, True, True, told)
    return Answer(code, rule.advice, rule.stop_now, rule.emergency, told)


def red_flag_evidence(flags: Iterable[str]) -> tuple[str, ...]:
    """The evidence of the red flags reported, each id once, in table order."""
    ids = [e for flag in flags for e in RULES[flag].evidence]
    return tuple(dict.fromkeys(ids))


def signals(
    log: SessionLog, earlier: Sequence[SessionLog], plan: Plan, s: FollowupSettings
) -> list[Signal]:
    """The alerts of the reported symptoms other than red flags (signals.red_flags raises all
    of those as one alert)."""
    since = log.date - dt.timedelta(days=s.symptom_repeat_days)
    found = []
    for code, rule in RULES.items():
        if code not in log.symptoms or rule.alert in (None, RED_FLAG):
            continue
        # Days, not logs: one fall ticked on two exercises of the day is one fall.
        days = {log.date} | {e.date for e in earlier if e.date >= since and code in e.symptoms}
        found.append(_signal(code, rule, log, plan, len(days), s))
    return found


def _signal(
    code: str, rule: Rule, log: SessionLog, plan: Plan, times: int, s: FollowupSettings
) -> Signal:
    assert rule.alert is not None and rule.severity is not None
    repeated = rule.repeated_alert is not None and times >= s.symptom_repeat_count
    urgent = rule.respiratory_advice is not None and plan.respiratory_involvement
    data: dict[str, object] = {
        "symptom": code,
        "date": log.date.isoformat(),
        "component": log.component,
        "times_in_window": times,
        "window_days": s.symptom_repeat_days,
    }
    if rule.respiratory_advice is not None:
        data["respiratory_involvement"] = plan.respiratory_involvement
    return Signal(
        rule.repeated_alert if repeated and rule.repeated_alert else rule.alert,
        Severity.URGENT if urgent else rule.severity,
        rule.evidence,
        data,
        tells_patient_to_stop=rule.stop_now or urgent,
    )


def with_notes(signal: Signal, notes: str | None) -> Signal:
    """The patient's own words on a symptom or red-flag log, for the clinician who reads the
    alert; other signals (heart rate, effort, fatigue numbers) stay as they were."""
    if not notes or signal.code not in ALERT_CODES:
        return signal
    return dataclasses.replace(signal, data={**signal.data, "notes": notes})
