"""Breathing decides how much exercise a draft may hold: three tiers, not one flag.

1. Non-invasive ventilation in any use (ALSFRS-R item 12 <= 3, or recorded ventilation
   support): the exercise trials excluded such patients, so a clinician reviews, and the draft
   says how to exercise with the ventilator (rec-exercise-with-niv).
2. Severe respiratory impairment without ventilation support (FVC below 50 % predicted, or
   item 10 = 0, or item 10 <= 1 with a resting heart rate of 100 or more): respiratory
   assessment comes first; the draft holds range of motion, positioning and breathing work
   only (rec-respiratory-first: 50 % is the NIV-referral trigger of AAN 2009, EFNS 2012 and
   NICE NG42; keeping exercise out below it is an alsrx decision).
3. Otherwise the ordinary screen: FVC below the trials' lowest inclusion (65 %) for review.
Severe orthopnoea (item 11 <= 1: sleeps only sitting up) without ventilation support also puts
respiratory assessment first (an NIV trigger in AAN 2009 and NICE NG42; alsrx default). A resting
heart rate of 100 or more goes to review. NIV, breathlessness at rest or weak inspiratory
muscles hold the programme at its first phase until a clinician raises it.
Alongside: orthopnoea (item 11 <= 2) rules out exercise lying flat (rec-orthopnoea-no-supine),
and a measured MIP or SNIP at or below 40 cmH2O goes to review (rec-respiratory-muscle-review).
"""

from __future__ import annotations

from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import Level, Note
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs

CONTINUOUS_VENTILATION_ITEM12_MAX = 2  # item 12 <= 2: continuous NIV at night or more
NIV_ITEM12_MAX = 3  # item 12 = 3: intermittent BiPAP; any NIV use counts
DYSPNEA_AT_REST_ITEM10_MAX = 1  # item 10 <= 1: breathless at rest
DYSPNEA_SEVERE_ITEM10 = 0  # item 10 = 0: significant difficulty, considering ventilation
ORTHOPNOEA_ITEM11_MAX = 2  # item 11 <= 2: needs extra pillows or can only sleep sitting up
SEVERE_ORTHOPNOEA_ITEM11_MAX = 1  # item 11 <= 1: can only sleep sitting up, or cannot sleep
NIV_EVIDENCE = ("rec-exercise-with-niv", "G-efns-2012")
FIRST_EVIDENCE = ("rec-respiratory-first", "G-aan-2009", "G-efns-2012", "G-nice-ng42")


def uses_niv(case: Case) -> bool:
    return case.assessed.frs[frs.Q12] <= NIV_ITEM12_MAX or case.uses_ventilation_support


def orthopnoea(case: Case) -> bool:
    return case.assessed.frs[frs.Q11] <= ORTHOPNOEA_ITEM11_MAX


def _first_findings(case: Case, s: EngineSettings) -> list[Note]:
    """Why respiratory assessment must come first; empty when it need not (or NIV is in use)."""
    if uses_niv(case):
        return []
    scale, found = case.assessed.frs, []
    percent = case.assessed.fvc.percent_predicted
    if percent is not None and percent < s.respiratory_first_fvc_below_percent:
        params = {"percent": round(percent, 1), "threshold": s.respiratory_first_fvc_below_percent}
        found.append(Note("respiratory_first_fvc", FIRST_EVIDENCE, params, Level.REVIEW))
    rest = case.assessed.visit.resting_hr_bpm
    if scale[frs.Q11] <= SEVERE_ORTHOPNOEA_ITEM11_MAX:
        params = {"item11": scale[frs.Q11]}
        found.append(Note("respiratory_first_orthopnoea", FIRST_EVIDENCE, params, Level.REVIEW))
    if scale[frs.Q10] == DYSPNEA_SEVERE_ITEM10:
        found.append(
            Note("respiratory_first_dyspnoea", FIRST_EVIDENCE, {"item10": 0}, Level.REVIEW)
        )
    elif (
        scale[frs.Q10] <= DYSPNEA_AT_REST_ITEM10_MAX
        and rest is not None
        and rest >= s.respiratory_first_rest_hr_bpm
    ):
        params = {
            "item10": scale[frs.Q10],
            "bpm": round(rest),
            "threshold": s.respiratory_first_rest_hr_bpm,
        }
        found.append(Note("respiratory_first_tachycardia", FIRST_EVIDENCE, params, Level.REVIEW))
    return found


def respiratory_first(case: Case, s: EngineSettings) -> bool:
    return bool(_first_findings(case, s))


def hold_ramp(case: Case, s: EngineSettings) -> bool:
    """Breathing that makes increasing exercise unsafe until a clinician has seen it: NIV in use,
    breathless at rest, or weak inspiratory muscles. The draft stays at its first phase
    (rec-exercise-with-niv, rec-respiratory-muscle-review: an alsrx default)."""
    return (
        uses_niv(case)
        or case.assessed.frs[frs.Q10] <= DYSPNEA_AT_REST_ITEM10_MAX
        or bool(_pressures(case, s))
    )


def notes(case: Case, s: EngineSettings) -> list[Note]:
    first = _first_findings(case, s)
    return [
        *_niv(case),
        *first,
        *_dyspnoea(case, first),
        *_tachycardia(case, s, first),
        *_fvc(case, s, first),
        *_pressures(case, s),
        *_orthopnoea(case),
    ]


def _tachycardia(case: Case, s: EngineSettings, first: list[Note]) -> list[Note]:
    """A resting heart rate of 100 or more needs a clinician before exercise, whatever the
    breathing (resting tachycardia: alsrx default, in the spirit of G-acsm-gete's screening)."""
    rest = case.assessed.visit.resting_hr_bpm
    if first or rest is None or rest < s.respiratory_first_rest_hr_bpm:
        return []
    params = {"bpm": round(rest), "threshold": s.respiratory_first_rest_hr_bpm}
    evidence = ("rec-general-exercise-safety", "G-acsm-gete")
    return [Note("resting_tachycardia", evidence, params, Level.REVIEW)]


def _niv(case: Case) -> list[Note]:
    item12 = case.assessed.frs[frs.Q12]
    if item12 <= CONTINUOUS_VENTILATION_ITEM12_MAX or case.uses_ventilation_support:
        return [
            Note(
                "ventilation_support",
                (*NIV_EVIDENCE, "R36", "R30"),
                {"item12": item12},
                Level.REVIEW,
            )
        ]
    if item12 == NIV_ITEM12_MAX:
        return [Note("intermittent_niv", NIV_EVIDENCE, {"item12": item12}, Level.REVIEW)]
    return []


def _dyspnoea(case: Case, first: list[Note]) -> list[Note]:
    item10 = case.assessed.frs[frs.Q10]
    if first or item10 > DYSPNEA_AT_REST_ITEM10_MAX:
        return []
    return [
        Note("dyspnea_at_rest", ("rec-individualise-adjust",), {"item10": item10}, Level.REVIEW)
    ]


def _fvc(case: Case, s: EngineSettings, first: list[Note]) -> list[Note]:
    fvc = case.assessed.fvc
    if fvc.measured_l is None:
        return [Note("fvc_not_measured", ("rec-reassess-3-months",), {}, Level.REVIEW)]
    if fvc.percent_predicted is None:
        return [Note("fvc_percent_unknown", ("rec-reassess-3-months",), {}, Level.REVIEW)]
    if any(n.code == "respiratory_first_fvc" for n in first):
        return []
    if fvc.percent_predicted < s.fvc_review_below_percent:
        params = {
            "percent": round(fvc.percent_predicted, 1),
            "threshold": s.fvc_review_below_percent,
        }
        return [Note("fvc_low", ("R36", "R30"), params, Level.REVIEW)]
    return []


def _pressures(case: Case, s: EngineSettings) -> list[Note]:
    visit, limit = case.assessed.visit, s.inspiratory_pressure_review_cmh2o
    measured = (("MIP", visit.mip_cmh2o), ("SNIP", visit.snip_cmh2o))
    return [
        Note(
            "inspiratory_pressure_low",
            ("rec-respiratory-muscle-review", "G-nice-ng42", "G-efns-2012"),
            {"test": name, "value": round(value), "threshold": limit},
            Level.REVIEW,
        )
        for name, value in measured
        if value is not None and value <= limit
    ]


def _orthopnoea(case: Case) -> list[Note]:
    if not orthopnoea(case):
        return []
    item11 = case.assessed.frs[frs.Q11]
    return [Note("orthopnoea_no_lying_flat", ("rec-orthopnoea-no-supine",), {"item11": item11})]
