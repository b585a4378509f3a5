"""The week's side of warm-ups and cool-downs: the room each session has for them under the
daily limit, and the days counted with them (exercises/choice.py places them)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

from alsrx.domain.exercises.library import Library
from alsrx.domain.prescription import schedule
from alsrx.domain.prescription.model import Component, ComponentType, Day

FRAMES = ("warm_up", "cool_down")


def conditioning_minutes(c: Component, library: Library) -> float:
    """The session's exercises but its warm-up and cool-down: what the session's time holds."""
    return sum(d.minutes for d in c.exercises if library.entries[d.id].category not in FRAMES)


def room_for_frames(days: Iterable[Day], *, limit: int) -> dict[ComponentType, float]:
    """Per component, the least room under the daily limit on the days it is planned."""
    room: dict[ComponentType, float] = {}
    for day in days:
        for t in (*day.components, *day.twice):
            room[t] = min(room.get(t, float(limit)), float(limit - day.minutes_max))
    return room


def beyond_session(c: Component, *, week: int) -> float:
    """Minutes a session's exercises take beyond the session's own time: a warm-up and
    cool-down placed beside it."""
    budget = float(schedule.current_phase(c, week)[1].max or 0)
    return max(0.0, sum(d.minutes for d in c.exercises) - budget)


def with_frames(
    days: Iterable[Day], components: Iterable[Component], *, week: int
) -> tuple[Day, ...]:
    """The week's days with the warm-ups and cool-downs beside their sessions counted in."""
    extra = {c.type: beyond_session(c, week=week) for c in components}
    return tuple(
        dataclasses.replace(
            d,
            minutes_max=d.minutes_max
            + math.ceil(sum(extra.get(t, 0.0) for t in (*d.components, *d.twice)) - 1e-9),
        )
        for d in days
    )
