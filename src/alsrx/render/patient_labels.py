"""Words for the patient record's codes (the intake schema's `patient` object), marked for
translation: the web form and any view of a patient read these, never the codes."""

from __future__ import annotations

from alsrx.i18n import N_

SEX = {"male": N_("male"), "female": N_("female")}

# GLI-2012 groups of the spirometry reference equations (domain/equations/gli2012.py).
ETHNICITY = {
    "caucasian": N_("Caucasian (European descent)"),
    "african_american": N_("African American"),
    "north_east_asian": N_("North-East Asian"),
    "south_east_asian": N_("South-East Asian"),
    "other": N_("other or mixed"),
}

ONSET_REGION = {
    "bulbar": N_("bulbar"),
    "spinal": N_("spinal (limbs not specified)"),
    "upper_limb": N_("upper limb"),
    "lower_limb": N_("lower limb"),
    "trunk": N_("trunk"),
    "respiratory": N_("respiratory"),
    "generalised": N_("generalised"),
}

# The conditions the prescription engine reads (domain/prescription/inputs.py), grouped as
# the engine treats them.
CONDITIONS = {
    "unstable_cardiac_disease": N_("unstable cardiac disease"),
    "acute_infection_or_fever": N_("acute infection or fever"),
    "uncontrolled_hypertension": N_("uncontrolled hypertension"),
    "recent_fall_with_injury": N_("recent fall with injury"),
    "severe_osteoporosis": N_("severe osteoporosis"),
    "uncontrolled_diabetes": N_("uncontrolled diabetes"),
    "severe_pain": N_("severe pain"),
    "abdominal_hernia": N_("abdominal hernia"),
    "recent_pneumothorax": N_("recent pneumothorax"),
    "uncontrolled_reflux": N_("uncontrolled reflux"),
    "head_drop": N_("head drop (weak neck extensors)"),
}
CONDITION_GROUPS = (
    (
        N_("Exercise not started until resolved"),
        ("unstable_cardiac_disease", "acute_infection_or_fever", "uncontrolled_hypertension"),
    ),
    (
        N_("A clinician reviews first"),
        ("recent_fall_with_injury", "severe_osteoporosis", "uncontrolled_diabetes", "severe_pain"),
    ),
    (
        N_("No expiratory muscle training"),
        ("abdominal_hernia", "recent_pneumothorax", "uncontrolled_reflux"),
    ),
    (N_("Neck"), ("head_drop",)),
)

C9ORF72 = {"": N_("not tested"), "yes": N_("carrier"), "no": N_("not a carrier")}

# Field names as the form labels them (error messages name the field in these words).
FIELDS = {
    "code": N_("Patient code"),
    "centre_id": N_("Centre"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "height_cm": N_("Height"),
    "weight_kg": N_("Weight"),
    "ethnicity": N_("Reference group for spirometry (GLI-2012)"),
    "symptom_onset_date": N_("Symptom onset"),
    "diagnosis_date": N_("Diagnosis date"),
    "onset_region": N_("Onset region"),
    "conditions": N_("Contraindications and conditions"),
    "beta_blocker": N_("Takes a beta-blocker"),
    "uses_ventilation_support": N_("Uses ventilation support (non-invasive or invasive)"),
    "c9orf72": N_("C9orf72 repeat expansion"),
    "reason": N_("Reason for the change"),
}
