"""A clinician's edit of one component, applied to the stored draft and checked as a whole.

One representation for the page and the API: `changes` maps a dotted path inside the component
to a number, e.g. {"minutes_per_session.max": 20, "intensity.hr_bpm.max": 140,
"progression[0].sessions_per_week.max": 3}. `apply` refuses unknown paths and non-numbers and
returns the changed document; `check` then judges the whole prescription, every component:
- each end of every range (the component's and each progression step's) within the bound
  component_bounds.py gives for this patient, a whole number where the engine writes one;
- no inverted range (an edited 15 -> 6 minutes is refused, not stored);
- a progression step never above its component's own range (`component_range`);
- the weekly schedule still places every component's least sessions a week under the daily
  limit (schedule.weekly, max_minutes_per_day: about 1 h a day, rec-combined).
Each refusal is a FieldError naming the path (`components.aerobic.minutes_per_session.max`), the
bound and its source code: above_bound {max, unit, source}, below_bound {min, unit, source},
inverted_range {min, max}, not_whole, no_hr_target, schedule_cannot_fit {limit, unit, source}.
Lowering a component's maximum lowers its steps' maxima with it (an edit need not repeat itself
for every phase), as the aerobic edit always did.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

from alsrx.domain.prescription import component_bounds, schedule
from alsrx.domain.prescription.component_bounds import Bound
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.model import Component, ComponentType, Intensity, Span, Step
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import FieldError

RANGES = (
    "sessions_per_week",
    "minutes_per_session",
    "intensity.hr_bpm",
    "intensity.percent_hrr",
    "intensity.rpe",
    "intensity.percent_mep",
    "sets",
    "repetitions",
)
VALUES = ("intensity.device_pressure_cmh2o",)  # one number, not a range
STEP_RANGES = ("sessions_per_week", "minutes_per_session", "hr_bpm", "sets", "repetitions")
# Derived from the heart-rate range the engine wrote with it: checked, not typed in.
DERIVED = ("intensity.percent_hrr", "progression[].percent_hrr")
STEP = re.compile(r"progression\[(\d+)\]\.(.+)")
TOLERANCE = 1e-9
# A decimal bound is stored to one place (half up), so a stored end may exceed it by this much.
SHOWN = 0.05 + TOLERANCE


def _get(doc: Mapping[str, Any], path: str) -> Any:
    node: Any = doc
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _bound_key(path: str) -> str:
    """The bound a range's path is held to: a step's heart rate is the component's."""
    return f"intensity.{path}" if path in ("hr_bpm", "percent_hrr") else path


def editable(component: Mapping[str, Any], bounds: Mapping[str, Bound]) -> list[str]:
    """Every path a clinician may change in this component: each end of each range it has
    (and the EMST device setting), the component's then each step's, in that order."""
    paths: list[str] = []
    for r in RANGES:
        if isinstance(_get(component, r), Mapping) and r in bounds and r not in DERIVED:
            paths += [f"{r}.min", f"{r}.max"]
    paths += [v for v in VALUES if _get(component, v) is not None and v in bounds]
    for i, step in enumerate(component.get("progression") or ()):
        for r in STEP_RANGES:
            if isinstance(step.get(r), Mapping) and _bound_key(r) in bounds:
                paths += [f"progression[{i}].{r}.min", f"progression[{i}].{r}.max"]
    return paths


def _number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and value == value


def _set(doc: dict[str, Any], path: str, value: object) -> None:
    step = STEP.fullmatch(path)
    if step:
        doc, path = doc["progression"][int(step.group(1))], step.group(2)
    *parents, last = path.split(".")
    for part in parents:
        doc = doc[part]
    doc[last] = value


def apply(
    component: Mapping[str, Any], changes: Mapping[str, object], bounds: Mapping[str, Bound]
) -> tuple[dict[str, Any], list[FieldError]]:
    """The component with the changes made, and why a change could not be made at all."""
    allowed = editable(component, bounds)
    out = copy.deepcopy(dict(component))
    errors: list[FieldError] = []
    for path, value in changes.items():
        if path not in allowed:
            errors.append(FieldError(path, "not_allowed", {"allowed": tuple(allowed)}))
        elif not _number(value):
            errors.append(FieldError(path, "wrong_type", {"expected": "number"}))
        else:
            _set(out, path, value)
    if not errors:
        _follow_steps(out, changes)
    return out, errors


def _follow_steps(component: dict[str, Any], changes: Mapping[str, object]) -> None:
    """A lowered component maximum lowers each step's (unless the step was edited itself)."""
    for r in STEP_RANGES:
        key = _bound_key(r)
        top = _get(component, f"{key}.max")
        if f"{key}.max" not in changes or top is None:
            continue
        for i, step in enumerate(component.get("progression") or ()):
            span = step.get(r)
            if not isinstance(span, dict) or f"progression[{i}].{r}.max" in changes:
                continue
            if span.get("max") is not None and span["max"] > top:
                span["max"] = top
            if span.get("min") is not None and span["max"] is not None:
                span["min"] = min(span["min"], span["max"])


def _range_errors(path: str, span: Mapping[str, Any], bound: Bound) -> Iterable[FieldError]:
    low, high = span.get("min"), span.get("max")
    for end, value in (("min", low), ("max", high)):
        if value is None:
            continue
        yield from _value_errors(f"{path}.{end}", value, bound)
    # A decimal range is stored min half up, max down: equal ends may differ by a tenth.
    slack = TOLERANCE if bound.integer else 2 * SHOWN
    if low is not None and high is not None and low > high + slack:
        yield FieldError(f"{path}.min", "inverted_range", {"min": low, "max": high})


def _value_errors(path: str, value: object, bound: Bound) -> Iterable[FieldError]:
    if not _number(value):
        yield FieldError(path, "wrong_type", {"expected": "number"})
        return
    assert isinstance(value, int | float)
    if bound.integer and not float(value).is_integer():
        yield FieldError(path, "not_whole", {"unit": bound.unit})
    elif value > bound.high + (TOLERANCE if bound.integer else SHOWN):
        params = {"max": bound.high, "unit": bound.unit, "source": bound.high_source}
        yield FieldError(path, "above_bound", {**params, **bound.params})
    elif value < bound.low - TOLERANCE:
        params = {"min": bound.low, "unit": bound.unit, "source": bound.low_source}
        yield FieldError(path, "below_bound", {**params, **bound.params})


def _within_component(
    path: str, span: Mapping[str, Any], outer: Mapping[str, Any] | None, bound: Bound
) -> Iterable[FieldError]:
    top: Any = outer.get("max") if isinstance(outer, Mapping) else None
    value: Any = span.get("max")
    if _number(top) and _number(value) and float(value) > float(top) + TOLERANCE:
        params = {"max": top, "unit": bound.unit, "source": "component_range"}
        yield FieldError(f"{path}.max", "above_bound", params)


def check_component(component: Mapping[str, Any], bounds: Mapping[str, Bound]) -> list[FieldError]:
    """Every bound of one component, paths relative to it."""
    errors: list[FieldError] = []
    for r in RANGES:
        span = _get(component, r)
        if not isinstance(span, Mapping):
            continue
        if r not in bounds:
            if r == "intensity.hr_bpm":  # a heart-rate target the patient's data cannot carry
                errors.append(FieldError(f"{r}.max", "no_hr_target", {}))
            continue
        errors += _range_errors(r, span, bounds[r])
    for v in VALUES:
        value = _get(component, v)
        if value is not None and v in bounds:
            errors += _value_errors(v, value, bounds[v])
    for i, step in enumerate(component.get("progression") or ()):
        for r in (*STEP_RANGES, "percent_hrr"):
            span, key = step.get(r), _bound_key(r)
            if not isinstance(span, Mapping):
                continue
            if key not in bounds:
                if r == "hr_bpm":
                    errors.append(FieldError(f"progression[{i}].{r}.max", "no_hr_target", {}))
                continue
            path = f"progression[{i}].{r}"
            errors += _range_errors(path, span, bounds[key])
            errors += _within_component(path, span, _get(component, key), bounds[key])
    return errors


def _span(raw: object) -> Span:
    raw = raw if isinstance(raw, Mapping) else {}
    return Span(raw.get("min"), raw.get("max"))


def model(component: Mapping[str, Any]) -> Component:
    """The parts of a stored component the weekly schedule reads (sessions and minutes)."""
    steps = tuple(
        Step(
            first_week=int(st["weeks"]["from"]),
            last_week=int(st["weeks"]["to"]),
            sessions_per_week=_span(st.get("sessions_per_week")),
            minutes_per_session=_span(st.get("minutes_per_session")),
        )
        for st in component.get("progression") or ()
    )
    return Component(
        type=ComponentType(component["type"]),
        sessions_per_week=_span(component.get("sessions_per_week")),
        minutes_per_session=_span(component.get("minutes_per_session")),
        intensity=Intensity(),
        modalities=(),
        evidence=(),
        rationale=(),
        progression=steps,
    )


def week(content: Mapping[str, Any], settings: EngineSettings) -> schedule.Schedule:
    """The weekly schedule the document's doses give in its current week."""
    components = [model(c) for c in content.get("components", ())]
    current = int(content.get("current_week") or 1)
    return schedule.weekly(components, current_week=current, settings=settings)


def stored_week(content: Mapping[str, Any], settings: EngineSettings) -> list[dict[str, Any]]:
    """The stored form of the week the document's doses give (render/prescription_json writes
    the same keys): what a changed dose must store, or the days would keep the old dose."""
    return [
        {
            "day": d.day,
            "components": [t.value for t in d.components],
            "minutes_max": d.minutes_max,
            "twice": [t.value for t in d.twice],
        }
        for d in week(content, settings).days
    ]


def stored_settings(content: Mapping[str, Any]) -> EngineSettings:
    """The engine settings a stored document was drafted with (defaults for any not stored)."""
    stored = content.get("settings") or {}
    names = {f.name for f in dataclasses.fields(EngineSettings)}
    return EngineSettings(**{k: v for k, v in stored.items() if k in names})


def check(
    content: Mapping[str, Any],
    case: Case,
    settings: EngineSettings,
    *,
    before: Mapping[str, Any] | None = None,
) -> list[FieldError]:
    """Every reason the prescription, as edited, is outside the engine's bounds for the patient
    (empty when it may be stored). Paths are `components.<type>.<path>`. `before`: the document
    as it was; a component the engine's own week already left below its least sessions (the
    draft says so to the clinician) is not the edit's doing."""
    errors: list[FieldError] = []
    for c in content.get("components", ()):
        kind = ComponentType(c["type"])
        bounds = component_bounds.for_component(kind, case, settings)
        errors += [
            FieldError(f"components.{kind.value}.{e.path}", e.code, e.params)
            for e in check_component(c, bounds)
        ]
    if errors:  # a schedule of invalid doses says nothing useful
        return errors
    plan = week(content, settings)
    already = set(week(before, settings).below_minimum) if before is not None else set()
    limit = {"limit": settings.max_minutes_per_day, "unit": "min", "source": "daily_limit"}
    return [
        FieldError(f"components.{t.value}.sessions_per_week.min", "schedule_cannot_fit", limit)
        for t in plan.below_minimum
        if t not in already
    ]
