"""The week at a glance and the paper log of the patient's handout (render/programme_view.py):
which part of the plan is done on which day of the planned week (the stored `weekly_schedule`,
days counted from the patient's own first day), with a box to tick for each session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alsrx.domain.followup import plan as plan_mod
from alsrx.render import prescription_labels as labels
from alsrx.render import programme_parts
from alsrx.render import programme_words as wording
from alsrx.render.programme_parts import Gettext, Part

LOG_WEEKS = 2  # the paper log holds two weeks: one sheet between the calls a clinic makes


@dataclass(frozen=True)
class WeekRow:
    title: str
    cards: str
    boxes: tuple[int, ...]  # per day: 0 not planned, 1 once, 2 twice


@dataclass(frozen=True)
class Week:
    days: tuple[str, ...]
    minutes: tuple[str, ...]
    rows: tuple[WeekRow, ...]


@dataclass(frozen=True)
class LogRow:
    day: str
    planned: tuple[bool, ...]
    first_of_week: bool = False


@dataclass(frozen=True)
class LogSheet:
    columns: tuple[str, ...]
    rows: tuple[LogRow, ...]


def present(content: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The components in the order they are done on combined days."""
    order = list(content.get("session_order") or [])
    found = list(content["components"])
    return sorted(found, key=lambda c: order.index(c["type"]) if c["type"] in order else 99)


def week(content: Mapping[str, Any], week: int, parts: Sequence[Part], _: Gettext) -> Week | None:
    days = content.get("weekly_schedule") or []
    if not days:
        return None
    by_type = {c["type"]: c for c in content["components"]}
    rows = tuple(
        WeekRow(p.title, p.cards_label, tuple(_times(d, p.type) for d in days)) for p in parts
    )
    minutes = []
    for d in days:
        total = sum(
            (plan_mod.planned(by_type[p.type], week).minutes_max or 0) * _times(d, p.type)
            for p in parts
        )
        up_to = _(wording.DAY_UP_TO).format(minutes=programme_parts.number(total))
        minutes.append(up_to if total else _(wording.REST_DAY))
    labels_ = tuple(_(wording.DAY).format(day=d["day"]) for d in days)
    return Week(labels_, tuple(minutes), rows)


def _times(day: Mapping[str, Any], kind: str) -> int:
    if kind not in day.get("components", ()):
        return 0
    return 2 if kind in day.get("twice", ()) else 1


def log(content: Mapping[str, Any], _: Gettext) -> LogSheet:
    """Two weeks of rows, a day each, with boxes where the planned week has a session (every
    part every day for older documents, which have no planned week)."""
    parts = present(content)
    everything = [c["type"] for c in parts]
    days = content.get("weekly_schedule") or [
        {"day": n, "components": everything} for n in range(1, 8)
    ]
    rows = [
        LogRow(
            _(wording.DAY).format(day=d["day"]),
            tuple(c["type"] in d.get("components", ()) for c in parts),
            first_of_week=n == 0,
        )
        for _repeat in range(LOG_WEEKS)
        for n, d in enumerate(days)
    ]
    titles = tuple(programme_parts.label(labels.COMPONENTS, c["type"], _) for c in parts)
    return LogSheet(titles, tuple(rows))
