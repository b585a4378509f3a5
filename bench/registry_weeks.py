"""The registry's home sessions: each patient's `weeks` weeks of the plan as week tallies
(`session_weeks`) and, for the patients that get them, the session logs those tallies count.

Vectorised with numpy per patient: every planned session of every week is one slot, with an
outcome drawn from the patient's adherence of that week (the patient's own level, falling over
the course, plus noise, and whole silent weeks): done (half of them tapped "as planned", the
plan's values filled in, as services/session_logs.py does), partial, skipped, stopped after a red
flag, or nothing logged. A week tally adds up its slots by adherence.contribution's rules, so it
equals what the app's upserts would have stored for those logs; `check` recounts a few patients
with services/session_weeks.recount. Rows exist only for week-components with a log, as in use.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Protocol

import numpy as np

from alsrx.db import models
from alsrx.domain.followup import adherence

DONE, PARTIAL, SKIPPED, STOPPED, NONE = range(5)
COMPLETIONS = ("done", "partial", "skipped", "stopped")
SKIP_REASONS = ("too tired", "unwell", "appointment", "bad weather", "no helper today")
RPE = np.array([9, 11, 12, 12, 13, 13, 14, 15])  # Borg 6-20
RECOVERY_MIN = np.array([2.0, 5.0, 8.0, 10.0, 15.0, 30.0])
SILENT_WEEK = 0.2  # share of a non-adherent patient's weeks with nothing logged at all
RED_FLAG = 0.002  # a done session turned into one stopped for dizziness


class Sink(Protocol):
    def add(self, model: type[models.Base], row: dict[str, Any]) -> None: ...


class Planner:
    def __init__(
        self,
        prescription: dict[str, Any],
        log: dict[str, Any],
        targets: dict[str, dict[str, Any]],
        seed: int,
    ) -> None:
        self.schedule = prescription["planned_weeks"]
        self.kinds = tuple(self.schedule["components"])
        self.log = log
        self.targets = targets  # each component's `planned` target, as a log stores it
        self.np = np.random.default_rng(seed)
        self._plans: dict[tuple[int, int], np.ndarray] = {}

    def _planned(self, starts_on: dt.date, weeks: int) -> tuple[np.ndarray, np.ndarray]:
        """Sessions and minutes planned, weeks x components (the app's planned_in_week)."""
        key = (starts_on.weekday(), weeks)
        found = self._plans.get(key)
        if found is None:
            monday = adherence.week_start(starts_on)
            cells = [
                adherence.planned_in_week(
                    self.schedule, starts_on=starts_on, monday=monday + dt.timedelta(weeks=k)
                )
                for k in range(weeks)
            ]
            found = np.array(
                [[(c[kind][0], c[kind][1] or 0) for kind in self.kinds] for c in cells], float
            )
            self._plans[key] = found
        return found[:, :, 0].astype(int), found[:, :, 1]

    def weeks(
        self,
        out: Sink,
        *,
        pid: str,
        rid: str,
        starts_on: dt.date,
        adherence_level: float,
        weeks: int,
        logs: bool,
        entered_by: int,
        ids: Any,
    ) -> None:
        planned, minutes = self._planned(starts_on, weeks)
        g = self.np
        n_kinds = len(self.kinds)
        week_of = np.repeat(np.arange(weeks * n_kinds), planned.ravel())  # slot -> cell
        slot_in = (
            np.concatenate([np.arange(n) for n in planned.ravel()]) if len(week_of) else week_of
        )
        level = adherence_level * (1 - 0.35 * np.arange(weeks) / weeks) + g.normal(0, 0.1, weeks)
        level = np.clip(level, 0, 1)
        silent = g.random(weeks) < SILENT_WEEK * (1 - adherence_level)
        u = g.random(len(week_of))
        cell_level = level[week_of // n_kinds]
        outcome = np.full(len(week_of), NONE)
        outcome[u < cell_level + (1 - cell_level) * 0.5] = SKIPPED
        outcome[u < cell_level] = DONE
        outcome[(outcome == DONE) & (g.random(len(week_of)) < 0.1)] = PARTIAL
        outcome[(outcome == DONE) & (g.random(len(week_of)) < RED_FLAG)] = STOPPED
        outcome[silent[week_of // n_kinds]] = NONE
        slots = _Slots(self, g, week_of, slot_in, outcome, planned, minutes)
        self._tallies(out, pid, slots, starts_on, weeks)
        if logs:
            self._logs(out, pid, rid, slots, starts_on, entered_by, ids)

    def _tallies(self, out: Sink, pid: str, s: _Slots, starts_on: dt.date, weeks: int) -> None:
        n_cells = weeks * len(self.kinds)
        live = s.outcome != NONE
        cell = s.cell[live]

        def total(values: np.ndarray) -> np.ndarray:
            return np.bincount(cell, weights=values[live], minlength=n_cells).astype(int)

        exercised = (s.outcome != SKIPPED) & live
        counts = {name: total((s.outcome == k).astype(float)) for k, name in enumerate(COMPLETIONS)}
        counts["seconds"] = total(np.where(exercised, np.round(s.duration * 60), 0))
        counts["with_hr"] = total((exercised & s.has_hr).astype(float))
        counts["in_hr_range"] = total((exercised & s.has_hr & s.in_range).astype(float))
        counts["rpe_n"] = total((exercised & s.has_rpe).astype(float))
        counts["rpe_total"] = total(np.where(exercised & s.has_rpe, s.rpe, 0))
        counts["fatigue_n"] = total((exercised & s.has_fatigue).astype(float))
        counts["fatigue_seconds"] = total(np.where(exercised & s.has_fatigue, s.fatigue * 60, 0))
        counts["with_tolerance"] = total((exercised & (s.has_rpe | s.has_fatigue)).astype(float))
        counts["with_symptoms"] = total(s.has_symptom.astype(float))
        logged = np.bincount(cell, minlength=n_cells)
        monday = adherence.week_start(starts_on)
        planned = s.planned.ravel()
        columns = {k: v.tolist() for k, v in counts.items()}
        for c in np.flatnonzero(logged).tolist():
            w, k = divmod(c, len(self.kinds))
            row = {name: columns[name][c] for name in adherence.COUNTERS}
            row |= {"patient_id": pid, "week": monday + dt.timedelta(weeks=w)}
            row |= {"component": self.kinds[k], "planned": int(planned[c])}
            out.add(models.SessionWeek, row)

    def _logs(
        self,
        out: Sink,
        pid: str,
        rid: str,
        s: _Slots,
        starts_on: dt.date,
        entered_by: int,
        ids: Any,
    ) -> None:
        monday = adherence.week_start(starts_on)
        base = dict(self.log, patient_id=pid, prescription_id=rid, entered_by=entered_by)
        base |= {"entered_as": "patient", "undone_at": None, "undone_by": None, "notes": None}
        for i in np.flatnonzero(s.outcome != NONE).tolist():
            w, k = divmod(int(s.cell[i]), len(self.kinds))
            kind = self.kinds[k]
            n = int(s.planned.ravel()[s.cell[i]])
            day = max(starts_on, monday + dt.timedelta(weeks=w, days=(int(s.slot[i]) * 7) // n))
            out.add(
                models.SessionLog,
                base
                | s.log_fields(i, kind)
                | {
                    "id": ids(),
                    "date": day,
                    "created_at": dt.datetime(day.year, day.month, day.day, 18, tzinfo=dt.UTC),
                },
            )


class _Slots:
    """Every planned session of a patient's weeks and what was logged for it."""

    def __init__(
        self,
        planner: Planner,
        g: np.random.Generator,
        cell: np.ndarray,
        slot: np.ndarray,
        outcome: np.ndarray,
        planned: np.ndarray,
        minutes: np.ndarray,
    ) -> None:
        n = len(cell)
        self.planner, self.cell, self.slot, self.outcome, self.planned = (
            planner,
            cell,
            slot,
            outcome,
            planned,
        )
        full = minutes.ravel()[cell]
        self.as_planned = (outcome == DONE) & (g.random(n) < 0.5)
        self.duration = np.where(
            outcome == DONE,
            full,
            np.where(
                outcome == PARTIAL, np.round(full / 2), np.round(full * g.uniform(0.1, 0.6, n))
            ),
        )
        told = ~self.as_planned & (outcome != SKIPPED) & (outcome != NONE)
        kinds = planner.kinds
        hr_max = np.array([planner.targets[k].get("hr_max_bpm") or 0 for k in kinds], float)
        hr_min = np.array([planner.targets[k].get("hr_min_bpm") or 0 for k in kinds], float)
        kind_of = cell % len(kinds)
        self.has_hr = told & (hr_max[kind_of] > 0) & (g.random(n) < 0.6)
        self.hr = np.round(hr_max[kind_of] - g.uniform(-4, 15, n))
        low, high = hr_min[kind_of], hr_max[kind_of]
        self.in_range = (self.hr >= low) & ((high == 0) | (self.hr <= high))
        self.has_rpe = told & (g.random(n) < 0.6)
        self.rpe = RPE[g.integers(0, len(RPE), n)]
        self.has_fatigue = told & (g.random(n) < 0.5)
        self.fatigue = RECOVERY_MIN[g.integers(0, len(RECOVERY_MIN), n)]
        cramps = told & (g.random(n) < 0.03)
        self.symptom = np.where(outcome == STOPPED, 1, np.where(cramps, 2, 0))
        self.has_symptom = self.symptom > 0
        self.reason = g.integers(0, len(SKIP_REASONS), n)

    def log_fields(self, i: int, kind: str) -> dict[str, Any]:
        """One log's columns, as services/session_logs.record stores them."""
        target = self.planner.targets[kind]
        outcome = int(self.outcome[i])
        skipped = outcome == SKIPPED
        as_planned = bool(self.as_planned[i])
        symptom = int(self.symptom[i])
        return {
            "component": kind,
            "completed": COMPLETIONS[outcome],
            "skip_reason": SKIP_REASONS[int(self.reason[i])] if skipped else None,
            "duration_min": None if skipped else float(self.duration[i]),
            "avg_hr_bpm": float(self.hr[i]) if self.has_hr[i] else None,
            "max_hr_bpm": float(self.hr[i] + 8) if self.has_hr[i] else None,
            "rpe": float(self.rpe[i]) if self.has_rpe[i] else None,
            "sets": target.get("sets") if as_planned else None,
            "reps": target.get("repetitions") if as_planned else None,
            "fatigue_recovery_min": float(self.fatigue[i]) if self.has_fatigue[i] else None,
            "symptoms": ["dizziness"] if symptom == 1 else ["cramps"] if symptom == 2 else [],
            "planned": target,
            "filled_from_plan": as_planned,
        }


def uuids(rng: Any) -> Any:
    """Seeded version-4 ids."""
    return lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))
