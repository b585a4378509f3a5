"""The words of the symptom answers (domain/followup/symptoms.py) and of the fatigue-recovery
choices (domain/followup/signals.RECOVERY_BUCKETS), in the reader's language.

The domain decides the advice code, whether to stop and whether the emergency number comes
first; this module only says it. The emergency number is the centre's (`Centre.
emergency_number`); without one the patient is told to call the local number, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alsrx.domain.followup import signals, symptoms
from alsrx.i18n import N_, translator

# What the patient can report, common first (the details page shows the red flags first).
SYMPTOM_LABELS = (
    ("cramps", N_("Cramps that did not settle")),
    ("muscle_pain_next_day", N_("Muscle pain the next day")),
    ("new_weakness_next_day", N_("New weakness the next day")),
    ("dyspnea", N_("Short of breath")),
    ("unusual_fatigue", N_("Unusually tired")),
    ("fasciculations", N_("Muscle twitching (fasciculations)")),
    ("fall", N_("A fall (not hurt)")),
    ("dizziness", N_("Dizzy or faint")),
    ("chest_pain", N_("Chest pain")),
    ("fall_with_injury", N_("Fell and got hurt")),
)

ADVICE = {
    "advice_chest_pain": N_(
        "Stop now and sit or lie down. If the pain is strong, lasts more than a few minutes, or "
        "comes with breathlessness, sweating or feeling sick, call the emergency number now. "
        "Otherwise contact your clinic today."
    ),
    "advice_dizziness": N_(
        "Stop now and sit or lie down until it passes; stand up slowly. If you fainted, or it "
        "does not pass, call the emergency number. Contact your clinic today."
    ),
    "advice_fall_with_injury": N_(
        "Stay still for a moment and check yourself. Do not get up alone: call for help. If you "
        "hit your head, are bleeding a lot or cannot move an arm or leg, call the emergency "
        "number. Contact your clinic today."
    ),
    "advice_fall": N_(
        "Stop for today. Sit and rest, then check for pain, swelling or bruising and tell the "
        "clinic. Until the clinic has seen you, do balance and standing exercises only holding "
        "on to support, with someone nearby."
    ),
    "advice_dyspnea": N_(
        "Stop and rest sitting upright until your breathing is back to usual. Next time go more "
        "gently. Tell the clinic if it happens again."
    ),
    "advice_dyspnea_respiratory": N_(
        "Stop now and sit upright; use your ventilator if you have one. Tell your clinic today. "
        "If your breathing does not settle within a few minutes of rest, call the emergency "
        "number."
    ),
    "advice_cramps": N_(
        "Stop this exercise for today. Gently stretch the cramping muscle and hold the stretch "
        "until it eases, and drink some water. Tell the clinic if cramps keep coming back: "
        "treatment can help."
    ),
    "advice_muscle_pain_next_day": N_(
        "Muscle pain the next day means the last session was too much. Rest the sore muscles "
        "today and do less next time. Tell the clinic if it lasts more than two days."
    ),
    "advice_new_weakness_next_day": N_(
        "New weakness the day after exercise can mean the exercise was too much. Rest today, "
        "and do not exercise the weaker muscles hard until the clinic has checked them. Tell "
        "the clinic today."
    ),
    "advice_unusual_fatigue": N_(
        "Rest for the rest of today. Next time do a little less. Tell the clinic if you keep "
        "feeling unusually tired."
    ),
    "advice_fasciculations": N_(
        "Muscle twitching (fasciculations) is common in ALS and is no reason to stop exercising. "
        "Mention it at your next visit if it bothers you."
    ),
}

RECOVERY_LABELS = {
    "under_5": N_("under 5 min"),
    "5_to_15": N_("5-15 min"),
    "15_to_30": N_("15-30 min"),
    "over_30": N_("over 30 min (same day)"),
    "next_day": N_("into the next day"),
}

CALL_EMERGENCY = N_("Call the emergency number %(number)s")
LOCAL_EMERGENCY = N_("In an emergency, call your local emergency number.")


def symptom_label(code: str, lang: str) -> str:
    _ = translator(lang)
    template = dict(SYMPTOM_LABELS).get(code)
    return _(template) if template else code


def answer_words(answers: Iterable[symptoms.Answer], lang: str) -> list[dict[str, Any]]:
    """Each answer (symptoms.answers) with its words: {symptom, label, advice, message,
    stop_now, emergency, tells_clinic}; the pages and the API both show these."""
    _ = translator(lang)
    found = []
    for answer in answers:
        template = ADVICE[answer.advice]
        found.append(
            {
                "symptom": answer.symptom,
                "label": symptom_label(answer.symptom, lang),
                "advice": answer.advice,
                "message": _(template),
                "stop_now": answer.stop_now,
                "emergency": answer.emergency,
                "tells_clinic": answer.tells_clinic,
            }
        )
    return found


def emergency_text(number: str | None, lang: str) -> str:
    """The emergency line: the centre's number, or the local one when the centre has none."""
    _ = translator(lang)
    return _(CALL_EMERGENCY) % {"number": number} if number else _(LOCAL_EMERGENCY)


def recovery_choices(lang: str) -> list[tuple[str, str]]:
    """(stored value, label) for each fatigue-recovery choice on the web form."""
    _ = translator(lang)
    return [(_number(value), _(RECOVERY_LABELS[code])) for code, value in signals.RECOVERY_BUCKETS]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
