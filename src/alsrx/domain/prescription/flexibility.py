"""Flexibility / range of motion for everyone, and balance and functional training.

- Stretching and range of motion daily, once or twice, with caregiver help when needed; muscles
  without antigravity strength get range of motion only (rec-flexibility-daily;
  G-paganoni-2015, G-acsm-2010, G-nice-ng42).
- Balance and functional training (sit-to-stand, rolling over, gait practice) in the home
  programmes that kept function (R47 Kitano 2018; R09 Braga 2018 sessions included balance and
  gait training); in bed or chair when walking is lost. Sit-to-stand unassisted only with
  antigravity knees, else an assisted form (raised seat, arm support, caregiver); gait or
  standing practice with weak knees or ankles only with an orthosis or walking aid and a person
  present (rec-weakness-pattern). Orthopnoea rules out lying flat (rec-orthopnoea-no-supine).
- Breathing work (breathing control, positioning for breathing) when respiratory assessment
  must come first (rec-respiratory-first): no training load, daily, a clinician reviews.
"""

from __future__ import annotations

from alsrx.domain.prescription import breathing, weakness
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import Component, ComponentType, Intensity, Note, Span
from alsrx.domain.prescription.params import EngineSettings
from alsrx.domain.scales import alsfrs_r as frs

NEEDS_HELP_AT_OR_BELOW = 2  # items 6-8 at 2 or less: needs assistance or substitute methods
FLEX_EVIDENCE = ("rec-flexibility-daily", "G-paganoni-2015", "G-acsm-2010", "G-nice-ng42")
BALANCE_EVIDENCE = ("rec-individualise-adjust", "R47", "R09", "rec-weakness-pattern")
BREATHING_EVIDENCE = ("rec-respiratory-first", "G-nice-ng42")
LYING_FLAT = frozenset({"rolling_over"})  # done lying down in bed
STANDING = frozenset({"sit_to_stand", "standing_balance_with_support", "gait_practice"})


def needs_caregiver(case: Case) -> bool:
    scale = case.assessed.frs
    return any(scale[i] <= NEEDS_HELP_AT_OR_BELOW for i in (frs.Q6, frs.Q7, frs.Q8))


def flexibility(case: Case, rom_only: tuple[str, ...]) -> Component:
    helped = needs_caregiver(case)
    modalities = ["active_stretching", "range_of_motion"]
    if helped or rom_only:
        modalities += ["caregiver_assisted_stretching", "passive_range_of_motion"]
    rationale = [Note("flexibility_daily_for_everyone", FLEX_EVIDENCE)]
    if helped:
        rationale.append(Note("flexibility_with_caregiver", FLEX_EVIDENCE))
    return Component(
        type=ComponentType.FLEXIBILITY,
        sessions_per_week=Span(7, 14),
        minutes_per_session=Span(10, 20),
        intensity=Intensity(load="gentle_no_pain"),
        modalities=tuple(modalities),
        evidence=FLEX_EVIDENCE,
        rationale=tuple(rationale),
        range_of_motion_only=rom_only,
        repetitions=Span(3, 5),
        constraints=("hold_stretch_no_bouncing",),
        setting="home_with_caregiver" if helped else "home",
    )


def _functional_modalities(case: Case, s: EngineSettings) -> tuple[str, ...]:
    if case.assessed.frs[frs.Q8] < NEEDS_HELP_AT_OR_BELOW:
        chosen = ["rolling_over", "seated_trunk_control", "assisted_transfers"]
    else:
        chosen = ["sit_to_stand", "standing_balance_with_support", "gait_practice"]
    if "sit_to_stand" in chosen and not weakness.knees_antigravity(case, s):
        chosen[chosen.index("sit_to_stand")] = "assisted_sit_to_stand"
    if "recent_fall_with_injury" in case.conditions:
        chosen = [m for m in chosen if m != "gait_practice"]
    if breathing.orthopnoea(case):
        chosen = [m for m in chosen if m not in LYING_FLAT]
    return tuple(chosen)


def _functional_constraints(
    case: Case, s: EngineSettings, chosen: tuple[str, ...]
) -> tuple[str, ...]:
    constraints = ["support_within_reach", "stop_if_unsteady"]
    on_feet = STANDING & set(chosen) or "assisted_sit_to_stand" in chosen
    if on_feet and weakness.gait_needs_support(case, s):
        constraints += ["with_orthosis_or_walking_aid", "person_present"]
    return tuple(constraints)


def balance_functional(case: Case, s: EngineSettings) -> Component:
    walking = case.assessed.frs[frs.Q8]
    fell = "recent_fall_with_injury" in case.conditions
    modalities = _functional_modalities(case, s)
    return Component(
        type=ComponentType.BALANCE_FUNCTIONAL,
        sessions_per_week=Span(2, 3),
        minutes_per_session=Span(10, 15),
        intensity=Intensity(rpe=Span(s.min_rpe, s.max_rpe)),
        modalities=modalities,
        evidence=BALANCE_EVIDENCE,
        rationale=(Note("balance_functional_training", BALANCE_EVIDENCE, {"item8": walking}),),
        repetitions=Span(5, 10),
        constraints=_functional_constraints(case, s, modalities),
        setting="home_with_caregiver" if needs_caregiver(case) else "home",
        requires_clinician_review=fell,
    )


def breathing_work(case: Case) -> Component:
    """Breathing control and positioning while respiratory assessment comes first."""
    return Component(
        type=ComponentType.BREATHING,
        sessions_per_week=Span(7, 14),
        minutes_per_session=Span(5, 10),
        intensity=Intensity(load="gentle_no_pain"),
        modalities=("breathing_control", "positioning_for_breathing"),
        evidence=BREATHING_EVIDENCE,
        rationale=(Note("breathing_work_while_respiratory_first", BREATHING_EVIDENCE),),
        constraints=("stop_if_breathless", "sit_upright_or_supported"),
        setting="home_with_caregiver" if needs_caregiver(case) else "home",
        requires_clinician_review=True,
    )
