"""Words for the prescription's codes, marked for translation (English source, zh-CN catalog)."""

from __future__ import annotations

from alsrx.i18n import N_

REASONS = {
    "condition_unstable_cardiac_disease": N_(
        "Unstable cardiac disease: do not start exercise until a cardiologist has cleared it."
    ),
    "condition_acute_infection_or_fever": N_(
        "Acute infection or fever: pause exercise until recovered."
    ),
    "condition_uncontrolled_hypertension": N_(
        "Uncontrolled hypertension: do not start exercise until blood pressure is controlled."
    ),
    "condition_recent_fall_with_injury": N_(
        "Recent fall with injury: a clinician must review the injury, balance and walking first."
    ),
    "condition_severe_osteoporosis": N_(
        "Severe osteoporosis: a clinician must review loading and fall risk."
    ),
    "condition_uncontrolled_diabetes": N_(
        "Uncontrolled diabetes: a clinician must review before exercise starts."
    ),
    "condition_severe_pain": N_("Severe pain: a clinician must assess its cause first."),
    "ventilation_support": N_(
        "Ventilation support in use (ALSFRS-R item 12 = {item12}): the exercise trials did not "
        "include such patients; a clinician decides."
    ),
    "intermittent_niv": N_("Intermittent NIV: watch breathlessness closely during exercise."),
    "dyspnea_at_rest": N_(
        "Breathless at rest (ALSFRS-R item 10 = {item10}): a clinician must review before exercise."
    ),
    "fvc_not_measured": N_(
        "FVC not measured: respiratory safety cannot be checked; a clinician must review."
    ),
    "fvc_percent_unknown": N_(
        "FVC % predicted unknown (height or ethnic group missing): a clinician must review."
    ),
    "fvc_low": N_(
        "FVC {percent}% predicted is below {threshold}%, outside the range studied in the exercise "
        "trials: a clinician must review."
    ),
    "fast_progression": N_(
        "Fast progression (ΔFRS {rate} points/month, cut-offs {cutoffs}): a clinician must review "
        "the plan."
    ),
    "progression_unknown": N_("Progression rate unknown: follow closely."),
    "not_adult": N_(
        "Younger than {age}: the exercise trials enrolled adults; a clinician must review."
    ),
    "beta_blocker_rpe_only": N_(
        "Beta-blocker: intensity by perceived exertion (RPE) only, no heart-rate target."
    ),
    "c9orf72_no_bursts": N_(
        "C9orf72 carrier: avoid intense anaerobic bursts such as sprints or intervals."
    ),
    "mrc_not_assessed": N_(
        "Muscle strength (MRC) not assessed: no resistance training until muscles with antigravity "
        "strength are identified."
    ),
    "rmt_needs_mep": N_("Respiratory muscle training needs a measured MEP (only MIP was given)."),
    "rmt_not_assessed": N_(
        "MEP/MIP not measured: measure them to consider respiratory muscle training."
    ),
    "rmt_mep_zero": N_("MEP of 0: respiratory muscle training needs a clinician's review."),
    "rmt_with_ventilation": N_(
        "Respiratory muscle training with ventilation support: a clinician must review."
    ),
    "internal_bound_violation": N_(
        "An internal safety check failed ({violations}): a clinician must review."
    ),
    "aerobic_basis_cpet": N_(
        "Heart-rate range from the measured CPET maximum (Karvonen), never above 75% of "
        "heart-rate reserve."
    ),
    "aerobic_basis_age_predicted_ceiling": N_(
        "No CPET: exercise by perceived exertion; the age-predicted heart rate is only a ceiling."
    ),
    "aerobic_basis_rpe_only_beta_blocker": N_(
        "Beta-blocker: by perceived exertion only, no heart-rate target."
    ),
    "aerobic_basis_rpe_only_no_reserve": N_(
        "No resting heart rate: by perceived exertion only, no heart-rate target."
    ),
    "modality_walking_good": N_(
        "Walks well (ALSFRS-R item 8 = {item8}): walking, treadmill or cycling."
    ),
    "modality_walking_impaired": N_(
        "Walks with assistance (item 8 = {item8}): cycling or body-weight-supported treadmill."
    ),
    "modality_walking_lost": N_(
        "No functional walking (item 8 = {item8}): arm ergometer or seated, assisted exercise."
    ),
    "modality_no_walking_after_fall": N_("After a fall with injury: no walking-based exercise."),
    "modality_filtered_by_equipment": N_("Not available at home, so left out: {removed}."),
    "aerobic_capped_at_anaerobic_threshold": N_(
        "Capped at the anaerobic-threshold heart rate of {hr} bpm ({percent_hrr}% of reserve)."
    ),
    "resistance_antigravity_only": N_(
        "Only muscles with antigravity strength (MRC {mrc_from} or more); moderate-to-low load, "
        "no eccentric or high-load work; start low, go slow."
    ),
    "resistance_excludes_weak_muscles": N_(
        "Muscles below MRC {mrc_below} get range of motion only: {groups}."
    ),
    "no_antigravity_muscles": N_(
        "No muscle group has antigravity strength: no resistance training, range of motion instead."
    ),
    "rmt_emst_from_mep": N_(
        "EMST device set from the measured MEP of {mep} cmH2O: {breaths} breaths a day."
    ),
    "flexibility_daily_for_everyone": N_("Stretching and range of motion every day, for everyone."),
    "flexibility_with_caregiver": N_(
        "With a caregiver's help for stretches the patient cannot do alone."
    ),
    "balance_functional_training": N_(
        "Balance and functional training suited to walking (item 8 = {item8})."
    ),
    "early_combined_programme": N_(
        "Early disease: the full combined programme, resistance before aerobic, about "
        "{minutes_per_day} min a day, at home with family."
    ),
    "only_range_of_motion_while_contraindicated": N_(
        "While exercise is not recommended: gentle range of motion only."
    ),
    "schedule_sessions_limited_by_day_limit": N_(
        "Not every planned session fits within {limit} minutes a day: the weekly schedule has "
        "{sessions} fewer sessions a week than the upper end of the dose."
    ),
    "schedule_below_least_dose": N_(
        "Within {limit} minutes a day the weekly schedule cannot hold the least weekly dose of "
        "every component (see One week): a clinician should review the plan."
    ),
}

STOP_RULES = {
    "stop_chest_pain": N_("Chest pain: stop and contact the clinic."),
    "stop_dizziness": N_("Dizziness or feeling faint: stop and contact the clinic."),
    "stop_unusual_breathlessness": N_(
        "Unusual breathlessness, or you cannot talk while exercising: stop and rest."
    ),
    "stop_hr_above_ceiling": N_("Heart rate above {bpm} bpm: slow down or stop."),
    "stop_fatigue_beyond_limit": N_(
        "Tiredness that lasts more than {minutes} minutes after exercise: do less next time and "
        "tell the clinic."
    ),
    "stop_cramps_persisting": N_("Cramps that do not settle: stop for today."),
    "stop_fall": N_("A fall: stop and contact the clinic."),
    "reduce_if_next_day_pain_or_weakness": N_(
        "Muscle pain or new weakness the next day: reduce the load and tell the clinic."
    ),
}

COMPONENTS = {
    "aerobic": N_("Aerobic exercise"),
    "resistance": N_("Resistance (strength) exercise"),
    "respiratory_muscle": N_("Respiratory muscle training"),
    "flexibility": N_("Stretching and range of motion"),
    "balance_functional": N_("Balance and functional training"),
}

STATUS = {
    "ok": N_("Ready for clinician approval"),
    "clinician_review": N_("Needs a clinician's review before use"),
    "not_recommended": N_("Exercise not recommended now"),
}

MODALITIES = {
    "walking": N_("walking"),
    "treadmill": N_("treadmill"),
    "cycle_ergometer": N_("cycle ergometer"),
    "recumbent_bike": N_("recumbent bike"),
    "bodyweight_supported_treadmill": N_("body-weight-supported treadmill"),
    "arm_ergometer": N_("arm ergometer"),
    "seated_aerobic_exercise": N_("seated aerobic exercise"),
    "assisted_cycling": N_("assisted cycling"),
    "body_weight_against_gravity": N_("lifting against gravity, no added weight"),
    "submaximal_isometric": N_("gentle isometric holds"),
    "elastic_bands": N_("elastic bands"),
    "cuff_weights": N_("light cuff weights"),
    "emst_device": N_("EMST device"),
    "active_stretching": N_("active stretching"),
    "range_of_motion": N_("range of motion"),
    "caregiver_assisted_stretching": N_("caregiver-assisted stretching"),
    "passive_range_of_motion": N_("passive range of motion"),
    "sit_to_stand": N_("sit-to-stand"),
    "standing_balance_with_support": N_("standing balance with support"),
    "gait_practice": N_("gait practice"),
    "rolling_over": N_("rolling over"),
    "seated_trunk_control": N_("seated trunk control"),
    "assisted_transfers": N_("assisted transfers"),
}

MUSCLES = {
    "shoulder_abduction": N_("shoulder abduction"),
    "elbow_flexion": N_("elbow flexion"),
    "wrist_extension": N_("wrist extension"),
    "hip_flexion": N_("hip flexion"),
    "knee_extension": N_("knee extension"),
    "ankle_dorsiflexion": N_("ankle dorsiflexion"),
}
SIDES = {"left": N_("left"), "right": N_("right")}

CONSTRAINTS = {
    "talk_test": N_("you should still be able to talk"),
    "bouts_of_10_min_allowed": N_("may be split into 10-minute bouts"),
    "no_anaerobic_bursts": N_("no sprints or interval bursts"),
    "no_eccentric": N_("no eccentric (lowering-under-load) work"),
    "no_high_load": N_("no heavy loads"),
    "not_to_failure": N_("stop well before exhaustion"),
    "start_low_go_slow": N_("start low, go slow"),
    "stop_if_dizzy": N_("stop if dizzy"),
    "hold_stretch_no_bouncing": N_("hold each stretch gently, no bouncing"),
    "support_within_reach": N_("keep support within reach"),
    "stop_if_unsteady": N_("stop if unsteady"),
}

STEP_NOTES = {
    "aerobic_phase_1": N_("start"),
    "aerobic_phase_2": N_("build up"),
    "aerobic_phase_3": N_("build up"),
    "aerobic_phase_4": N_("target"),
    "resistance_learn": N_("learn the movements, light"),
    "resistance_build": N_("build up repetitions"),
    "resistance_load_only_if_tolerated": N_(
        "add load only if well tolerated and strength is stable"
    ),
    "rmt_remeasure_mep_at_review": N_("re-measure MEP at the review"),
}

SETTINGS = {
    "home": N_("at home"),
    "home_with_family": N_("at home, with family"),
    "home_with_caregiver": N_("at home, with a caregiver's help"),
}

MONITORING = {
    "rpe": N_("perceived exertion (RPE)"),
    "heart_rate_when_prescribed": N_("heart rate, where a range is given"),
    "fatigue_recovery_min": N_("minutes until tiredness passes"),
    "symptoms": N_("symptoms"),
    "completed_as_planned": N_("done as planned or not"),
    "alsfrs_r": N_("ALSFRS-R"),
    "fvc": N_("FVC"),
    "six_minute_walk": N_("six-minute walk"),
    "mrc": N_("muscle strength (MRC)"),
    "mep_mip": N_("MEP and MIP"),
    "weight": N_("weight"),
}
