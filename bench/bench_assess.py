"""Benchmark: assessments per second in batch, against parsing and validating alone.

Both loops run in the same process on the same generated cases, so the ratio (full assessment
cost / parse-only cost) holds across machines better than the absolute rates. Prints one JSON
object per line (machine-readable); see docs/benchmarks.md for recorded figures.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import random
import time

from alsrx.domain import assessment
from alsrx.domain.scales import alsfrs_r
from alsrx.intake import assessment_input
from alsrx.render import assessment_json

ITEMS = alsfrs_r.FORM_A_ITEMS
TODAY = dt.date(2026, 11, 26)


def make_case(rng: random.Random) -> str:
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 9000))
    onset = birth + dt.timedelta(days=rng.randrange(15000, 20000))
    visit = min(onset + dt.timedelta(days=rng.randrange(30, 1500)), TODAY)
    doc = {
        "patient": {
            "sex": rng.choice(["male", "female"]),
            "birth_date": birth.isoformat(),
            "height_cm": rng.uniform(150, 195),
            "weight_kg": rng.uniform(45, 100),
            "ethnicity": rng.choice(["caucasian", "north_east_asian", "other"]),
            "symptom_onset_date": onset.isoformat(),
        },
        "assessment": {
            "date": visit.isoformat(),
            "alsfrs_r": {k: rng.randrange(0, 5) for k in ITEMS},
            "fvc_l": rng.uniform(1.0, 5.0),
            "six_minute_walk_m": rng.uniform(100, 650),
            "resting_hr_bpm": rng.uniform(55, 95),
        },
    }
    return json.dumps(doc)


def timed(label: str, lines: list[str], work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for line in lines:
        work(line)
    elapsed = time.perf_counter() - start
    rate = len(lines) / elapsed
    print(
        json.dumps(
            {
                "bench": label,
                "cases": len(lines),
                "seconds": round(elapsed, 4),
                "per_second": round(rate, 1),
            }
        )
    )
    return rate


def parse_only(line: str) -> None:
    assessment_input.parse(json.loads(line), today=TODAY)


def full(line: str) -> None:
    parsed = assessment_input.parse(json.loads(line), today=TODAY)
    result = assessment.assess(parsed.patient, parsed.visit)
    json.dumps(assessment_json.to_json(result))


def main(n: int = 5000) -> None:
    rng = random.Random(20261126)
    lines = [make_case(rng) for _ in range(n)]
    full(lines[0])  # warm caches (GLI table, schema, catalogs) outside the timed loops
    parse_rate = timed("assess.parse_validate_only", lines, parse_only)
    full_rate = timed("assess.full_batch", lines, full)
    print(
        json.dumps(
            {
                "bench": "assess.ratio",
                "full_cost_over_parse_cost": round(parse_rate / full_rate, 3),
                "python": platform.python_version(),
                "machine": platform.machine(),
            }
        )
    )


if __name__ == "__main__":
    main()
