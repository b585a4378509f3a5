"""A reference subject's visits, gathered from the ALSFRS, FVC and vital-signs files: rows of one
subject on the same day (the same delta) merge into one visit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from alsrx.analytics import proact_cells as cells
from alsrx.analytics.proact_cells import Row, Skip

MEASURES = ("alsfrs_r_total", "items", "fvc_l", "fvc_percent", "weight_kg", "height_cm")


@dataclass(frozen=True)
class Visit:
    source_id: str  # the subject's PRO-ACT id
    days_from_entry: int
    days_since_onset: int | None  # None: the onset is unknown; only days_from_entry holds
    alsfrs_r_total: float | None = None
    items: Mapping[str, int] | None = None  # alsrx.domain.scales.alsfrs_r item codes
    fvc_l: float | None = None
    fvc_percent: float | None = None
    weight_kg: float | None = None
    height_cm: float | None = None

    @property
    def since_onset(self) -> bool:
        """Whether the visit's time is known relative to symptom onset."""
        return self.days_since_onset is not None


@dataclass
class VisitRows:
    """Visits being gathered, by (subject, days from entry)."""

    found: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    since: dict[tuple[str, int], int | None] = field(default_factory=dict)

    def add(
        self,
        delta_column: str,
        onsets: Mapping[str, int | None],
        measure: Callable[[Row], dict[str, Any]],
        row: Row,
    ) -> str:
        """Merge one row's measurements into its visit; returns the subject (Skip if unused)."""
        sid = cells.subject_id(row)
        delta = cells.days(row, delta_column)
        if delta is None:
            raise Skip("missing", delta_column)
        values = {k: v for k, v in measure(row).items() if v is not None}
        if not values:
            raise Skip("no_values")
        onset = onsets.get(sid)
        since = None if onset is None else delta - onset
        if since is not None and since < 0:
            raise Skip("before_onset", delta_column)
        key = (sid, delta)
        known = self.found.setdefault(key, {})
        _check_merge(known, values)
        known.update(values)
        self.since[key] = since
        return sid

    def subject_ids(self) -> set[str]:
        return {sid for sid, _ in self.found}

    def values(self) -> tuple[Visit, ...]:
        return tuple(
            Visit(sid, delta, self.since[(sid, delta)], **self.found[(sid, delta)])
            for sid, delta in sorted(self.found)
        )


def _check_merge(known: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    clash = [k for k, v in values.items() if k in known and known[k] != v]
    if clash:
        raise Skip("conflicting_visit", clash[0])
    if values.keys() <= known.keys():
        raise Skip("duplicate_row")


def frozen_items(items: Mapping[str, int]) -> Mapping[str, int] | None:
    return MappingProxyType(dict(items)) if items else None
