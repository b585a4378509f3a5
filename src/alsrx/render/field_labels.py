"""Field paths in words, for pages: "assessment.fvc_l" is read as "FVC (litres)".

The API keeps the path (`fields[].path`) for programs; a page names the field as its form does.
A path is looked up whole, then by its last segment (list indices dropped), so a field that
moves inside a document keeps its name; an unknown path gets no label at all (the message is
shown alone), never the path itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from alsrx.i18n import N_
from alsrx.render import prescription_labels as labels
from alsrx.render.alsfrs_anchors import ITEMS

Gettext = Callable[[str], str]

FIELD_LABELS = {
    # Research
    "cohort": N_("The cohort"),
    "group_by": N_("Compare groups by"),
    "adherence": N_("Adherence (thirds of this cohort)"),
    "dose": N_("Prescribed sessions a week"),
    "kings": N_("King's stage at baseline"),
    "category": N_("Progression at baseline"),
    "programme": N_("Programme type"),
    "anchor": N_("D50: add full function (48) at onset to each patient's data"),
    "date_shift": N_("Add dates, shifted"),
    # Patient record
    "code": N_("Patient code"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "height_cm": N_("Height (cm)"),
    "weight_kg": N_("Weight (kg)"),
    "previous_weight_kg": N_("Previous weight (kg)"),
    "ethnicity": N_("Ethnicity"),
    "symptom_onset_date": N_("Date of symptom onset"),
    "diagnosis_date": N_("Date of diagnosis"),
    "onset_region": N_("Region of onset"),
    "beta_blocker": N_("Beta-blocker"),
    "conditions": N_("Conditions and contraindications"),
    "c9orf72": N_("C9orf72 status"),
    "uses_ventilation_support": N_("Ventilation support"),
    "equipment": N_("Equipment at home"),
    "caregiver_at_home": N_("Caregiver at home"),
    "lip_seal_poor": N_("Poor lip seal"),
    "sialorrhoea_severe": N_("Severe sialorrhoea"),
    # Assessment
    "date": N_("Date"),
    "alsfrs_r": N_("ALSFRS-R"),
    "mode": N_("Who answered the ALSFRS-R"),
    "fvc_l": N_("FVC (litres)"),
    "six_minute_walk_m": N_("Six-minute walk (m)"),
    "resting_hr_bpm": N_("Resting heart rate (bpm)"),
    "peak_hr_bpm": N_("CPET peak heart rate (bpm)"),
    "anaerobic_threshold_hr_bpm": N_("CPET anaerobic-threshold heart rate (bpm)"),
    "vo2peak_ml_kg_min": N_("CPET VO2peak (mL/kg/min)"),
    "peak_work_w": N_("CPET peak work (W)"),
    "mep_cmh2o": N_("MEP (cmH2O)"),
    "mip_cmh2o": N_("MIP (cmH2O)"),
    "snip_cmh2o": N_("SNIP (cmH2O)"),
    "weeks_completed": N_("Weeks of training completed"),
    "reason": N_("Reason"),
    # Session log
    "component": N_("Part of the programme"),
    "completed": N_("Done"),
    "skip_reason": N_("Reason for skipping"),
    "performed_at": N_("Time the session was done"),
    "duration_min": N_("Duration (min)"),
    "avg_hr_bpm": N_("Average heart rate (bpm)"),
    "max_hr_bpm": N_("Highest heart rate (bpm)"),
    "rpe": N_("Effort (Borg 6–20 scale)"),
    "sets": N_("Sets"),
    "reps": N_("Repetitions"),
    "fatigue_recovery_min": N_("Recovery from fatigue (min)"),
    "symptoms": N_("Symptoms"),
    "notes": N_("Notes"),
    "logged_at": N_("Time of the entry"),
    # Prescription edits
    "exercises": N_("Exercises"),
    "minutes": N_("Minutes"),
    "minutes_max": N_("Aerobic minutes per session, at most"),
    "minutes_min": N_("Aerobic minutes per session, at least"),
    "hr_max": N_("Aerobic heart-rate ceiling (bpm)"),
    "rpe_max": N_("Aerobic effort ceiling (Borg 6–20 scale)"),
    "sessions_per_week": N_("Sessions per week"),
    # Accounts and centres
    "username": N_("Username"),
    "password": N_("Password"),
    "current": N_("Current password"),
    "new": N_("New password"),
    "totp": N_("Code from the app"),
    "role": N_("Role"),
    "name": N_("Name"),
    "centre": N_("Centre"),
    "centre_id": N_("Centre"),
    "caregiver_id": N_("Caregiver"),
    "patient": N_("Patient"),
    "emergency_number": N_("Emergency number"),
    "lang": N_("Language"),
    "older_than_days": N_("Older than (days)"),
    "q": N_("Search"),
    "page": N_("Page"),
}
MRC_LABEL = N_("MRC {muscle}")
_INDEX = re.compile(r"\[\d+\]")


def label(path: str, _: Gettext) -> str | None:
    """The field's name in words, or None when the path names no field a person knows."""
    parts = [p for p in _INDEX.sub("", path).split(".") if p]
    if not parts:
        return None
    last = parts[-1]
    if last in FIELD_LABELS:
        return _(FIELD_LABELS[last])
    items = {code: title for code, title, _anchors in ITEMS}
    if last in items:
        return _("ALSFRS-R {item}").format(item=_(items[last]))
    muscle, _sep, side = last.rpartition("_")
    if muscle in labels.MUSCLES and side in labels.SIDES:
        words = _(labels.MUSCLE_SIDE).format(
            muscle=_(labels.MUSCLES[muscle]), side=_(labels.SIDES[side])
        )
        return _(MRC_LABEL).format(muscle=words)
    if last in labels.COMPONENTS:
        return _(labels.COMPONENTS[last])
    return None
