"""The resistance component: moderate-to-low, only for muscles with antigravity strength.

- Moderate-to-low intensity, 3-5 sessions a week, session length by tolerance
  (rec-resistance; R35 Dal Bello-Haas 2007: moderate load 3x/week; G-acsm-2010: 1 set of 8-12
  repetitions, 3-5 days a week, reduce load as weakness progresses).
- Never exercise a muscle without antigravity strength (MRC < 3): range of motion instead; avoid
  high-resistance and eccentric work; "start low, go slow" (G-paganoni-2015).
- MRC 3 (moves against gravity only): against gravity, no added load. MRC 4-5: light added load
  (elastic band or cuff weight) and submaximal isometric holds (R40).
"""

from __future__ import annotations

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


def _progression(s: EngineSettings) -> tuple[Step, ...]:
    sessions = Span(s.resistance_sessions_min, s.resistance_sessions_min)
    return (
        Step(
            1,
            4,
            sessions,
            Span(10, 15),
            sets=Span(1, 1),
            repetitions=Span(8, 10),
            note="resistance_learn",
        ),
        Step(
            5,
            8,
            Span(s.resistance_sessions_min, min(4, s.resistance_sessions_max)),
            Span(15, 20),
            sets=Span(1, 2),
            repetitions=Span(10, 12),
            note="resistance_build",
        ),
        Step(
            9,
            16,
            Span(s.resistance_sessions_min, s.resistance_sessions_max),
            Span(15, 20),
            sets=Span(1, 2),
            repetitions=Span(10, 12),
            note="resistance_load_only_if_tolerated",
        ),
    )


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
    light = any(case.mrc[g] >= LIGHT_LOAD_FROM_MRC for g in groups)
    constraints = (*CONSTRAINTS, "no_anaerobic_bursts") if case.c9orf72 else CONSTRAINTS
    return (
        Component(
            type=ComponentType.RESISTANCE,
            sessions_per_week=Span(s.resistance_sessions_min, s.resistance_sessions_max),
            minutes_per_session=Span(10, 20),
            intensity=Intensity(
                rpe=Span(s.min_rpe, s.max_rpe),
                load="light_added_load" if light else "against_gravity_only",
            ),
            modalities=_modalities(case, case.mrc, groups),
            evidence=EVIDENCE,
            rationale=(
                Note("resistance_antigravity_only", EVIDENCE, {"mrc_from": s.antigravity_mrc}),
                *notes,
            ),
            progression=_progression(s),
            muscle_groups=groups,
            range_of_motion_only=rom_only,
            sets=Span(1, 2),
            repetitions=Span(8, 12),
            rest_seconds=Span(60, 120),
            constraints=constraints,
        ),
        rom_only,
        notes,
    )
