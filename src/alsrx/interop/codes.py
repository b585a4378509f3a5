"""The codes and addresses alsrx speaks FHIR with: one owner for every system, code and unit.

Export and import both read this module, so a code can never be written one way and read
another. Standard terminologies where a code exists (LOINC, SNOMED CT, UCUM, FHIR's own code
systems); where none exists (ALSFRS-R items, King's and MiToS stages, ΔFRS, MRC grades) a
local code system under alsrx's canonical base, published with the export.

Sources: FHIR R4B (4.3.0) core specification (Observation, vital-signs profiles, observation
category codes); LOINC 2.76 for the codes named below; SNOMED CT 86044005 "Amyotrophic lateral
sclerosis (disorder)" and 229065009 "Exercise therapy (regime/therapy)".
"""

from __future__ import annotations

from dataclasses import dataclass

FHIR_VERSION = "4.3.0"
CANONICAL = "https://alsrx.example/fhir"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
CORE_PROFILE = "http://hl7.org/fhir/StructureDefinition/"

ALS_SNOMED = "86044005"
EXERCISE_THERAPY_SNOMED = "229065009"

# alsrx's own code systems (published as CodeSystem resources by the export).
ALSFRS_R_SYSTEM = f"{CANONICAL}/CodeSystem/alsfrs-r"  # items, the total and the four domains
OBSERVATION_SYSTEM = f"{CANONICAL}/CodeSystem/observation"  # stages, ΔFRS, MRC, qualifiers
ADMINISTRATION_SYSTEM = f"{CANONICAL}/CodeSystem/administration-mode"
COMPONENT_SYSTEM = f"{CANONICAL}/CodeSystem/exercise-component"
EXERCISE_SYSTEM = f"{CANONICAL}/CodeSystem/exercise"
SYMPTOM_SYSTEM = f"{CANONICAL}/CodeSystem/symptom"
COMPLETION_SYSTEM = f"{CANONICAL}/CodeSystem/session-completion"
ONSET_REGION_SYSTEM = f"{CANONICAL}/CodeSystem/onset-region"
EVIDENCE_SYSTEM = f"{CANONICAL}/CodeSystem/evidence"
KINGS_SYSTEM = f"{CANONICAL}/CodeSystem/kings-stage"
PROGRESSION_SYSTEM = f"{CANONICAL}/CodeSystem/progression-category"
LOAD_SYSTEM = f"{CANONICAL}/CodeSystem/exercise-load"

# Identifier systems: which alsrx row a resource came from (the import's duplicate key).
PATIENT_CODE_IDENTIFIER = f"{CANONICAL}/identifier/patient-code"
RESEARCH_ID_IDENTIFIER = f"{CANONICAL}/identifier/research-id"
ASSESSMENT_IDENTIFIER = f"{CANONICAL}/identifier/assessment"
OBSERVATION_IDENTIFIER = f"{CANONICAL}/identifier/observation"
PRESCRIPTION_IDENTIFIER = f"{CANONICAL}/identifier/prescription"
SESSION_LOG_IDENTIFIER = f"{CANONICAL}/identifier/session-log"
USER_IDENTIFIER = f"{CANONICAL}/identifier/user"

ALSFRS_R_QUESTIONNAIRE = f"{CANONICAL}/Questionnaire/alsfrs-r"
ALSFRS_R_QUESTIONNAIRE_VERSION = "1.0.0"
GASTROSTOMY_ITEM = "gastrostomy"  # the boolean item that enables q5a or q5b

# Extensions and profiles (StructureDefinitions shipped in interop/definitions/).
STRUCTURE = f"{CANONICAL}/StructureDefinition"
EXT_ADMINISTRATION_MODE = f"{STRUCTURE}/alsfrs-r-administration-mode"
EXT_SETS = f"{STRUCTURE}/exercise-sets"
EXT_REPETITIONS = f"{STRUCTURE}/exercise-repetitions"
EXT_LOAD = f"{STRUCTURE}/exercise-load"
EXT_HR_CEILING = f"{STRUCTURE}/exercise-heart-rate-ceiling"
EXT_RPE_RANGE = f"{STRUCTURE}/exercise-rpe-range"
EXT_SESSIONS_PER_WEEK = f"{STRUCTURE}/exercise-sessions-per-week"
EXT_MINUTES_PER_SESSION = f"{STRUCTURE}/exercise-minutes-per-session"
EXT_EVIDENCE = f"{STRUCTURE}/evidence"
EXT_PRESCRIPTION_VERSION = f"{STRUCTURE}/prescription-version"
EXT_APPROVAL = f"{STRUCTURE}/prescription-approval"
PROFILE_ALSFRS_R_SCORE = f"{STRUCTURE}/alsfrs-r-score"
PROFILE_EXERCISE_REQUEST = f"{STRUCTURE}/exercise-service-request"
PROFILES = (PROFILE_ALSFRS_R_SCORE, PROFILE_EXERCISE_REQUEST)

# Observation categories (FHIR's observation-category code system).
SURVEY, VITAL_SIGNS, EXAM, ACTIVITY = "survey", "vital-signs", "exam", "activity"

BORG_6_20 = "Borg rating of perceived exertion, 6-20 scale (Borg 1982)"


@dataclass(frozen=True)
class Measure:
    """How one measured or derived value is coded: its field in alsrx's assessment input (None
    for values the core derives), the coding, the UCUM unit and the category."""

    key: str
    system: str
    code: str
    display: str
    unit: str | None  # UCUM code; None for a coded or integer value
    category: str
    field: str | None = None  # the assessment-input path, "cpet.peak_hr_bpm"; None: derived
    profile: str | None = None  # a core profile the Observation conforms to
    qualifier: str | None = None  # a second, local coding telling apart two uses of one code
    places: int = 0  # decimals written at least (FHIR decimals keep precision: 3.10 L)


def _local(
    key: str,
    display: str,
    unit: str | None,
    category: str,
    *,
    field: str | None = None,
    places: int = 0,
) -> Measure:
    return Measure(
        key, OBSERVATION_SYSTEM, key, display, unit, category, field=field, places=places
    )


MEASURES: tuple[Measure, ...] = (
    Measure(
        "fvc",
        LOINC,
        "19870-5",
        "Forced vital capacity [Volume] Respiratory system",
        "L",
        EXAM,
        field="fvc_l",
        places=2,
    ),
    Measure(
        "fvc-percent-predicted", LOINC, "19872-1", "FVC measured/predicted", "%", EXAM, places=1
    ),
    _local("fvc-z-score", "FVC z-score (GLI-2012)", "{Zscore}", EXAM, places=2),
    Measure(
        "six-minute-walk",
        LOINC,
        "64098-7",
        "Six minute walk test",
        "m",
        EXAM,
        field="six_minute_walk_m",
    ),
    Measure(
        "heart-rate-rest",
        LOINC,
        "8867-4",
        "Heart rate",
        "/min",
        VITAL_SIGNS,
        field="resting_hr_bpm",
        profile=CORE_PROFILE + "heartrate",
        qualifier="heart-rate-rest",
    ),
    Measure(
        "heart-rate-cpet-peak",
        LOINC,
        "8867-4",
        "Heart rate",
        "/min",
        EXAM,
        field="cpet.peak_hr_bpm",
        qualifier="heart-rate-cpet-peak",
    ),
    _local(
        "cpet-anaerobic-threshold-hr",
        "Heart rate at the anaerobic threshold (CPET)",
        "/min",
        EXAM,
        field="cpet.anaerobic_threshold_hr_bpm",
    ),
    _local(
        "cpet-vo2peak",
        "Peak oxygen uptake (CPET)",
        "mL/kg/min",
        EXAM,
        field="cpet.vo2peak_ml_kg_min",
        places=1,
    ),
    _local("cpet-peak-work", "Peak work rate (CPET)", "W", EXAM, field="cpet.peak_work_w"),
    _local("mep", "Maximal expiratory pressure", "cm[H2O]", EXAM, field="mep_cmh2o"),
    _local("mip", "Maximal inspiratory pressure", "cm[H2O]", EXAM, field="mip_cmh2o"),
    _local("snip", "Sniff nasal inspiratory pressure", "cm[H2O]", EXAM, field="snip_cmh2o"),
    Measure(
        "body-weight",
        LOINC,
        "29463-7",
        "Body weight",
        "kg",
        VITAL_SIGNS,
        field="weight_kg",
        profile=CORE_PROFILE + "bodyweight",
        places=1,
    ),
    Measure(
        "body-height",
        LOINC,
        "8302-2",
        "Body height",
        "cm",
        VITAL_SIGNS,
        profile=CORE_PROFILE + "bodyheight",
        places=1,
    ),
    Measure(
        "bmi",
        LOINC,
        "39156-5",
        "Body mass index (BMI) [Ratio]",
        "kg/m2",
        VITAL_SIGNS,
        profile=CORE_PROFILE + "bmi",
        places=1,
    ),
    _local("kings-stage", "King's clinical stage (estimated from ALSFRS-R)", None, SURVEY),
    _local("mitos-stage", "MiToS stage", None, SURVEY),
    _local(
        "delta-frs",
        "ΔFRS: ALSFRS-R points lost per month since onset",
        "{score}/mo",
        SURVEY,
        places=3,
    ),
    _local("progression-category", "Progression category (ΔFRS)", None, SURVEY),
)
BY_KEY = {m.key: m for m in MEASURES}
# What a person reads for the two heart rates that share LOINC 8867-4 (the code's text and the
# qualifier's display): an EHR flowsheet that sorts by LOINC shows them apart only by these.
QUALIFIER_TEXT = {
    "heart-rate-rest": "Resting heart rate",
    "heart-rate-cpet-peak": "Peak heart rate (CPET)",
}
UCUM_DISPLAY = {"/min": "beats/minute", "{score}/mo": "points/month", "{Zscore}": "z-score"}

# MRC grades: one local code per muscle and side, "mrc-knee_extension_left" (MRC_KEYS).
MRC_PREFIX = "mrc-"

# Session logs (category activity): the duration is the value; these are its components.
EXERCISE_DURATION = ("55411-3", "Exercise duration")
RPE = ("82289-0", "Perceived exertion rating scale")
HEART_RATE = ("8867-4", "Heart rate")

# What the import reads (services/fhir_import.py): the statuses a record it stores may have
# (a draft or an entry in error is no assessment), and the resources it accepts as context.
QUESTIONNAIRE_RESPONSE_STATUSES = ("completed", "amended")
OBSERVATION_STATUSES = ("final", "amended", "corrected")
CONTEXT_RESOURCES = (
    "Patient",
    "Condition",
    "Questionnaire",
    "CodeSystem",
    "StructureDefinition",
    "Practitioner",
    "RelatedPerson",
    "CarePlan",
    "ServiceRequest",
)
