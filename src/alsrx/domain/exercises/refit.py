"""A plan's named exercises kept true to its dose when a follow-up proposal changes the dose.

Proposals (domain/followup/proposals.py) move a stored plan to another phase, lower the top of
its ranges or take standing work out. Its exercises must follow, or the handout and Today would
list exercises the session no longer has time for, or standing work after repeated falls:
- resistance exercises take the new phase's sets and repetitions (as the first choice did:
  choice._resistance, rec-resistance);
- a continuous aerobic exercise takes the session's new time, its warm-up and cool-down kept
  beside or inside as they were;
- what no longer fits in the session is left out from the end, the cool-down kept last;
- with standing paused, each standing exercise gives way to the first easier variant that is not
  done standing and serves the same component, or goes (rec-fall-response, an alsrx default).
The result is a stored content document again (codes and numbers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from alsrx.domain.exercises import choice, frames
from alsrx.domain.exercises.library import Exercise, Library
from alsrx.domain.followup import plan as plan_mod

FRAMES = frames.FRAMES


def refit(content: dict[str, Any], *, library: Library) -> dict[str, Any]:
    """The same document with every component's exercises fitted to its dose (in place)."""
    week = int(content.get("current_week") or 1)
    no_standing = bool(content.get("standing_paused"))
    for c in content.get("components", ()):
        if c.get("exercises"):
            c["exercises"] = _component(c, week, library, no_standing=no_standing)
    return content


def _component(
    c: Mapping[str, Any], week: int, library: Library, *, no_standing: bool
) -> list[dict[str, Any]]:
    doses = [d for d in c["exercises"] if d.get("id") in library.entries]
    if no_standing:
        doses = [r for d in doses if (r := _seated(d, c["type"], library)) is not None]
    planned = plan_mod.planned(c, week)
    if c["type"] == "resistance":
        doses = [_redosed(d, library, sets=planned.sets, reps=_least_reps(c, week)) for d in doses]
    budget = float(planned.minutes_max or 0)
    return _within(_continuous(doses, budget, library), budget, library)


def _least_reps(c: Mapping[str, Any], week: int) -> int | None:
    step = plan_mod.current_step(c, week) or {}
    reps = step.get("repetitions") or c.get("repetitions") or {}
    return int(reps["min"]) if reps.get("min") else None


def _seated(d: dict[str, Any], kind: str, library: Library) -> dict[str, Any] | None:
    e: Exercise | None = library.entries[d["id"]]
    seen = set()
    while e is not None and e.position == "standing" and e.id not in seen:
        seen.add(e.id)
        e = library.get(e.easier) if e.easier else None
    if e is None or e.position == "standing" or kind not in {t.value for t in e.components}:
        return None
    return d if e.id == d["id"] else _as_dict(choice.dose(e, side=d.get("side", "both")))


def _redosed(
    d: dict[str, Any], library: Library, *, sets: float | None, reps: int | None
) -> dict[str, Any]:
    e = library.entries[d["id"]]
    if e.category in FRAMES or e.dose.repetitions is None:
        return d
    side = d.get("side") if d.get("side") not in (None, "none") else "both"
    return _as_dict(choice.dose(e, side=str(side), sets=int(sets or 1), repetitions=reps))


def _continuous(
    doses: list[dict[str, Any]], budget: float, library: Library
) -> list[dict[str, Any]]:
    """A continuous exercise lasts what the session leaves; a frame inside stays inside."""
    steady = [d for d in doses if d.get("repetitions") is None and d.get("hold_seconds") is None]
    if not steady:
        return doses
    framing = sum(d["minutes"] for d in doses if library.entries[d["id"]].category in FRAMES)
    others = sum(
        d["minutes"]
        for d in doses
        if d not in steady and library.entries[d["id"]].category not in FRAMES
    )
    total = sum(d["minutes"] for d in doses)
    inside = framing if total <= budget + 1e-9 else 0.0
    rest = max(choice.MIN_CONTINUOUS_MINUTES, round(budget - others - inside, 1))
    return [dict(d, minutes=rest) if d in steady else d for d in doses]


def _within(doses: list[dict[str, Any]], budget: float, library: Library) -> list[dict[str, Any]]:
    """Left out from the end until the session's own exercises fit (frames do not count)."""
    own = [d for d in doses if library.entries[d["id"]].category not in FRAMES]
    while own and sum(d["minutes"] for d in own) > budget + 1e-9:
        own.pop()
    return [d for d in doses if library.entries[d["id"]].category in FRAMES or d in own]


def _as_dict(d: object) -> dict[str, Any]:
    return dataclasses.asdict(d)  # type: ignore[call-overload,no-any-return]
