"""The words of the printed programme (render/programme_view.py), marked for translation.

Kept apart from the view-model so that the one module holds logic and this one holds text.
The patient's words are plain: no codes, no evidence ids, no abbreviations a patient would not
know. The effort scale is named by its range only, with our own description of the effort:
the published verbal anchors of the 6–20 scale are licensed and are not reproduced.
"""

from __future__ import annotations

from alsrx.i18n import N_

TITLE = {
    "patient": N_("Your exercise plan"),
    "clinician": N_("Exercise prescription"),
}

# Headings of the documents' sections.
HEADINGS = {
    "stop": N_("Stop and get help"),
    "stop_if": N_("Stop exercising and get help if:"),
    "your_plan": N_("Your plan now"),
    "week": N_("Your week at a glance"),
    "week_hint": N_("Tick a box when you have done it. Rest on the days without a box."),
    "exercises": N_("Your exercises"),
    "log": N_("Your exercise log"),
    "log_hint": N_(
        "Fill in one row for each day and bring this sheet to your next visit. Tick one box "
        "for each exercise: done, part (partly done) or skip (skipped). Effort: the number "
        "from 6 to 20 that matches how hard it felt."
    ),
    "date": N_("Date"),
    "effort_column": N_("Effort (6–20)"),
    "notes": N_("Notes"),
    "done": N_("done"),
    "partly": N_("part"),
    "skipped": N_("skip"),
    "plan_overview": N_("The plan"),
    "reasons": N_("Points for the clinician"),
    "components": N_("Components"),
    "exercise": N_("Exercise"),
    "dose": N_("Dose"),
    "side": N_("Side"),
    "load": N_("Load"),
    "minutes": N_("Minutes"),
    "weeks": N_("Weeks"),
    "phase_dose": N_("Dose in that phase"),
    "follow_up": N_("Follow-up"),
    "references": N_("Evidence cited"),
    "schedule": N_("One week"),
    "why": N_("Why"),
    "evidence": N_("Evidence"),
    "needs": N_("You need"),
    "easier": N_("Too hard? Try instead"),
    "take_care": N_("Take care"),
    "no_exercises_named": N_("No exercises are named yet for this part of the plan."),
}

FACTS = {
    "patient": N_("Patient"),
    "centre": N_("Centre"),
    "version": N_("Version"),
    "status": N_("Status"),
    "engine_status": N_("Drafted by the engine as"),
    "approved": N_("Approved"),
    "starts": N_("Plan starts"),
    "assessed": N_("Based on the assessment of"),
    "next_review": N_("Next review"),
}
APPROVED_BY = N_("{date}, by {name}")
NOT_APPROVED = N_("not yet approved")
VERSION_LINE = N_("Version {version}, approved on {date}")
VERSION_DRAFT = N_("Version {version}, not yet approved")

# The stored prescription's status (services/prescriptions.py), for the clinician.
STORED_STATUS = {
    "draft": N_("draft"),
    "active": N_("active: the patient's current plan"),
    "superseded": N_("superseded by a newer version"),
    "rejected": N_("declined"),
}

# A sheet that is not the patient's current plan says so at its top.
BANNERS = {
    "patient_draft": N_(
        "Draft: not yet approved by your rehabilitation team. Do not start these exercises "
        "until your team has approved the plan."
    ),
    "patient_superseded": N_(
        "This plan has been replaced by a newer one. Use the newest plan your team gave you."
    ),
    "clinician_draft": N_("Draft, not approved: not for the patient's use."),
    "clinician_superseded": N_("Superseded: a newer version is the patient's current plan."),
    "clinician_rejected": N_("Declined: not for use."),
    "paused": N_("Only gentle range-of-motion exercises until your clinic has seen you."),
    "paused_title": N_("Exercise is paused"),
    "standing_paused": N_(
        "Standing, walking and balance exercises are paused until your clinic has seen you."
    ),
}

# The plan's phases (domain/followup/plan.py: the week stays in the approved phase).
PHASES = {
    "patient": {
        "phase": N_("You are in stage {stage} of {stages} of your plan: weeks {first}–{last}."),
        "open": N_("You are in stage {stage} of {stages} of your plan, from week {first}."),
        "one": N_("Your plan has one stage: it stays the same until your next review."),
        "next_on": N_(
            "The next stage may begin on {date} at the earliest, once your rehabilitation team "
            "has checked that your sessions went well. They will then give you a new plan."
        ),
        "next_in_week": N_(
            "The next stage may begin in week {week} at the earliest, counted from the day your "
            "team approves this plan, once they have checked that your sessions went well."
        ),
        "last": N_("This is the last stage of the plan."),
    },
    "clinician": {
        "phase": N_("Phase {stage} of {stages}: weeks {first}–{last}."),
        "open": N_("Phase {stage} of {stages}, from week {first}."),
        "one": N_("The plan has one phase."),
        "next_on": N_(
            "The next phase may begin on {date} at the earliest, through an approved progress "
            "proposal after sessions rated as well tolerated."
        ),
        "next_in_week": N_(
            "The next phase may begin in week {week} at the earliest, counted from approval, "
            "through an approved progress proposal after sessions rated as well tolerated."
        ),
        "last": N_("This is the plan's last phase."),
    },
}
STARTED_ON = N_("Your plan started on {date}.")

# Effort: the range on the 6–20 scale, each end in our own words (render/effort_words.py owns
# them; no licensed anchors).
EFFORT = N_("Effort: {range} on the 6–20 effort scale, from “{low_words}” to “{high_words}”.")
HEART_RATE = N_("Heart rate: keep it at or below {bpm} beats a minute.")
REVIEW_ON = N_("Next review with your rehabilitation team: around {date}.")
REVIEW_IN = N_("Next review with your rehabilitation team: in about {weeks} weeks.")
CLINIC_PHONE = N_("Clinic phone: {phone}")
FOOTER_EMERGENCY = N_("Emergency: {number}")
FOOTER_LOCAL_EMERGENCY = N_("Emergency: your local emergency number")
PAGE_OF = N_("Page {page} of {pages}")

# Numbers and ranges.
UP_TO = N_("up to {high}")
AT_LEAST = N_("at least {low}")
TIMES_A_WEEK = N_("{times} times a week")
EVERY_DAY = N_("every day")
TWICE_A_DAY = N_("twice a day")
ONCE_OR_TWICE_A_DAY = N_("once or twice a day")
MINUTES = N_("{minutes} minutes")
MINUTES_SHORT = N_("{minutes} min")
BPM = N_("{bpm} bpm")
DAY_UP_TO = N_("up to {minutes} min")
DAY = N_("Day {day}")
REST_DAY = N_("Rest day")
CARD_NUMBER = N_("Exercise {number}")
# A card already printed in full (a warm-up before two sessions): named, not printed twice.
SAME_AS = N_("The same as exercise {number}: {dose}.")
CARD_RANGE = N_("Exercises {first}–{last}")
WEEKS_RANGE = N_("weeks {first}–{last}")
PER_WEEK = N_("{times} × a week")

# The lines under each part of the plan.
LINES = {
    "how_often": N_("How often"),
    "how_long": N_("How long"),
    "effort": N_("Effort"),
    "heart_rate": N_("Heart rate"),
    "trainer": N_("Breathing trainer setting"),
    "keep_in_mind": N_("Keep in mind"),
    "where": N_("Where"),
    "sets": N_("Sets × repetitions"),
    "hr_range": N_("Heart-rate range"),
    "percent_hrr": N_("Heart-rate reserve"),
    "rpe": N_("Effort (Borg RPE 6-20)"),
    "device": N_("Device setting"),
    "modalities": N_("Modalities"),
    "rom_only": N_("Range of motion only"),
    "muscles": N_("Muscles"),
    "muscles_with_load": N_("Muscles ({load})"),
}
EFFORT_SHORT = N_("{range} on the 6–20 scale")
TRAINER_SETTING = N_("{pressure} cmH2O")
MEP_SETTING = N_("{percent}% of MEP ({pressure} cmH2O)")
MEP_NO_SETTING = N_("{percent}% of MEP (below the trainer's range: no setting)")
HR_WITH_BASIS = N_("{range} bpm ({basis})")
PERCENT = N_("{percent}%")
EVIDENCE_IDS = N_("{text} ({ids})")
