"""The cohort builder's query string, read once for the research page and the API."""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import Request

from alsrx.analytics import disclosure
from alsrx.errors import FieldError, InvalidInput
from alsrx.render import patient_labels
from alsrx.render.assessment_text import CATEGORY
from alsrx.services import research_cohort
from alsrx.services.research_analyses import Analysis

KINGS = ("1", "2", "3", "4A", "4B")


def _many(request: Request, name: str, allowed: tuple[str, ...]) -> frozenset[str]:
    values = frozenset(request.query_params.getlist(name))
    if not values <= set(allowed):
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": allowed})])
    return values


def query(request: Request, centres: dict[int, str]) -> tuple[research_cohort.Filters, str, bool]:
    """The builder's filters, grouping and D50 option from the page's query string."""
    q = request.query_params
    wanted = _many(request, "centre", tuple(str(c) for c in centres))
    grouping = q.get("group_by", "adherence")
    if grouping not in research_cohort.GROUPINGS:
        raise InvalidInput(
            [FieldError("group_by", "not_one_of", {"allowed": research_cohort.GROUPINGS})]
        )
    if q.get("anchor", "") not in ("", "1"):
        raise InvalidInput([FieldError("anchor", "bad_value", {})])
    filters = research_cohort.Filters(
        centre_ids=frozenset(int(c) for c in wanted),
        onset_regions=_many(request, "onset_region", tuple(patient_labels.ONSET_REGION)),
        kings_stages=_many(request, "kings", KINGS),
        categories=_many(request, "category", tuple(CATEGORY)),
        programmes=_many(request, "programme", research_cohort.PROGRAMMES),
        adherence=_many(request, "adherence", research_cohort.ORDER["adherence"]),
        doses=_many(request, "dose", research_cohort.ORDER["dose"]),
    )
    return filters, grouping, q.get("anchor") == "1"


def analysis_json(a: Analysis) -> dict[str, Any]:
    """An analysis for programs: codes and numbers (None where the policy withholds a value),
    with its methods, n and caveats."""
    comparison = None
    if a.comparison is not None:
        c, policy = a.comparison, disclosure.policy_named(a.policy)
        comparison = {
            "patients": disclosure.count(c.n_patients, policy),
            "reference": c.reference,
            "slopes": [
                dataclasses.asdict(g) | {"n_patients": disclosure.count(g.n_patients, policy)}
                for g in c.slopes
            ],
            "differences": [dataclasses.asdict(d) for d in c.differences],
            "method": c.method,
            "caveats": [str(x) for x in c.caveats],
        }
    return {
        "grouping": a.grouping,
        "disclosure_policy": a.policy,
        "d50_anchor_at_onset": a.anchor_at_onset,
        "patients": a.patients,
        "visits": a.visits,
        "d50_fitted": a.fits_ok,
        "groups": [
            {
                "group": g.code,
                "patients": g.patients,
                "alsfrs_r_slope_median_per_month": g.slope_median,
                "d50_median_months": g.d50_median,
                "d50_aggressiveness": dict(g.aggressiveness),
            }
            for g in a.groups
        ],
        "comparison": comparison,
        "comparison_refused": a.comparison_refused,
        "course": {
            "bin_months": list(a.course.bins),
            "mean_alsfrs_r_total": {k: list(v) for k, v in a.course.means.items()},
            "reference": None if a.course.reference is None else list(a.course.reference),
        },
        "d50_histogram": [{"from_months": m, "patients": n} for m, n in a.d50_histogram],
        "methods": list(a.methods),
    }
