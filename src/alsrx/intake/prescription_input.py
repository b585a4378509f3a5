"""Parse a prescription input: the assessment input plus exercise-specific facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from alsrx.domain import assessment
from alsrx.domain.prescription.inputs import Case, History
from alsrx.intake import assessment_input


def parse(
    document: object, *, today: dt.date, options: assessment.Options = assessment.Options()
) -> Case:
    parsed = assessment_input.parse(document, today=today)
    raw: Mapping[str, Any] = parsed.raw
    p, a = raw["patient"], raw["assessment"]
    equipment = a.get("equipment")
    return Case(
        assessed=assessment.assess(parsed.patient, parsed.visit, options),
        conditions=frozenset(p.get("conditions", ())),
        c9orf72=p.get("c9orf72"),
        uses_ventilation_support=bool(p.get("uses_ventilation_support", False)),
        beta_blocker=parsed.patient.beta_blocker,
        mrc=dict(a["mrc"]) if "mrc" in a else None,
        equipment=frozenset(equipment) if equipment is not None else None,
        history=_history(raw.get("history", {})),
        lip_seal_poor=bool(a.get("lip_seal_poor", False)),
        sialorrhoea_severe=bool(a.get("sialorrhoea_severe", False)),
        caregiver_at_home=a.get("caregiver_at_home"),
    )


def _history(h: Mapping[str, Any]) -> History:
    previous = h.get("previous_weight_kg")
    return History(
        weeks_completed=int(h.get("weeks_completed", 0)),
        previous_weight_kg=float(previous) if previous is not None else None,
    )
