"""Safety bounds hold for every generated patient and every configuration the limits allow.

Checked here directly against the evidence bounds (not only through bounds.py), so that a bug
in the engine's own guard cannot hide a bug in the engine.
"""

from hypothesis import given, settings
from tests.prescription_cases import cases, engine_settings

from alsrx.domain.equations.heart_rate import karvonen_bpm
from alsrx.domain.prescription import bounds, engine
from alsrx.domain.prescription.inputs import NOT_RECOMMENDED_CONDITIONS
from alsrx.domain.prescription.model import ComponentType as T
from alsrx.domain.prescription.model import Status
from alsrx.evidence import base as evidence_base

EVIDENCE = evidence_base.load()
EXERCISE = {T.AEROBIC, T.RESISTANCE, T.RESPIRATORY_MUSCLE, T.BALANCE_FUNCTIONAL}


def hr_spans(component):
    return [component.intensity.hr_bpm, *(s.hr_bpm for s in component.progression)]


@settings(max_examples=400, deadline=None)
@given(case=cases(), config=engine_settings())
def test_every_prescription_stays_within_the_evidence_bounds(case, config):
    p = engine.prescribe(case, config)
    hr = case.assessed.heart_rate
    for c in p.components:
        rpe = c.intensity.rpe
        assert rpe is None or rpe.max <= 13
        mep = c.intensity.percent_mep
        assert mep is None or mep.max <= 50
        if c.type is T.AEROBIC:
            assert all(
                x.min >= 2 and x.max <= 5
                for x in [c.sessions_per_week, *(s.sessions_per_week for s in c.progression)]
            )
            assert all(
                x.max <= 30
                for x in [c.minutes_per_session, *(s.minutes_per_session for s in c.progression)]
            )
            pct = [c.intensity.percent_hrr, *(s.percent_hrr for s in c.progression)]
            assert all(x is None or x.max <= 75 for x in pct)
            spans = [s for s in hr_spans(c) if s is not None]
            if case.beta_blocker or hr.reserve_bpm is None:
                assert spans == []
            for span in spans:
                ceiling = karvonen_bpm(rest_bpm=hr.rest_bpm, max_bpm=hr.max_bpm, fraction=0.75)
                assert span.max <= ceiling + 1e-6
            if case.assessed.frs["q8_walking"] <= 1:
                assert not {"walking", "treadmill"} & set(c.modalities)
        if c.type is T.RESISTANCE:
            assert case.mrc is not None
            assert all(case.mrc[g] >= 3 for g in c.muscle_groups)
            assert c.sessions_per_week.min >= 3 and c.sessions_per_week.max <= 5
            assert "no_eccentric" in c.constraints
        assert c.evidence and all(e in EVIDENCE for e in c.evidence)
    if case.conditions & set(NOT_RECOMMENDED_CONDITIONS):
        assert p.status is Status.NOT_RECOMMENDED
        assert not EXERCISE & {c.type for c in p.components}
    assert all(
        e in EVIDENCE for note in (*p.reasons, *p.stop_rules, *p.trace) for e in note.evidence
    )
    assert bounds.violations(p, case, config) == []
    assert "internal_bound_violation" not in {r.code for r in p.reasons}


@settings(max_examples=200, deadline=None)
@given(case=cases())
def test_unsafe_or_unknown_situations_never_come_out_ok(case):
    p = engine.prescribe(case)
    frs = case.assessed.frs
    fvc = case.assessed.fvc
    risky = (
        frs["q12_respiratory_insufficiency"] <= 2
        or case.uses_ventilation_support
        or frs["q10_dyspnea"] <= 1
        or fvc.percent_predicted is None
        or fvc.percent_predicted < 65
        or bool(case.conditions)
        or (case.assessed.progression.category or "") == "fast"
    )
    if risky:
        assert p.status is not Status.OK
    breathless = (
        "stop_unusual_breathlessness" if frs["q1_speech"] > 2 else "stop_breathlessness_scale"
    )
    assert {
        "stop_chest_pain",
        "stop_dizziness",
        breathless,
        "stop_fatigue_beyond_limit",
    } <= {r.code for r in p.stop_rules}
    assert any(c.type is T.FLEXIBILITY for c in p.components)


def phase_sessions(component, week):
    """Most sessions a week in the step covering the week (the last one after the programme)."""
    steps = [s for s in component.progression if s.first_week <= week]
    span = steps[-1].sessions_per_week if steps else component.sessions_per_week
    return span.max


@settings(max_examples=300, deadline=None)
@given(case=cases(), config=engine_settings())
def test_no_day_of_the_week_is_above_the_daily_limit(case, config):
    # rec-combined: about 1 h a day in total; G-acsm-2010: resistance on non-aerobic days.
    p = engine.prescribe(case, config)
    assert [d.day for d in p.weekly_schedule] == [1, 2, 3, 4, 5, 6, 7]
    assert all(d.minutes_max <= config.max_minutes_per_day for d in p.weekly_schedule)
    apart = [p.component(t) for t in (T.RESISTANCE, T.AEROBIC)]
    planned = sum(phase_sessions(c, p.current_week) for c in apart if c is not None)
    shared = [d for d in p.weekly_schedule if {T.RESISTANCE, T.AEROBIC} <= set(d.components)]
    assert len(shared) <= max(0, planned - 7)
    kinds = {c.type for c in p.components}
    assert all(set(d.components) <= kinds for d in p.weekly_schedule)
