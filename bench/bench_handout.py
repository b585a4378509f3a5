"""Benchmark the printed handout: GET /api/v1/prescriptions/{id}/handout.pdf on a real
`alsrx serve`, warm, against the same server's no-op endpoint in the same run.

- uncached: the first request for each of several approved plans (a render: the view-model,
  the HTML, WeasyPrint's layout and the PDF with its font subsets), after one warm-up render
  of another plan so that fonts and templates are loaded;
- cached: the same requests again (the in-process LRU answers; reports/handout.py);
- noop: POST /api/v1/noop, the server doing nothing: what a request costs at all.
The goal is an uncached render under 1 s. Prints JSON lines.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from tests.db_fixtures import build_world
from tests.e2e import server
from tests.web.test_api_basics import VISIT

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import accounts, assessments, patients, prescriptions
from alsrx.services import actor as actor_mod
from alsrx.settings import DEMO_AUDIT_KEY

PLANS = 12  # uncached renders timed: one per plan, each a version never printed before
CACHED_ROUNDS = 3
NOOP_REQUESTS = 200
GOAL_MS = 1000
TODAY = dt.date.today()
# The bench patients' visit: a knee that lifts against gravity only, so the plan names an
# exercise of the sample library and the handout shows its card; no MEP, so no breathing
# trainer. With the library as it is on this branch that handout is 4 pages (the `pages` field
# says how many a run printed: more once the library names more exercises).
BENCH_VISIT = {k: v for k, v in VISIT.items() if k != "mep_cmh2o"} | {
    "mrc": {"knee_extension_left": 3, "knee_extension_right": 3}
}


def plans(factory, world) -> list[str]:  # type: ignore[no-untyped-def]
    """PLANS + 1 patients with an approved plan each (the first is the warm-up's)."""
    ids = []
    with transaction(factory) as s:
        accounts.update_centre(s, actor_mod.SYSTEM, "Centre A", emergency_number="120")
        clinician = actor_mod.load(s, accounts.user_by_name(s, "clinician"))
        for i in range(PLANS + 1):
            body = {
                "code": f"H{i:03d}",
                "sex": "female",
                "birth_date": "1960-01-01",
                "symptom_onset_date": "2025-06-01",
                "height_cm": 160,
                "ethnicity": "north_east_asian",
            }
            p = patients.create(s, clinician, body, centre_id=world.centre_a, today=TODAY)
            s.flush()
            assessments.record(s, clinician, p.id, BENCH_VISIT, today=TODAY)
            s.flush()
            rx = prescriptions.draft(s, clinician, p.id, today=TODAY)
            s.flush()
            prescriptions.approve(
                s,
                clinician,
                rx.id,
                if_match=None,
                today=TODAY,
                acknowledged=prescriptions.points(rx.content),
            )
            ids.append(rx.id)
    return ids


def timed(http: httpx.Client, method: str, path: str) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    r = http.request(method, path)
    elapsed = (time.perf_counter() - t0) * 1000
    assert r.status_code == 200, (path, r.status_code, r.text[:200])
    return elapsed, r


def pages(pdf: bytes) -> int | None:
    """The page count by pdfinfo (poppler-utils); None where it is not installed."""
    if shutil.which("pdfinfo") is None:
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else None


def summary(name: str, times: list[float], **extra: object) -> dict[str, object]:
    ordered = sorted(times)
    return {
        "bench": f"handout.{name}",
        "requests": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(ordered[max(0, int(0.95 * len(ordered)) - 1)], 1),
        "min_ms": round(ordered[0], 1),
        **extra,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'handout.db'}"
        upgrade(url)
        engine = make_engine(url)
        factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
        world = build_world(factory, None)
        warm_up, *ids = plans(factory, world)
        engine.dispose()
        headers = {"Authorization": f"Bearer {world.tokens['clinician']}"}
        with (
            server.running(url) as base,
            httpx.Client(base_url=base, headers=headers, timeout=60) as http,
        ):
            handout = "/api/v1/prescriptions/{}/handout.pdf?lang=en&audience=patient"
            _, first = timed(http, "GET", handout.format(warm_up))
            uncached = [timed(http, "GET", handout.format(rx))[0] for rx in ids]
            cached = []
            for _ in range(CACHED_ROUNDS):
                for rx in ids:
                    cached.append(timed(http, "GET", handout.format(rx))[0])
            noop = [timed(http, "POST", "/api/v1/noop")[0] for _ in range(NOOP_REQUESTS)]
        shown = {"pages": pages(first.content), "pdf_bytes": len(first.content)}
        rows = [
            summary("uncached", uncached, goal_ms=GOAL_MS, **shown),
            summary("cached", cached, **shown),
            summary("noop", noop),
        ]
        for row in rows:
            print(json.dumps(row))
        p50 = {str(row["bench"]): float(row["p50_ms"]) for row in rows}  # type: ignore[arg-type]
        print(
            json.dumps(
                {
                    "bench": "handout.summary",
                    "uncached_under_goal": p50["handout.uncached"] < GOAL_MS,
                    "uncached_over_noop": round(p50["handout.uncached"] / p50["handout.noop"], 1),
                    "cached_over_noop": round(p50["handout.cached"] / p50["handout.noop"], 1),
                    # Other work on the machine slows a CPU-bound render: say how busy it was.
                    "load_average_1min": round(os.getloadavg()[0], 2),
                }
            )
        )


if __name__ == "__main__":
    main()
