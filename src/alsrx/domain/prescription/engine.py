"""prescribe(case, settings) -> Prescription: the rules in order, each leaving a trace.

1. Screen the whole patient (contraindications, breathing tiers, course, weight, age, the
   weakness pattern, speech): reasons with levels.
2. Not recommended: only flexibility/range of motion, which NICE NG42 advises for everyone.
3. Severe respiratory impairment without ventilation support: respiratory assessment first,
   range of motion, positioning and breathing work only (rec-respiratory-first).
4. Otherwise draft every component the patient's state allows; early disease gets the full
   combined programme, resistance before aerobic, about 1 h a day, at home with family
   (rec-combined, rec-start-early, rec-home-with-family; R40, R41, R47), unless the disease
   moves fast or energy intake may not cover it (rec-fast-progression, rec-energy-balance).
5. Adapt every component to breathing: the ventilator at hand with NIV, nothing lying flat
   with orthopnoea.
6. Check the safety bounds; a violation (a bug, never expected) sends the case to a clinician.
"""

from __future__ import annotations

import dataclasses

from alsrx.domain.exercises import choice, frames
from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.prescription import (
    aerobic,
    bounds,
    breathing,
    flexibility,
    resistance,
    respiratory,
    safety_rules,
    schedule,
    screening,
    weakness,
)
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import (
    Component,
    ComponentType,
    Level,
    Note,
    Prescription,
    Span,
    Status,
    Step,
)
from alsrx.domain.prescription.params import EngineSettings

LEVEL_TO_STATUS = {
    Level.NOT_RECOMMENDED: Status.NOT_RECOMMENDED,
    Level.REVIEW: Status.CLINICIAN_REVIEW,
}
ORDER = schedule.ORDER  # the review's order lives with the weekly schedule that uses it
NIV_ADAPTED = {ComponentType.AEROBIC, ComponentType.RESISTANCE, ComponentType.BALANCE_FUNCTIONAL}
# With NIV, seated work comes first: the ventilator stays within reach (rec-exercise-with-niv).
SEATED = ("recumbent_bike", "cycle_ergometer", "assisted_cycling", "seated_aerobic_exercise")
HELD = {ComponentType.AEROBIC, ComponentType.RESISTANCE}  # the components that ramp up
# An energy deficit shortens the day as well as the sessions (rec-energy-balance: alsrx default).
LOW_VOLUME_MAX_MINUTES_PER_DAY = 45


def is_early(case: Case, s: EngineSettings) -> bool:
    months = case.assessed.progression.months_since_onset
    return case.assessed.frs.total >= s.early_min_frs_total and 0 < months <= s.early_max_months


def status_of(reasons: tuple[Note, ...]) -> Status:
    levels = {r.level for r in reasons}
    for level in (Level.NOT_RECOMMENDED, Level.REVIEW):
        if level in levels:
            return LEVEL_TO_STATUS[level]
    return Status.OK


def _components(
    case: Case,
    s: EngineSettings,
    reasons: list[Note],
    trace: list[Note],
    *,
    early: bool,
    low_volume: bool,
) -> list[Component]:
    ventilation = any(r.code == "ventilation_support" for r in reasons)
    found: list[Component] = []
    resist, rom_only, notes = resistance.component(case, s)
    trace.extend(notes)
    if resist is not None:
        found.append(resist)
    aero, aero_notes = aerobic.component(case, s, early=early, low_volume=low_volume)
    trace.extend(aero_notes)
    if aero is not None:
        found.append(aero)
    found.append(flexibility.balance_functional(case, s))
    rmt, rmt_notes = respiratory.component(case, s, ventilation=ventilation)
    reasons.extend(n for n in rmt_notes if n.level is not Level.INFO)
    trace.extend(rmt_notes)
    if rmt is not None:
        found.append(rmt)
    found.append(flexibility.flexibility(case, rom_only))
    return found


def _fewest_sessions(c: Component) -> Component:
    """Energy deficit: strength work at its least weekly dose (rec-energy-balance)."""
    least = c.sessions_per_week.min
    steps = tuple(
        dataclasses.replace(st, sessions_per_week=Span(least, least)) for st in c.progression
    )
    return dataclasses.replace(c, sessions_per_week=Span(least, least), progression=steps)


def _held(c: Component) -> Component:
    """The first phase's dose for the whole programme: no increase until a clinician raises it."""
    if not c.progression:
        return c
    first = c.progression[0]
    step = dataclasses.replace(first, last_week=c.progression[-1].last_week)
    intensity = dataclasses.replace(
        c.intensity,
        hr_bpm=first.hr_bpm or c.intensity.hr_bpm,
        percent_hrr=first.percent_hrr or c.intensity.percent_hrr,
    )
    return dataclasses.replace(
        c,
        progression=(step,),
        sessions_per_week=first.sessions_per_week,
        minutes_per_session=first.minutes_per_session,
        intensity=intensity,
        sets=first.sets or c.sets,
        repetitions=first.repetitions or c.repetitions,
    )


def _adapted(c: Component, case: Case) -> Component:
    """Breathing constrains every component: the ventilator at hand when NIV is in use
    (rec-exercise-with-niv), never lying flat with orthopnoea (rec-orthopnoea-no-supine)."""
    extra: list[str] = []
    if breathing.uses_niv(case) and c.type in NIV_ADAPTED:
        extra.append("with_ventilator_at_hand")
        seated = tuple(m for m in c.modalities if m in SEATED)
        c = dataclasses.replace(
            c, modalities=(*seated, *(m for m in c.modalities if m not in seated))
        )
    if breathing.orthopnoea(case):
        extra.append("no_lying_flat")
    if not extra:
        return c
    return dataclasses.replace(c, constraints=(*c.constraints, *extra))


def _draft(
    case: Case, s: EngineSettings, reasons: list[Note], trace: list[Note]
) -> tuple[list[Component], bool]:
    """The components for this patient, and whether the early combined programme applies."""
    status = status_of(tuple(reasons))
    if status is Status.NOT_RECOMMENDED:
        _, rom_only, _ = resistance.component(case, s)
        trace.append(Note("only_range_of_motion_while_contraindicated", ("G-nice-ng42",)))
        return [flexibility.flexibility(case, rom_only)], False
    if breathing.respiratory_first(case, s):
        _, rom_only, _ = resistance.component(case, s)
        trace.append(Note("respiratory_assessment_first_programme", ("rec-respiratory-first",)))
        daily = dataclasses.replace(
            flexibility.flexibility(case, rom_only), sessions_per_week=Span(7, 7)
        )
        return [daily, flexibility.breathing_work(case)], False
    fast, low_volume = screening.is_fast(case), screening.energy_deficit(case, s)
    early = is_early(case, s) and not fast and not low_volume
    if is_early(case, s) and not early:
        trace.append(
            Note("early_escalation_withheld", ("rec-fast-progression", "rec-energy-balance"))
        )
    components = _components(case, s, reasons, trace, early=early, low_volume=low_volume)
    if low_volume:
        components = [
            _fewest_sessions(c) if c.type is ComponentType.RESISTANCE else c for c in components
        ]
    if breathing.hold_ramp(case, s):
        components = [_held(c) if c.type in HELD else c for c in components]
        evidence = ("rec-exercise-with-niv", "rec-respiratory-muscle-review")
        reasons.append(Note("ramp_held_for_breathing", evidence))
    if early:
        trace.append(
            Note(
                "early_combined_programme",
                ("rec-combined", "rec-start-early", "rec-home-with-family", "R40", "R41", "R47"),
                {"minutes_per_day": s.combined_minutes_per_day},
            )
        )
    return components, early


def _hr_ceiling(components: list[Component], week: int) -> tuple[float, Step | None] | None:
    """The heart-rate ceiling that applies in this week, with its phase."""
    aero = next((c for c in components if c.type is ComponentType.AEROBIC), None)
    if aero is None or aero.intensity.hr_bpm is None:
        return None
    step = safety_rules.current_step(aero.progression, week)
    if step is not None and step.hr_bpm is not None and step.hr_bpm.max is not None:
        return step.hr_bpm.max, step
    ceiling = aero.intensity.hr_bpm.max
    return (ceiling, None) if ceiling is not None else None


def _review_weeks(case: Case, s: EngineSettings) -> int:
    """Reassessment: every 3 months, sooner for a fast progressor, and within a month when the
    respiratory assessment decides what follows."""
    review = s.review_after_weeks
    if screening.is_fast(case):
        review = min(review, s.fast_review_after_weeks)
    if breathing.respiratory_first(case, s):
        review = min(review, s.programme_review_every_weeks)
    return review


def _day_limited(case: Case, s: EngineSettings) -> EngineSettings:
    """The settings the week is planned with: a shorter day for an energy deficit."""
    if not screening.energy_deficit(case, s):
        return s
    limit = min(s.max_minutes_per_day, LOW_VOLUME_MAX_MINUTES_PER_DAY)
    return dataclasses.replace(s, max_minutes_per_day=limit)


def prescribe(case: Case, settings: EngineSettings = EngineSettings()) -> Prescription:
    reasons = screening.screen(case, settings)
    trace: list[Note] = list(reasons)
    drafted, early = _draft(case, settings, reasons, trace)
    components = sorted((_adapted(c, case) for c in drafted), key=lambda c: ORDER.index(c.type))
    week = case.history.weeks_completed + 1
    speaks = weakness.speaks(case)
    review = _review_weeks(case, settings)
    emst = any(c.type is ComponentType.RESPIRATORY_MUSCLE for c in components)
    day_settings = _day_limited(case, settings)
    week_plan = schedule.weekly(components, current_week=week, settings=day_settings)
    _note_schedule(week_plan, day_settings, reasons, trace)  # the limit the week was planned to
    room = frames.room_for_frames(week_plan.days, limit=day_settings.max_minutes_per_day)
    components = choice.choose_all(
        components, case, settings, library=exercise_library.default(), week=week, room=room
    )
    days = frames.with_frames(week_plan.days, components, week=week)
    prescription = Prescription(
        status=status_of(tuple(reasons)),
        reasons=tuple(reasons),
        components=tuple(components),
        session_order=tuple(c.type for c in components),
        stop_rules=safety_rules.stop_rules(
            settings, hr_ceiling=_hr_ceiling(components, week), speaks=speaks
        ),
        monitoring=safety_rules.monitoring(settings, speaks=speaks, emst=emst, review_weeks=review),
        review_after_weeks=review,
        current_week=week,
        trace=tuple(trace),
        early_disease=early,
        weekly_schedule=days,
    )
    return _guarded(prescription, case, settings)


def _note_schedule(
    week: schedule.Schedule, s: EngineSettings, reasons: list[Note], trace: list[Note]
) -> None:
    limited, below = schedule.notes(week, s)
    trace.extend(n for n in (limited, below) if n is not None)
    if below is not None:
        reasons.append(below)


def _guarded(p: Prescription, case: Case, s: EngineSettings) -> Prescription:
    problems = bounds.violations(p, case, s)
    if not problems:
        return p
    bug = Note("internal_bound_violation", (), {"violations": tuple(problems)}, Level.REVIEW)
    return dataclasses.replace(
        p,
        status=Status.CLINICIAN_REVIEW if p.status is Status.OK else p.status,
        reasons=(*p.reasons, bug),
        trace=(*p.trace, bug),
    )
