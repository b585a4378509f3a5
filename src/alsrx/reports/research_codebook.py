"""The research export's files and columns: the one codebook the CSV writer and the data
dictionary both read, so a column cannot be written without being described.

Column names follow PRO-ACT (the Pooled Resource Open-Access ALS Clinical Trials database's
data dictionary) where the concept matches, so that an analysis can join the two:
`ALSFRS_Delta`, `Q1_Speech` ... `R_3_Respiratory_Insufficiency`, `ALSFRS_R_Total`,
`Forced_Vital_Capacity_Delta`, `Subject_Liters_Trial_1`, `pct_of_Normal_Trial_1`,
`Vital_Signs_Delta`, `Weight`, `Height`. One difference is deliberate and said in the
codebook: PRO-ACT counts delta days from trial entry; alsrx counts them from symptom onset
(PRO-ACT's `Onset_Delta` is negative for that reason), so every alsrx delta is >= 0.
Columns without a PRO-ACT counterpart use alsrx names in the same style.
"""

from __future__ import annotations

from dataclasses import dataclass

from alsrx.domain.prescription.inputs import MUSCLES, SIDES
from alsrx.i18n import N_

PROACT = "PRO-ACT"
ALSRX = "alsrx"


@dataclass(frozen=True)
class Column:
    name: str
    unit: str  # UCUM-style where there is one ("d", "mo", "L", "%", "kg", "cm", "/min"), else ""
    description: str  # a message id (English), translated when the codebook is written
    codes: str = ""  # the values a coded column takes, as written in the file
    naming: str = ALSRX  # PROACT when the name is PRO-ACT's


@dataclass(frozen=True)
class Table:
    file: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _id() -> Column:
    return Column("research_id", "", N_("Random research identifier of the patient"))


def _delta(name: str, naming: str = PROACT) -> Column:
    return Column(name, "d", N_("Days from symptom onset (0 = onset)"), naming=naming)


SEX_CODES = "Male | Female"
REGION_CODES = "bulbar | spinal | upper_limb | lower_limb | trunk | respiratory | generalised"
COMPONENT_CODES = "aerobic | resistance | respiratory_muscle | flexibility | balance_functional"

PATIENTS = Table(
    "patients.csv",
    N_("One row per patient: centre, demographics in bands and the baseline assessment"),
    (
        _id(),
        Column("Site", "", N_("Centre (name)")),
        Column("Sex", "", N_("Sex"), SEX_CODES, PROACT),
        Column("Age_Band", "a", N_("Age at baseline in 5-year bands, 90 or older as 90+")),
        Column("Onset_Region", "", N_("Region of symptom onset"), REGION_CODES),
        Column("Diagnostic_Delay_Months", "mo", N_("Months from symptom onset to diagnosis")),
        Column("Baseline_Year_Band", "", N_("Calendar years of the baseline visit, 5-year band")),
        _delta("Baseline_Delta", ALSRX),
        Column("Baseline_ALSFRS_R_Total", "{score}", N_("ALSFRS-R total at baseline (0-48)")),
        Column("Baseline_Kings_Stage", "", N_("King's stage at baseline"), "1 | 2 | 3 | 4A | 4B"),
        Column("Baseline_MiToS_Stage", "", N_("MiToS stage at baseline"), "0 | 1 | 2 | 3 | 4"),
        Column(
            "Baseline_Progression_Category",
            "",
            N_("Progression category at baseline (ΔFRS cut-offs named in Progression_Cutoffs)"),
            "slow | intermediate | fast",
        ),
        Column("Progression_Cutoffs", "", N_("Which ΔFRS cut-off set the category uses")),
        Column(
            "Programme_Components",
            "",
            N_("Exercise components of the first approved plan, separated by ;"),
            COMPONENT_CODES,
        ),
        Column("Onset_Date_Shifted", "", N_("Symptom onset date, shifted (only with a shift)")),
    ),
)

ITEMS = (
    ("q1_speech", "Q1_Speech"),
    ("q2_salivation", "Q2_Salivation"),
    ("q3_swallowing", "Q3_Swallowing"),
    ("q4_handwriting", "Q4_Handwriting"),
    ("q5a_cutting_food", "Q5a_Cutting_without_Gastrostomy"),
    ("q5b_cutting_food_gastrostomy", "Q5b_Cutting_with_Gastrostomy"),
    ("q6_dressing_hygiene", "Q6_Dressing_and_Hygiene"),
    ("q7_turning_in_bed", "Q7_Turning_in_Bed"),
    ("q8_walking", "Q8_Walking"),
    ("q9_climbing_stairs", "Q9_Climbing_Stairs"),
    ("q10_dyspnea", "R_1_Dyspnea"),
    ("q11_orthopnea", "R_2_Orthopnea"),
    ("q12_respiratory_insufficiency", "R_3_Respiratory_Insufficiency"),
)
DOMAINS = (
    ("bulbar", "ALSFRS_R_Bulbar"),
    ("fine_motor", "ALSFRS_R_Fine_Motor"),
    ("gross_motor", "ALSFRS_R_Gross_Motor"),
    ("respiratory", "ALSFRS_R_Respiratory"),
)
ALSFRS = Table(
    "alsfrs.csv",
    N_("One row per visit with an ALSFRS-R: items, domains, total and stages"),
    (
        _id(),
        _delta("ALSFRS_Delta"),
        *(
            Column(name, "{score}", N_("ALSFRS-R item score (0-4)"), "0 | 1 | 2 | 3 | 4", PROACT)
            for _, name in ITEMS
        ),
        Column("ALSFRS_R_Total", "{score}", N_("ALSFRS-R total (0-48)"), naming=PROACT),
        *(Column(name, "{score}", N_("ALSFRS-R domain score (0-12)")) for _, name in DOMAINS),
        Column("Gastrostomy", "", N_("Gastrostomy in place (item 5b answered)"), "0 | 1"),
        Column(
            "Administration",
            "",
            N_("How the scale was administered"),
            "clinician | self | caregiver | telephone",
        ),
        Column("DeltaFRS", "{score}/mo", N_("ΔFRS: (48 - total) / months since onset")),
        Column(
            "Kings_Stage",
            "",
            N_("King's stage (estimated from the ALSFRS-R)"),
            "1 | 2 | 3 | 4A | 4B",
        ),
        Column("MiToS_Stage", "", N_("MiToS stage"), "0 | 1 | 2 | 3 | 4"),
        Column("Visit_Date_Shifted", "", N_("Visit date, shifted (only with a shift)")),
    ),
)

FVC = Table(
    "fvc.csv",
    N_("One row per visit with a forced vital capacity"),
    (
        _id(),
        _delta("Forced_Vital_Capacity_Delta"),
        Column("Subject_Liters_Trial_1", "L", N_("FVC measured (best trial)"), naming=PROACT),
        Column("Subject_Normal", "L", N_("FVC predicted (GLI-2012)"), naming=PROACT),
        Column("pct_of_Normal_Trial_1", "%", N_("FVC, % of predicted"), naming=PROACT),
        Column("FVC_Z_Score", "{Zscore}", N_("FVC z-score (GLI-2012)")),
        Column("Visit_Date_Shifted", "", N_("Visit date, shifted (only with a shift)")),
    ),
)

MRC_COLUMNS = tuple(
    (f"{m}_{side}", f"MRC_{m.title()}_{side.title()}") for m in MUSCLES for side in SIDES
)  # MRC_Shoulder_Abduction_Left ...
FUNCTION = Table(
    "function.csv",
    N_("One row per visit: walking, strength and respiratory pressures"),
    (
        _id(),
        _delta("Visit_Delta", ALSRX),
        Column("Six_Minute_Walk_m", "m", N_("Six-minute walk distance")),
        Column("Six_Minute_Walk_Pct_Predicted", "%", N_("Six-minute walk, % of predicted")),
        *(
            Column(name, "{grade}", N_("MRC grade (0-5)"), "0 | 1 | 2 | 3 | 4 | 5")
            for _, name in MRC_COLUMNS
        ),
        Column("MIP_cmH2O", "cm[H2O]", N_("Maximal inspiratory pressure")),
        Column("MEP_cmH2O", "cm[H2O]", N_("Maximal expiratory pressure")),
        Column("SNIP_cmH2O", "cm[H2O]", N_("Sniff nasal inspiratory pressure")),
        Column("Visit_Date_Shifted", "", N_("Visit date, shifted (only with a shift)")),
    ),
)

VITALS = Table(
    "vitals.csv",
    N_("One row per visit: weight, height and BMI"),
    (
        _id(),
        _delta("Vital_Signs_Delta"),
        Column("Weight", "kg", N_("Weight"), naming=PROACT),
        Column("Weight_Units", "", N_("Unit of Weight"), "Kilograms", PROACT),
        Column("Height", "cm", N_("Height"), naming=PROACT),
        Column("Height_Units", "", N_("Unit of Height"), "Centimeters", PROACT),
        Column("BMI", "kg/m2", N_("Body-mass index")),
        Column("Visit_Date_Shifted", "", N_("Visit date, shifted (only with a shift)")),
    ),
)

SKIP_CODES = (  # followup/skips.py's reason codes, each with its column
    ("too tired", "Skipped_Too_Tired"),
    ("unwell", "Skipped_Unwell"),
    ("no time", "Skipped_No_Time"),
    ("no helper today", "Skipped_No_Helper"),
    ("other", "Skipped_Other_Reason"),
)
SKIP_WORDS = {
    "too tired": N_("Sessions skipped as too tired"),
    "unwell": N_("Sessions skipped as unwell"),
    "no time": N_("Sessions skipped for lack of time"),
    "no helper today": N_("Sessions skipped with no helper that day"),
    "other": N_("Sessions skipped for another or no reason given"),
}
EXPOSURE = Table(
    "exposure_weeks.csv",
    N_(
        "One row per patient, ISO week and exercise component planned or logged: the "
        "prescribed dose beside what was done"
    ),
    (
        _id(),
        _delta("Week_Delta", ALSRX),
        Column("Component", "", N_("Exercise component"), COMPONENT_CODES),
        Column("Programme_Week", "wk", N_("Week of the programme whose dose applied")),
        Column("Plan_Phase", "", N_("Phase of the plan (1 = first progression step)")),
        Column("Plan_Version", "", N_("Version of the approved plan in force")),
        Column("Sessions_Per_Week_Min", "/wk", N_("Prescribed sessions a week, at least")),
        Column("Sessions_Per_Week_Max", "/wk", N_("Prescribed sessions a week, at most")),
        Column("Minutes_Per_Session_Max", "min", N_("Prescribed minutes a session, at most")),
        Column("HR_Ceiling_bpm", "/min", N_("Prescribed heart-rate ceiling")),
        Column("RPE_Max", "{Borg 6-20}", N_("Prescribed effort ceiling (Borg 6-20)")),
        Column("Sets", "", N_("Prescribed sets")),
        Column("Repetitions", "", N_("Prescribed repetitions")),
        Column("Planned", "", N_("Sessions planned that week (the adherence denominator)")),
        Column("Done", "", N_("Sessions done as planned")),
        Column("Partial", "", N_("Sessions done in part")),
        Column("Skipped", "", N_("Sessions skipped")),
        Column("Stopped", "", N_("Sessions stopped for a red flag")),
        Column("Minutes_Done", "min", N_("Minutes exercised")),
        Column("Adherence", "1", N_("Adherence: capped credit over planned sessions (0-1)")),
        Column("Mean_RPE", "{Borg 6-20}", N_("Mean effort reported")),
        Column("Mean_Fatigue_Recovery_Min", "min", N_("Mean time to recover from fatigue")),
        Column("Sessions_With_HR_In_Range", "", N_("Sessions with heart rate in target range")),
        Column("Sessions_With_Symptoms", "", N_("Sessions reporting a symptom")),
        *(Column(name, "", SKIP_WORDS[code]) for code, name in SKIP_CODES),
        Column("Week_Start_Shifted", "", N_("Monday of the week, shifted (only with a shift)")),
    ),
)

ALERTS = Table(
    "alerts_weeks.csv",
    N_("Alerts raised per patient, ISO week, type and severity (counts)"),
    (
        _id(),
        _delta("Week_Delta", ALSRX),
        Column("Alert_Type", "", N_("Alert type (code)")),
        Column("Severity", "", N_("Severity"), "info | warning | urgent"),
        Column("Alerts", "", N_("Alerts raised")),
    ),
)

TABLES = (PATIENTS, ALSFRS, FVC, FUNCTION, VITALS, EXPOSURE, ALERTS)
SHIFTED = frozenset(
    {"Onset_Date_Shifted", "Visit_Date_Shifted", "Week_Start_Shifted"}
)  # written only when the export asks for a date shift


def columns(table: Table, *, shifted: bool) -> tuple[Column, ...]:
    return tuple(c for c in table.columns if shifted or c.name not in SHIFTED)
