"""The research pages' codes in words: groupings, groups, D50 classes, methods, caveats."""

from __future__ import annotations

from alsrx.i18n import N_

GROUPINGS = {
    "adherence": N_("Adherence (thirds of this cohort)"),
    "programme": N_("Programme type"),
    "dose": N_("Prescribed sessions a week"),
}
GROUPS = {
    "low": N_("Lowest third of adherence"),
    "middle": N_("Middle third of adherence"),
    "high": N_("Highest third of adherence"),
    "no_weeks": N_("No complete week of a plan yet"),
    "combined": N_("Aerobic and resistance"),
    "aerobic": N_("Aerobic without resistance"),
    "resistance": N_("Resistance without aerobic"),
    "other": N_("Neither (breathing, stretching, balance)"),
    "no_plan": N_("No approved plan"),
    "up_to_2": N_("Up to 2 a week"),
    "3_to_4": N_("3 to 4 a week"),
    "5_or_more": N_("5 or more a week"),
}
AGGRESSIVENESS = {
    "high": N_("High (D50 under 20 months)"),
    "intermediate": N_("Intermediate (D50 20 to 40 months)"),
    "low": N_("Low (D50 over 40 months)"),
}
REFUSALS = {
    "one_group": N_("Only one group in this cohort: there is nothing to compare."),
    "small_groups": N_(
        "A group is too small for the model: it needs at least 10 patients, and more than "
        "the disclosure threshold, in every group."
    ),
}
CAVEATS = {
    "dropout_truncates_follow_up": N_(
        "Death, ventilation and withdrawal end follow-up early, most often for those who "
        "decline fastest: slopes may look slower than they are."
    ),
    "centre_fixed_effect": N_(
        "Several centres: the centre enters the model as a fixed effect (its own level)."
    ),
    "not_converged": N_("The model's fit did not converge: read the estimates with caution."),
}
METHODS = {
    "d50_sigmoid_nls_batched": N_(
        "D50: ALSFRS-R(t) = 48 / (1 + exp((t − D50) / dx)), t in months since onset, fitted by "
        "least squares per patient with at least 3 visits"
    ),
    "ols_slope_per_patient": N_(
        "Slope: each patient's straight line through their ALSFRS-R totals (points a month)"
    ),
    "lmm_reml_random_intercept_slope": N_(
        "Comparison: linear mixed model of ALSFRS-R over months by group, random intercept and "
        "slope per patient (REML), 95 % confidence intervals"
    ),
}
POLICIES = {
    "opensafely": N_(
        "Counts of 7 or fewer are shown as 0 and every count is rounded to the nearest 5 "
        "(OpenSAFELY's rule); a group's statistics are shown only above 7 patients."
    ),
    "cms": N_(
        "Counts of 1 to 10 are not shown (the CMS cell-size rule); a group's statistics are "
        "shown only above 10 patients."
    ),
}
