"""Benchmark: prescriptions per second in batch, against parsing and validating alone.

Same process, same generated cases: the ratio (full prescription cost / parse-only cost) is the
figure to compare across machines. One JSON object per line on stdout.
"""

from __future__ import annotations

import json
import platform
import random

from alsrx.domain.prescription import engine
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.prescription.params import EngineSettings
from alsrx.intake import assessment_input, prescription_input
from alsrx.render import prescription_json
from bench.bench_assess import TODAY, make_case, timed


def make_prescription_case(rng: random.Random) -> str:
    doc = json.loads(make_case(rng))
    a = doc["assessment"]
    a["mrc"] = {key: rng.randrange(0, 6) for key in MRC_KEYS}
    if rng.random() < 0.5:
        a["mep_cmh2o"] = rng.uniform(30, 150)
    if rng.random() < 0.3:
        a["cpet"] = {"peak_hr_bpm": rng.uniform(120, 180)}
    doc["patient"]["beta_blocker"] = rng.random() < 0.1
    return json.dumps(doc)


SETTINGS = EngineSettings()


def parse_only(line: str) -> None:
    assessment_input.parse(json.loads(line), today=TODAY)


def full(line: str) -> None:
    case = prescription_input.parse(json.loads(line), today=TODAY)
    p = engine.prescribe(case, SETTINGS)
    json.dumps(prescription_json.to_json(p, settings=SETTINGS))


def main(n: int = 3000) -> None:
    rng = random.Random(20261126)
    lines = [make_prescription_case(rng) for _ in range(n)]
    full(lines[0])
    parse_rate = timed("prescribe.parse_validate_only", lines, parse_only)
    full_rate = timed("prescribe.full_batch", lines, full)
    print(
        json.dumps(
            {
                "bench": "prescribe.ratio",
                "full_cost_over_parse_cost": round(parse_rate / full_rate, 3),
                "python": platform.python_version(),
                "machine": platform.machine(),
            }
        )
    )


if __name__ == "__main__":
    main()
