"""The clinic export's one codebook: every file, every column, its type, unit, meaning and the
codes it may hold with their words. The CSV writer (clinic_csv.py) refuses a column that is not
here, and codebook.csv is written from here, so a column cannot leave undescribed.

Column names are stable codes for analysis (snake_case, the unit in the name: `fvc_l`,
`six_minute_walk_m`, `delta_frs_per_month`); cells hold codes and numbers, never words, so a
file reads the same in every language; the words live in codebook.csv, in the reader's
language. Types: `date` YYYY-MM-DD; `datetime` UTC ISO 8601, YYYY-MM-DDTHH:MM:SSZ; `boolean`
1 or 0; `codes` several codes separated by `;`; an empty cell is a value not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from alsrx.domain.followup import skips
from alsrx.domain.followup.model import SYMPTOMS, Completion, Severity
from alsrx.domain.prescription.inputs import MRC_KEYS, MUSCLES, SIDES
from alsrx.domain.prescription.model import ComponentType
from alsrx.domain.scales import alsfrs_r
from alsrx.i18n import N_
from alsrx.render import alert_words, alsfrs_anchors, assessment_text, symptom_advice
from alsrx.render import prescription_labels as rx_labels

TYPES = ("id", "code", "codes", "integer", "number", "boolean", "date", "datetime")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str  # a message id; its {fields} are filled with `params`, translated
    unit: str = ""  # UCUM-style where there is one ("L", "%", "/min", "cm[H2O]"), else ""
    codes: tuple[tuple[str, str], ...] = ()  # (code as written, its words as a message id)
    params: tuple[tuple[str, str], ...] = ()  # (field, message id): an item's or muscle's name

    def __post_init__(self) -> None:
        assert self.type in TYPES, self.type


@dataclass(frozen=True)
class File:
    name: str  # the CSV's name in the archive, also the API's `table` choice without `.csv`
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def key(self) -> str:
        return self.name.removesuffix(".csv")


YES_NO = (("1", N_("yes")), ("0", N_("no")))


def _patient() -> Column:
    return Column(
        "patient_code",
        "id",
        N_("The patient's code at this centre (never a name, contact or birth date)"),
    )


def _id(name: str, description: str) -> Column:
    return Column(name, "id", description)


def _n(name: str, description: str, unit: str = "") -> Column:
    return Column(name, "number", description, unit)


def _i(name: str, description: str, unit: str = "") -> Column:
    return Column(name, "integer", description, unit)


def _code(name: str, description: str, codes: dict[str, str] | None = None) -> Column:
    return Column(name, "code", description, codes=tuple((codes or {}).items()))


def _flag(name: str, description: str) -> Column:
    return Column(name, "boolean", description, codes=YES_NO)


def _when(name: str, description: str) -> Column:
    return Column(name, "datetime", description)


ENTERED_AS = {
    "clinician": N_("Clinician"),
    "patient": N_("Patient"),
    "caregiver": N_("Caregiver"),
}
ITEM_SCORES = tuple((str(n), str(n)) for n in range(alsfrs_r.ITEM_MIN, alsfrs_r.ITEM_MAX + 1))
ITEM_TITLES = {code: title for code, title, _anchors in alsfrs_anchors.ITEMS}
KINGS = {s: s for s in ("1", "2", "3", "4A", "4B", "4A+4B")}
KINGS_WORDS = N_(
    "King's clinical stage, estimated from the ALSFRS-R (Balendra 2014): 1-3 regions involved; "
    "4A gastrostomy; 4B non-invasive ventilation; 4A+4B both"
)
MITOS = {str(n): str(n) for n in range(5)}
BMI_CLASSES = {
    "underweight": N_("underweight"),
    "normal": N_("normal"),
    "overweight": N_("overweight"),
    "obese": N_("obese"),
}
HR_MAX_SOURCES = assessment_text.MAX_SOURCE
MRC_GRADES = tuple((str(n), str(n)) for n in range(6))


def _item(code: str) -> Column:
    return Column(
        code,
        "integer",
        N_("ALSFRS-R, {item}: score 0-4 (4 = normal)"),
        "{score}",
        codes=ITEM_SCORES,
        params=(("item", ITEM_TITLES[code]),),
    )


def _mrc(key: str) -> Column:
    muscle, side = next((m, s) for m in MUSCLES for s in SIDES if key == f"{m}_{s}")
    return Column(
        f"mrc_{key}",
        "integer",
        N_("MRC grade 0-5 (5 = normal): {muscle}, {side}"),
        "{grade}",
        codes=MRC_GRADES,
        params=(("muscle", rx_labels.MUSCLES[muscle]), ("side", rx_labels.SIDES[side])),
    )


ASSESSMENTS = File(
    "assessments.csv",
    N_(
        "One row per version of an assessment (a correction adds a version; is_current marks "
        "the one in force): values as entered and the values alsrx derived from them then"
    ),
    (
        _patient(),
        _id("assessment_id", N_("This version's identifier")),
        _id("series_id", N_("Identifier shared by every version of the same assessment")),
        _i("version", N_("Version of the assessment (1 = as first entered)")),
        _flag("is_current", N_("This version is the one in force")),
        Column("date", "date", N_("Date of the assessment")),
        _code("entered_as", N_("Who entered it"), ENTERED_AS),
        _when("confirmed_at", N_("When a clinician confirmed a patient's or caregiver's entry")),
        _when("created_at", N_("When this version was stored")),
        _code("alsfrs_r_mode", N_("How the ALSFRS-R was administered"), assessment_text.MODES),
        *(_item(code) for code in alsfrs_r.ALL_ITEM_KEYS),
        _flag("gastrostomy", N_("Gastrostomy in place (item 5b answered instead of 5a)")),
        _i("alsfrs_r_total", N_("ALSFRS-R total (0-48)"), "{score}"),
        _i("alsfrs_r_bulbar", N_("ALSFRS-R bulbar domain, items 1-3 (0-12)"), "{score}"),
        _i("alsfrs_r_fine_motor", N_("ALSFRS-R fine motor domain, items 4-6 (0-12)"), "{score}"),
        _i("alsfrs_r_gross_motor", N_("ALSFRS-R gross motor domain, items 7-9 (0-12)"), "{score}"),
        _i(
            "alsfrs_r_respiratory", N_("ALSFRS-R respiratory domain, items 10-12 (0-12)"), "{score}"
        ),
        _code("kings_stage", KINGS_WORDS, KINGS),
        _code("mitos_stage", N_("MiToS stage (Chiò 2015): functional domains lost, 0-4"), MITOS),
        _n(
            "delta_frs_per_month",
            N_("ΔFRS: ALSFRS-R points lost per month since symptom onset"),
            "{score}/mo",
        ),
        _code(
            "progression_category",
            N_("Progression category from ΔFRS (cut-offs in progression_cutoffs)"),
            assessment_text.CATEGORY,
        ),
        _code("progression_cutoffs", N_("Which published ΔFRS cut-offs the category used")),
        _n("months_since_onset", N_("Months from symptom onset to the assessment"), "mo"),
        _n("fvc_l", N_("Forced vital capacity (FVC), as measured"), "L"),
        _n("fvc_predicted_l", N_("FVC predicted (GLI-2012)"), "L"),
        _n("fvc_percent_predicted", N_("FVC, % of predicted (GLI-2012)"), "%"),
        _n("fvc_z_score", N_("FVC z-score (GLI-2012)"), "{Zscore}"),
        _n("fvc_lln_l", N_("FVC lower limit of normal (GLI-2012)"), "L"),
        _flag("fvc_below_lln", N_("FVC below the lower limit of normal")),
        _n("six_minute_walk_m", N_("Six-minute walk test (6MWT) distance, as measured"), "m"),
        _n("six_minute_walk_predicted_m", N_("Six-minute walk distance predicted"), "m"),
        _n("six_minute_walk_percent_predicted", N_("Six-minute walk, % of predicted"), "%"),
        _n("resting_hr_bpm", N_("Resting heart rate, as measured"), "/min"),
        _n("hr_max_bpm", N_("Maximal heart rate used for targets"), "/min"),
        _code("hr_max_source", N_("Where the maximal heart rate came from"), HR_MAX_SOURCES),
        _n("cpet_peak_hr_bpm", N_("Peak heart rate reached at CPET"), "/min"),
        _n(
            "cpet_anaerobic_threshold_hr_bpm",
            N_("Heart rate at the anaerobic (ventilatory) threshold, CPET"),
            "/min",
        ),
        _n("cpet_vo2peak_ml_kg_min", N_("Peak oxygen uptake, CPET"), "mL/kg/min"),
        _n("cpet_peak_work_w", N_("Peak work rate, CPET"), "W"),
        _n("mep_cmh2o", N_("Maximal expiratory pressure"), "cm[H2O]"),
        _n("mip_cmh2o", N_("Maximal inspiratory pressure"), "cm[H2O]"),
        _n("snip_cmh2o", N_("Sniff nasal inspiratory pressure"), "cm[H2O]"),
        _n("weight_kg", N_("Weight"), "kg"),
        _n("bmi_kg_m2", N_("Body-mass index"), "kg/m2"),
        _code("bmi_class_who", N_("BMI class (WHO)"), BMI_CLASSES),
        *(_mrc(key) for key in MRC_KEYS),
    ),
)

PRESCRIPTION_STATUSES = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "superseded": N_("Superseded"),
    "rejected": N_("Rejected"),
}
ORIGIN_WORDS = N_(
    "Where the version came from: engine (drafted from an assessment) or proposal:<kind> (a "
    "follow-up proposal); +edited at the end when a clinician edited the draft"
)
COMPONENTS = {t.value: rx_labels.COMPONENTS[t.value] for t in ComponentType}
COMPONENT_LIST = N_("Exercise components of the plan, separated by ;")

PRESCRIPTIONS = File(
    "prescriptions.csv",
    N_(
        "One row per version of a prescription (draft, active, superseded or rejected); its "
        "components are in prescription_components.csv, one row each"
    ),
    (
        _patient(),
        _id("prescription_id", N_("This version's identifier")),
        _i("version", N_("Version of the prescription")),
        _code("status", N_("Status of this version"), PRESCRIPTION_STATUSES),
        _code("engine_status", N_("What the engine judged when drafting"), rx_labels.STATUS),
        _code("origin", ORIGIN_WORDS),
        _code("proposal_kind", N_("Kind of follow-up proposal"), rx_labels.PROPOSAL_KINDS),
        _id("supersedes_id", N_("The version this one replaced")),
        _id("assessment_id", N_("The assessment version it was drafted from")),
        _when("created_at", N_("When this version was drafted")),
        _i("created_by_user_id", N_("User who drafted it (alsrx user id; 0 = the system)")),
        _when("approved_at", N_("When a clinician approved it")),
        _i("approved_by_user_id", N_("Clinician who approved it (alsrx user id)")),
        _id("approved_by_username", N_("Clinician who approved it (user name)")),
        Column("starts_on", "date", N_("First day of the plan")),
        _i("planned_sessions_per_week", N_("Sessions planned a week, all components"), "/wk"),
        Column("components", "codes", COMPONENT_LIST, codes=tuple(COMPONENTS.items())),
        _i("review_after_weeks", N_("Weeks until the plan should be reviewed"), "wk"),
    ),
)

HR_BASIS = rx_labels.HR_BASIS


def _span(name: str, description: str, unit: str) -> tuple[Column, Column]:
    what = (("what", description),)
    return (
        Column(f"{name}_min", "number", N_("{what}, at least"), unit, params=what),
        Column(f"{name}_max", "number", N_("{what}, at most"), unit, params=what),
    )


COMPONENT_ROWS = File(
    "prescription_components.csv",
    N_("One row per exercise component of each prescription version: its prescribed dose"),
    (
        _patient(),
        _id("prescription_id", N_("The prescription version (prescriptions.csv)")),
        _i("version", N_("Version of the prescription")),
        _code("status", N_("Status of the prescription version"), PRESCRIPTION_STATUSES),
        _code("component", N_("Exercise component"), COMPONENTS),
        *_span("sessions_per_week", N_("Sessions a week"), "/wk"),
        *_span("minutes_per_session", N_("Minutes a session"), "min"),
        *_span("hr", N_("Target heart rate"), "/min"),
        _code("hr_basis", N_("How the heart-rate range was found"), HR_BASIS),
        *_span("percent_hrr", N_("Intensity, % of heart-rate reserve"), "%"),
        *_span("rpe", N_("Effort (Borg 6-20 scale)"), "{Borg 6-20}"),
        *_span("percent_mep", N_("Training load, % of maximal expiratory pressure"), "%"),
        _n("device_pressure_cmh2o", N_("Training device pressure"), "cm[H2O]"),
        _code("load", N_("Load, as the engine codes it")),
        *_span("sets", N_("Sets"), ""),
        *_span("repetitions", N_("Repetitions"), ""),
        *_span("rest_seconds", N_("Rest between sets"), "s"),
        _code("setting", N_("Where and with whom, as the engine codes it")),
        _flag("requires_clinician_review", N_("The engine asked for a clinician's review")),
        Column("exercises", "codes", N_("Library exercises chosen, in order, separated by ;")),
    ),
)

COMPLETIONS = {
    Completion.DONE.value: N_("Done"),
    Completion.PARTIAL.value: N_("Partly done"),
    Completion.SKIPPED.value: N_("Skipped"),
    Completion.STOPPED.value: N_("Stopped for a symptom"),
}
SKIP_CODES = {**alert_words.SKIP_REASONS}
SYMPTOM_CODES = dict(symptom_advice.SYMPTOM_LABELS)
assert set(SYMPTOM_CODES) == set(SYMPTOMS)
assert set(SKIP_CODES) == {*skips.REASONS, skips.OTHER}

SESSION_LOGS = File(
    "session_logs.csv",
    N_(
        "One row per logged exercise session, with the plan's target at the time; undone "
        "sessions are included and marked by undone_at (alsrx counts them nowhere)"
    ),
    (
        _patient(),
        _id("session_id", N_("The session's identifier")),
        _id("prescription_id", N_("The prescription version in force")),
        Column("date", "date", N_("Day of the session")),
        _code("component", N_("Exercise component"), COMPONENTS),
        _code("completed", N_("How much was done"), COMPLETIONS),
        _code(
            "skip_reason",
            N_("Why it was skipped (other: any other reason given; the words are not exported)"),
            SKIP_CODES,
        ),
        _n("duration_min", N_("Duration"), "min"),
        _n("avg_hr_bpm", N_("Average heart rate"), "/min"),
        _n("max_hr_bpm", N_("Highest heart rate"), "/min"),
        _n("rpe", N_("Effort (Borg 6-20 scale)"), "{Borg 6-20}"),
        _i("sets", N_("Sets done")),
        _i("repetitions", N_("Repetitions done")),
        _n("fatigue_recovery_min", N_("Time to recover from fatigue"), "min"),
        Column(
            "symptoms",
            "codes",
            N_("Symptoms reported, separated by ;"),
            codes=tuple(SYMPTOM_CODES.items()),
        ),
        _n("planned_minutes_max", N_("Planned minutes, at most"), "min"),
        _n("planned_hr_min_bpm", N_("Planned heart rate, at least"), "/min"),
        _n("planned_hr_max_bpm", N_("Planned heart rate, at most"), "/min"),
        _n("planned_rpe_max", N_("Planned effort, at most (Borg 6-20)"), "{Borg 6-20}"),
        _n("planned_sets", N_("Planned sets")),
        _n("planned_repetitions", N_("Planned repetitions")),
        _flag("filled_from_plan", N_("Logged with one tap as planned (values from the plan)")),
        _code("entered_as", N_("Who logged it"), ENTERED_AS),
        _when("created_at", N_("When it was logged")),
        _when("undone_at", N_("When the log was taken back (empty: in force)")),
    ),
)

ALERT_CODES = dict(alert_words.ALERT_TYPES)
SEVERITIES = {
    Severity.INFO.value: N_("info"),
    Severity.WARNING.value: N_("warning"),
    Severity.URGENT.value: N_("urgent"),
}
ALERT_STATUSES = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "resolved": N_("resolved"),
}
ALERT_SOURCES = {
    "session": N_("a logged session"),
    "assessment": N_("an assessment"),
    "scan": N_("the daily follow-up scan"),
}

ALERTS = File(
    "alerts.csv",
    N_("One row per alert raised for the patient"),
    (
        _patient(),
        _id("alert_id", N_("The alert's identifier")),
        _code("code", N_("Alert type"), ALERT_CODES),
        _code("severity", N_("Severity"), SEVERITIES),
        _code("status", N_("Status"), ALERT_STATUSES),
        _code("source", N_("What raised it"), ALERT_SOURCES),
        _id("source_id", N_("The session or assessment that raised it")),
        Column("raised_on", "date", N_("Clinical day it was raised")),
        _when("created_at", N_("When it was stored")),
        _when("acknowledged_at", N_("When a clinician acknowledged it")),
        _i("acknowledged_by_user_id", N_("Clinician who acknowledged it (alsrx user id)")),
        _when("resolved_at", N_("When it was resolved")),
        _i("resolved_by_user_id", N_("Who resolved it (alsrx user id; empty: the system)")),
        Column("evidence", "codes", N_("Evidence records behind the alert, separated by ;")),
    ),
)

FILES = (ASSESSMENTS, PRESCRIPTIONS, COMPONENT_ROWS, SESSION_LOGS, ALERTS)
BY_KEY = {f.key: f for f in FILES}
