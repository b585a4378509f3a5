"""The resistance component: moderate-to-low, only for muscles with antigravity strength.

- Moderate-to-low intensity, 3-5 sessions a week, session length by tolerance
  (rec-resistance; R35 Dal Bello-Haas 2007: moderate load 3x/week; G-acsm-2010: 1 set of 8-12
  repetitions, 3-5 days a week, reduce load as weakness progresses).
- Never exercise a muscle without antigravity strength (MRC < 3): range of motion instead; avoid
  high-resistance and eccentric work; "start low, go slow" (G-paganoni-2015).
- MRC 3 (moves against gravity only): against gravity, no added load. MRC 4-5: light added load
  (elastic band or cuff weight) and submaximal isometric holds (R40). The load is per muscle
  group (`muscle_loads`), so an MRC-3 group never inherits the load of an MRC-5 one.
- Session length follows the number of groups trained: about 1-1.5 min per group and set
  (8-12 repetitions and the change-over), 5-20 min a session (alsrx default; the 10-20 min of
  rec-resistance assumed a whole-body programme).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from alsrx.domain.prescription.inputs import MUSCLES, SIDES, Case
from alsrx.domain.prescription.model import (
    Component,
    ComponentType,
    Intensity,
    Note,
    Span,
    Step,
)
from alsrx.domain.prescription.params import EngineSettings

# R33 (Drory 2001) is not cited here: its programme's content is recalled, not seen to be
# loaded resistance work.
EVIDENCE = ("rec-resistance", "R35", "G-paganoni-2015", "G-acsm-2010")
LIGHT_LOAD_FROM_MRC = 4
CONSTRAINTS = ("no_eccentric", "no_high_load", "not_to_failure", "start_low_go_slow")
AGAINST_GRAVITY, LIGHT_LOAD = "against_gravity_only", "light_added_load"
MINUTES_PER_GROUP_SET = (1.0, 1.5)
SESSION_MINUTES = (5, 20)


def load_for(grade: int) -> str:
    return LIGHT_LOAD if grade >= LIGHT_LOAD_FROM_MRC else AGAINST_GRAVITY


def session_minutes(groups: int, sets: Span) -> Span:
    """Minutes a session takes for this many groups and sets, within 5-20 min."""
    low, high = SESSION_MINUTES
    short = math.ceil(groups * MINUTES_PER_GROUP_SET[0] * (sets.min or 1))
    long = math.ceil(groups * MINUTES_PER_GROUP_SET[1] * (sets.max or 1))
    return Span(min(high, max(low, short)), min(high, max(low, long)))


def split_by_strength(
    mrc: Mapping[str, int], antigravity: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(muscle groups fit for resistance work, groups for range of motion only), per side."""
    strong = tuple(
        f"{m}_{s}" for m in MUSCLES for s in SIDES if mrc.get(f"{m}_{s}", -1) >= antigravity
    )
    weak = tuple(
        f"{m}_{s}" for m in MUSCLES for s in SIDES if 0 <= mrc.get(f"{m}_{s}", -1) < antigravity
    )
    return strong, weak


def _modalities(case: Case, mrc: Mapping[str, int], groups: tuple[str, ...]) -> tuple[str, ...]:
    chosen = ["body_weight_against_gravity"]
    if any(mrc[g] >= LIGHT_LOAD_FROM_MRC for g in groups):
        chosen.append("submaximal_isometric")
        for tool in ("elastic_bands", "cuff_weights"):
            if case.equipment is None or tool in case.equipment:
                chosen.append(tool)
    return tuple(chosen)


def _progression(s: EngineSettings, groups: int) -> tuple[Step, ...]:
    sessions = Span(s.resistance_sessions_min, s.resistance_sessions_min)
    one, two = session_minutes(groups, Span(1, 1)), session_minutes(groups, Span(1, 2))
    return (
        Step(
            1,
            4,
            sessions,
            one,
            sets=Span(1, 1),
            repetitions=Span(8, 10),
            note="resistance_learn",
        ),
        Step(
            5,
            8,
            Span(s.resistance_sessions_min, min(4, s.resistance_sessions_max)),
            two,
            sets=Span(1, 2),
            repetitions=Span(10, 12),
            note="resistance_build",
        ),
        Step(
            9,
            16,
            Span(s.resistance_sessions_min, s.resistance_sessions_max),
            two,
            sets=Span(1, 2),
            repetitions=Span(10, 12),
            note="resistance_load_only_if_tolerated",
        ),
    )


def _load_notes(loads: Mapping[str, str]) -> list[Note]:
    """Which groups lift against gravity only and which may take a light load."""
    notes = []
    for load, code in (
        (AGAINST_GRAVITY, "resistance_groups_against_gravity"),
        (LIGHT_LOAD, "resistance_groups_light_load"),
    ):
        groups = tuple(g for g, v in loads.items() if v == load)
        if groups:
            notes.append(Note(code, ("rec-weakness-pattern", "R40"), {"groups": groups}))
    return notes


def component(
    case: Case, s: EngineSettings
) -> tuple[Component | None, tuple[str, ...], list[Note]]:
    """The component (or None), the groups for range of motion only, and notes."""
    if case.mrc is None:
        return None, (), []
    groups, rom_only = split_by_strength(case.mrc, s.antigravity_mrc)
    notes: list[Note] = []
    if rom_only:
        notes.append(
            Note(
                "resistance_excludes_weak_muscles",
                ("G-paganoni-2015",),
                {"groups": rom_only, "mrc_below": s.antigravity_mrc},
            )
        )
    if not groups:
        notes.append(Note("no_antigravity_muscles", ("G-paganoni-2015",)))
        return None, rom_only, notes
    loads = {g: load_for(case.mrc[g]) for g in groups}
    light = LIGHT_LOAD in loads.values()
    constraints = (*CONSTRAINTS, "no_anaerobic_bursts") if case.c9orf72 else CONSTRAINTS
    return (
        Component(
            type=ComponentType.RESISTANCE,
            sessions_per_week=Span(s.resistance_sessions_min, s.resistance_sessions_max),
            minutes_per_session=session_minutes(len(groups), Span(1, 2)),
            intensity=Intensity(
                rpe=Span(s.min_rpe, s.max_rpe),
                load=LIGHT_LOAD if light else AGAINST_GRAVITY,
            ),
            modalities=_modalities(case, case.mrc, groups),
            evidence=EVIDENCE,
            rationale=(
                Note("resistance_antigravity_only", EVIDENCE, {"mrc_from": s.antigravity_mrc}),
                *notes,
                *_load_notes(loads),
            ),
            progression=_progression(s, len(groups)),
            muscle_groups=groups,
            muscle_loads=loads,
            range_of_motion_only=rom_only,
            sets=Span(1, 2),
            repetitions=Span(8, 12),
            rest_seconds=Span(60, 120),
            constraints=constraints,
        ),
        rom_only,
        notes,
    )
