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
        "include such patients; a clinician decides. Exercise seated, with the ventilator at "
        "hand (or in use, as the respiratory team advises), and stop at unusual breathlessness."
    ),
    "intermittent_niv": N_(
        "Intermittent non-invasive ventilation (ALSFRS-R item 12 = {item12}): a clinician must "
        "review. Exercise seated with the ventilator at hand, rest with it if breathless, and "
        "watch breathlessness closely."
    ),
    "respiratory_first_fvc": N_(
        "FVC {percent}% predicted is below {threshold}% without ventilation support: "
        "respiratory assessment comes first (NIV referral); until then range of motion, "
        "positioning and breathing work only, no aerobic or strength training."
    ),
    "respiratory_first_dyspnoea": N_(
        "Marked breathlessness (ALSFRS-R item 10 = {item10}) without ventilation support: "
        "respiratory assessment comes first; until then range of motion, positioning and "
        "breathing work only."
    ),
    "respiratory_first_tachycardia": N_(
        "Breathless at rest (ALSFRS-R item 10 = {item10}) with a resting heart rate of {bpm} bpm "
        "(at least {threshold}): respiratory assessment comes first; until then range of motion, "
        "positioning and breathing work only."
    ),
    "inspiratory_pressure_low": N_(
        "{test} {value} cmH2O is at or below {threshold} cmH2O: inspiratory muscles are weak; a "
        "clinician must review breathing before exercise is increased."
    ),
    "orthopnoea_no_lying_flat": N_(
        "Breathless lying flat (ALSFRS-R item 11 = {item11}): no exercise lying flat; sit, or "
        "lie with the head and trunk raised."
    ),
    "energy_underweight": N_(
        "BMI {bmi} is below {threshold}: energy intake may not cover exercise. Dietitian review; "
        "prefer short, low-volume functional work."
    ),
    "energy_weight_loss": N_(
        "{percent}% of body weight lost since the previous assessment (review from {threshold}%): "
        "dietitian review; prefer short, low-volume functional work."
    ),
    "older_than_trials_cardiac_check": N_(
        "Aged {age}, older than the exercise trials enrolled (up to {max_age}): a cardiovascular "
        "pre-participation check before heart-rate-targeted exercise."
    ),
    "speech_no_talk_test": N_(
        "Speech impaired (ALSFRS-R item 1 = {item1}): effort is judged by pointing on an RPE "
        "chart, a breathlessness scale and heart rate, not by talking."
    ),
    "widespread_weakness": N_(
        "{weak} of {tested} tested muscle groups are below MRC {mrc_below}: a clinician must "
        "review the whole programme."
    ),
    "cannot_walk": N_(
        "No functional walking (ALSFRS-R item 8 = {item8}): a clinician must review the "
        "programme, transfers and positioning."
    ),
    "emst_unsafe_abdominal_hernia": N_(
        "Abdominal hernia: expiratory muscle training raises abdominal pressure; not drafted, a "
        "clinician decides."
    ),
    "emst_unsafe_recent_pneumothorax": N_(
        "Recent pneumothorax: expiratory muscle training is not drafted; a clinician decides."
    ),
    "emst_unsafe_uncontrolled_reflux": N_(
        "Uncontrolled reflux: expiratory muscle training raises abdominal pressure; not drafted, "
        "a clinician decides."
    ),
    "emst_poor_lip_seal": N_(
        "Poor lip seal: the breathing trainer cannot be used as it is; not drafted, a clinician "
        "decides (a flanged mouthpiece or nose clip may help)."
    ),
    "emst_severe_sialorrhoea": N_(
        "Severe drooling (ALSFRS-R item 2 = {item2}): expiratory muscle training is not drafted "
        "until saliva is managed; a clinician decides."
    ),
    "emst_setting_below_device_range": N_(
        "Half of the measured MEP of {mep} cmH2O is below the trainer's lowest mark of {lowest} "
        "cmH2O: expiratory muscle training is not drafted; a clinician chooses a device or "
        "setting."
    ),
    "respiratory_first_orthopnoea": N_(
        "Sleeps only sitting up, or cannot sleep, for breathlessness (ALSFRS-R item 11 = {item11}) "
        "without ventilation support: respiratory assessment comes first (NIV referral); until "
        "then range of motion, positioning and breathing work only."
    ),
    "resting_tachycardia": N_(
        "Resting heart rate {bpm} bpm (at least {threshold}): a clinician must find the cause "
        "before exercise."
    ),
    "ramp_held_for_breathing": N_(
        "Because of breathing (ventilation, breathlessness at rest or weak inspiratory muscles) "
        "the programme stays at its first phase: no increase until a clinician raises it."
    ),
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
        "the plan; no early-disease escalation, and reassessment comes sooner."
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
        "No functional walking (item 8 = {item8}): seated exercise, motor-assisted cycling, or "
        "an arm ergometer when the arms move against gravity."
    ),
    "modality_no_leg_cycling_weak_legs": N_(
        "No ordinary leg cycling: hip flexion or knee extension is below antigravity strength; "
        "motor-assisted cycling, or the arm ergometer when the arms move against gravity."
    ),
    "modality_no_arm_ergometer_weak_arms": N_(
        "No arm ergometer: shoulder abduction or elbow flexion is below antigravity strength."
    ),
    "no_aerobic_weak_limbs": N_(
        "No aerobic exercise: no limb moves against gravity and no assisted cycle is available."
    ),
    "aerobic_hr_is_safety_ceiling": N_(
        "The heart-rate number is a safety ceiling, not a target: perceived exertion sets the "
        "effort."
    ),
    "aerobic_ceiling_above_moderate_band": N_(
        "The ceiling of {percent_hrr}% of heart-rate reserve is above ACSM's moderate band (up to "
        "{moderate_max}%): stay at RPE 11–13 even if the heart rate allows more."
    ),
    "resistance_groups_against_gravity": N_(
        "Against gravity only, no added weight (MRC 3): {groups}."
    ),
    "resistance_groups_light_load": N_("A light added load is allowed (MRC 4–5): {groups}."),
    "exercises_left_out_for_time": N_(
        "Left out so that the session keeps to its time: {exercises}. Choose which matter most."
    ),
    "no_exercise_fits": N_(
        "No exercise in the library fits this patient for {component}: choose one with the patient."
    ),
    "exercise_modalities_uncovered": N_(
        "No library exercise fits this patient for: {modalities}. Decide with the patient "
        "whether to do it with more support or leave it out."
    ),
    "exercise_regions_uncovered": N_(
        "No range-of-motion exercise fits for: {regions}. Plan it with the patient and "
        "caregiver (passive movement prevents contractures)."
    ),
    "rmt_remeasure_mep": N_(
        "Re-measure MEP every {weeks} weeks while training, and reset the device from it."
    ),
    "breathing_work_while_respiratory_first": N_(
        "Breathing control and positioning for easier breathing, daily, until the respiratory "
        "assessment."
    ),
    "respiratory_assessment_first_programme": N_(
        "Respiratory assessment first: range of motion, positioning and breathing work only."
    ),
    "early_escalation_withheld": N_(
        "Early disease, but no early-disease escalation: the disease moves fast or energy intake "
        "may not cover it."
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
    # As the advice after a reported symptom (render/symptom_advice.ADVICE) triages them: the
    # emergency number for the serious forms, the clinic today otherwise.
    "stop_chest_pain": N_(
        "Chest pain: stop now. If it is strong, lasts more than a few minutes or comes with "
        "breathlessness, call the emergency number; otherwise contact the clinic today."
    ),
    "stop_dizziness": N_(
        "Dizziness or feeling faint: stop and sit or lie down. If you fainted or it does not "
        "pass, call the emergency number; otherwise contact the clinic today."
    ),
    "stop_unusual_breathlessness": N_(
        "Unusual breathlessness, or you cannot talk while exercising: stop and rest."
    ),
    "stop_hr_above_ceiling": N_("Heart rate above {bpm} bpm: slow down or stop."),
    "stop_hr_above_phase_ceiling": N_(
        "Heart rate above {bpm} bpm (weeks {first_week}–{last_week}): slow down or stop."
    ),
    "stop_breathlessness_scale": N_(
        "Breathlessness higher than usual on the breathlessness scale: stop and rest."
    ),
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
    "breathing": N_("Breathing exercises and positioning"),
}

# How the heart-rate range was found (aerobic.hr_basis), in a few words for the page.
HR_BASIS = {
    "cpet": N_("from the measured CPET maximum"),
    "age_predicted_ceiling": N_("age-predicted, a ceiling only"),
    "rpe_only_beta_blocker": N_("perceived exertion only (beta-blocker)"),
    "rpe_only_no_reserve": N_("perceived exertion only (no resting heart rate)"),
    "not_applicable": N_("not applicable"),
}

# Follow-up proposals (domain/followup/proposals.Kind).
PROPOSAL_KINDS = {
    "progress": N_("progress the plan"),
    "step_down": N_("step the plan down"),
    "pause": N_("pause exercise"),
    "pause_standing": N_("pause standing, walking and balance work"),
    "represcribe": N_("prescribe anew"),
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
    "assisted_cycling": N_("motor-assisted cycling"),
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
    "assisted_sit_to_stand": N_("assisted sit-to-stand (raised seat, arm support or a helper)"),
    "breathing_control": N_("breathing control"),
    "positioning_for_breathing": N_("positioning for easier breathing"),
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
MUSCLE_SIDE = N_("{muscle} ({side})")

# The equipment a patient may have at home (the intake schema's `equipment` list).
EQUIPMENT = {
    "cycle_ergometer": N_("cycle ergometer"),
    "recumbent_bike": N_("recumbent bike"),
    "arm_ergometer": N_("arm ergometer"),
    "motor_assisted_cycle": N_("motor-assisted cycle"),
    "treadmill": N_("treadmill"),
    "bodyweight_supported_treadmill": N_("body-weight-supported treadmill"),
    "elastic_bands": N_("elastic bands"),
    "cuff_weights": N_("light cuff weights"),
    "emst_device": N_("EMST device"),
    "imt_device": N_("inspiratory muscle trainer"),
    "pool": N_("swimming pool"),
}

# Progression cut-off sets (domain/scales/progression.py), named by their source.
CUTOFF_SETS = {
    "labra2016": N_("Labra et al. 2016 tertiles"),
    "kimura2006": N_("Kimura et al. 2006 groups"),
}
CUTOFF_SET_TEXT = N_("{name}, fast from {fast_from} points/month")

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
    "rpe_pointing_chart": N_("point to your effort on the RPE chart"),
    "breathlessness_scale": N_("rate breathlessness on the scale"),
    "heart_rate_check": N_("check your heart rate"),
    "with_orthosis_or_walking_aid": N_("only with your orthosis or walking aid"),
    "person_present": N_("only with another person present"),
    "with_ventilator_at_hand": N_("keep the ventilator at hand"),
    "no_lying_flat": N_("no exercise lying flat"),
    "no_breath_holding": N_("do not hold your breath"),
    "stop_if_breathless": N_("stop if breathless"),
    "sit_upright_or_supported": N_("sit upright or well supported"),
}

PRESSURE_TESTS = {
    "MIP": N_("MIP (maximal inspiratory pressure)"),
    "SNIP": N_("SNIP (sniff nasal inspiratory pressure)"),
}

LOADS = {
    "against_gravity_only": N_("against gravity only, no added weight"),
    "light_added_load": N_("light added load"),
    "gentle_no_pain": N_("gentle, without pain"),
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
    "rmt_remeasure_mep_monthly": N_("re-measure MEP regularly and reset the device"),
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
    "breathlessness_scale": N_("breathlessness scale"),
    "completed_as_planned": N_("done as planned or not"),
    "alsfrs_r": N_("ALSFRS-R"),
    "fvc": N_("FVC"),
    "six_minute_walk": N_("six-minute walk"),
    "mrc": N_("muscle strength (MRC)"),
    "mep_mip": N_("MEP and MIP"),
    "weight": N_("weight"),
}
