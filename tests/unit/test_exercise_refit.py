"""A proposal's new dose carries its named exercises with it (domain/exercises/refit.py)."""

from hypothesis import given, settings
from tests.prescription_cases import cases, make_case

from alsrx.domain.exercises import library
from alsrx.domain.followup import plan, proposals
from alsrx.domain.prescription import engine
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.domain.prescription.params import EngineSettings
from alsrx.render import prescription_json

STRONG = dict.fromkeys(MRC_KEYS, 5)
FRAMES = ("warm_up", "cool_down")


def stored(case):
    return prescription_json.to_stored(engine.prescribe(case), settings=EngineSettings())


def entries():
    return library.default().entries


def session_fits(content):
    week = content["current_week"]
    for c in content["components"]:
        own = sum(d["minutes"] for d in c["exercises"] if entries()[d["id"]].category not in FRAMES)
        assert own <= plan.planned(c, week).minutes_max + 1e-9, c["type"]


def test_pausing_standing_work_leaves_no_exercise_done_standing():
    content = stored(make_case(mrc=STRONG))
    assert any(
        entries()[d["id"]].position == "standing"
        for c in content["components"]
        for d in c["exercises"]
    )
    paused = proposals.pause_standing(content)
    for c in paused["components"]:
        for d in c["exercises"]:
            assert entries()[d["id"]].position != "standing", d["id"]


def test_a_step_down_keeps_every_session_within_its_new_time():
    content = stored(make_case(mrc=STRONG))
    lower = proposals.step_down(content, week=1)
    session_fits(lower)
    aerobic = next(c for c in lower["components"] if c["type"] == "aerobic")
    steady = [
        d for d in aerobic["exercises"] if d["repetitions"] is None and d["hold_seconds"] is None
    ]
    assert steady and steady[0]["minutes"] <= plan.planned(aerobic, 1).minutes_max


def test_the_next_phase_gives_strengthening_the_phases_repetitions():
    content = stored(make_case(mrc=dict.fromkeys(STRONG, 3)))  # against gravity: repetitions
    later = proposals.progress(content, week=4)
    resistance = next(c for c in later["components"] if c["type"] == "resistance")
    reps = {
        d["repetitions"]
        for d in resistance["exercises"]
        if entries()[d["id"]].dose.repetitions is not None
        and entries()[d["id"]].category not in FRAMES
    }
    step = plan.current_step(resistance, later["current_week"])
    assert reps and reps <= {step["repetitions"]["min"]}


@settings(max_examples=100, deadline=None)
@given(case=cases())
def test_every_proposal_leaves_each_session_within_its_time(case):
    content = stored(case)
    for new in (
        proposals.step_down(content, 1),
        proposals.progress(content, 1),
        proposals.pause_standing(content),
    ):
        if new is not None:
            session_fits(new)
