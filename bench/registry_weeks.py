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
    def extend(self, model: type[models.Base], rows: Any) -> None: ...

    def value(self, model: type[models.Base], column: str, value: Any) -> Any: ...


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
        firsts = np.cumsum(planned.ravel()) - planned.ravel()  # each cell's first slot
        slot_in = np.arange(len(week_of)) - firsts[week_of]  # the slot's rank in its cell
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
        cells = np.flatnonzero(np.bincount(cell, minlength=n_cells))
        monday = adherence.week_start(starts_on)
        weeks_of, kinds_of = np.divmod(cells, len(self.kinds))
        week = [
            out.value(models.SessionWeek, "week", monday + dt.timedelta(weeks=w))
            for w in range(weeks)
        ]
        columns = [
            [pid] * len(cells),
            [week[w] for w in weeks_of.tolist()],
            [self.kinds[k] for k in kinds_of.tolist()],
            s.planned.ravel()[cells].tolist(),
            *(counts[name][cells].tolist() for name in adherence.COUNTERS),
        ]
        out.extend(models.SessionWeek, zip(*columns, strict=True))

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
        """The logs the tallies count, column by column in the table's order."""
        live = np.flatnonzero(s.outcome != NONE)
        n = len(live)
        monday = adherence.week_start(starts_on)
        w, k = np.divmod(s.cell[live], len(self.kinds))
        per_week = s.planned.ravel()[s.cell[live]]
        offset = (s.slot[live] * 7) // per_week
        days = [
            max(starts_on, monday + dt.timedelta(weeks=a, days=b))
            for a, b in zip(w.tolist(), offset.tolist(), strict=True)
        ]
        outcome = s.outcome[live].tolist()
        skipped = [o == SKIPPED for o in outcome]

        def pick(mask: np.ndarray, values: np.ndarray) -> list[Any]:
            return [
                v if m else None
                for m, v in zip(mask[live].tolist(), values[live].tolist(), strict=True)
            ]

        plan = s.as_planned[live].tolist()
        kinds = [self.kinds[x] for x in k.tolist()]
        targets = [self.targets[x] for x in kinds]
        symptom = s.symptom[live].tolist()
        reason = s.reason[live].tolist()
        log = models.SessionLog
        v = out.value
        values = {
            "id": [ids() for _ in range(n)],
            "patient_id": [pid] * n,
            "prescription_id": [rid] * n,
            "date": [v(log, "date", d) for d in days],
            "component": kinds,
            "completed": [COMPLETIONS[o] for o in outcome],
            "skip_reason": [
                SKIP_REASONS[r] if sk else None for r, sk in zip(reason, skipped, strict=True)
            ],
            "duration_min": pick(~(s.outcome == SKIPPED), s.duration),
            "avg_hr_bpm": pick(s.has_hr, s.hr),
            "max_hr_bpm": pick(s.has_hr, s.hr + 8),
            "rpe": pick(s.has_rpe, s.rpe.astype(float)),
            "sets": [t.get("sets") if a else None for t, a in zip(targets, plan, strict=True)],
            "reps": [
                t.get("repetitions") if a else None for t, a in zip(targets, plan, strict=True)
            ],
            "fatigue_recovery_min": pick(s.has_fatigue, s.fatigue),
            "symptoms": [v(log, "symptoms", SYMPTOMS[x]) for x in symptom],
            "notes": [None] * n,
            "planned": [v(log, "planned", t) for t in targets],
            "filled_from_plan": [v(log, "filled_from_plan", a) for a in plan],
            "entered_by": [entered_by] * n,
            "entered_as": ["patient"] * n,
            "created_at": [v(log, "created_at", _evening(d)) for d in days],
            "undone_at": [None] * n,
            "undone_by": [None] * n,
        }
        assert set(values) == set(COLUMNS), "every column of session_logs, once"
        out.extend(log, zip(*(values[c] for c in COLUMNS), strict=True))


COLUMNS = tuple(c.name for c in models.table(models.SessionLog).columns)
SYMPTOMS: tuple[list[str], ...] = ([], ["dizziness"], ["cramps"])  # a red flag stops the session


def _evening(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 18, tzinfo=dt.UTC)


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


def uuids(rng: Any) -> Any:
    """Seeded version-4 ids."""
    return lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))
