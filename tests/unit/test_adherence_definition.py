"""The one definition of adherence (domain/followup/adherence.py): credit, the cap, planned
sessions week by week, and that the rules decide the same on the bounded read of a logged
session as on the whole window."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import valid_document

from alsrx.domain.followup import adherence, proposals, signals, undo
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import (
    Completion,
    Plan,
    PlannedComponent,
    SessionLog,
    Severity,
    Signal,
)
from alsrx.domain.followup.params import FollowupSettings
from alsrx.domain.prescription import engine
from alsrx.domain.prescription.params import EngineSettings
from alsrx.intake import prescription_input
from alsrx.render import prescription_json
from alsrx.services import followup

S = FollowupSettings()
MONDAY = dt.date(2026, 1, 5)
AEROBIC = PlannedComponent("aerobic", 3, 5, 15, 30, 140, 110, 13)
FLEX = PlannedComponent("flexibility", 7, 14, 10, 10, None, None, None)
PLAN = Plan("rx", MONDAY, (AEROBIC, FLEX))


def log(day, component="aerobic", completed=Completion.DONE, **kw):
    return SessionLog(MONDAY + dt.timedelta(days=day), component, completed, **kw)


def week(*logs, planned=3):
    (found,) = adherence.tally(logs, planned=lambda monday, kind: planned).values()
    return found


def test_a_done_session_earns_one_a_partial_half_and_a_skipped_none():
    assert adherence.CREDIT[Completion.DONE] == 1
    assert adherence.CREDIT[Completion.PARTIAL] == 0.5
    assert adherence.CREDIT[Completion.SKIPPED] == 0
    skipped = log(2, completed=Completion.SKIPPED, skip_reason="ill")
    assert week(log(0), log(1, completed=Completion.PARTIAL), skipped).credited == 1.5


def test_every_completion_but_done_and_partial_earns_nothing():
    others = set(Completion) - {Completion.DONE, Completion.PARTIAL}
    assert others and all(adherence.CREDIT[c] == 0 for c in others)


def test_sessions_beyond_the_plan_count_at_most_what_was_planned():
    tapped_three_times = week(log(0), log(0), log(0), log(1), log(2), planned=2)
    assert tapped_three_times.credited == 5 and tapped_three_times.judged == 2
    assert adherence.value([tapped_three_times]) == 1.0


def test_extra_sessions_of_one_component_do_not_make_up_for_another():
    aerobic = week(log(0), log(1), log(2), log(3), log(4), log(5), planned=3)
    stretches = adherence.Tally(MONDAY, "flexibility", 7)  # nothing logged
    assert adherence.value([aerobic, stretches]) == 3 / 10


def test_a_patient_logging_every_session_as_partial_has_half():
    logs = [log(d, completed=Completion.PARTIAL) for d in (0, 2, 4)]
    assert adherence.value([week(*logs)]) == 0.5
    today = MONDAY + dt.timedelta(days=7)
    plan = Plan("rx", MONDAY, (AEROBIC,))
    assert adherence.rolling(plan, logs, today=today, weeks=4) == 0.5


def test_nothing_planned_is_no_adherence_rather_than_zero():
    assert adherence.value([]) is None
    assert adherence.value([adherence.Tally(MONDAY, "aerobic", 0)]) is None


def test_the_current_unfinished_week_is_not_judged():
    logs = [log(d) for d in (0, 2, 4)]
    assert adherence.rolling(PLAN, logs, today=MONDAY + dt.timedelta(days=5), weeks=4) is None


def test_a_tally_keeps_time_heart_rate_effort_and_symptoms_of_sessions_done():
    found = week(
        log(0, duration_min=20.5, avg_hr_bpm=120, rpe=12, fatigue_recovery_min=5),
        log(1, duration_min=15, avg_hr_bpm=150, symptoms=("cramps",)),
        log(2, completed=Completion.SKIPPED, skip_reason="ill", duration_min=30),
    )
    hr = adherence.contribution(log(0, avg_hr_bpm=150), (110, 140))
    assert hr["with_hr"] == 1 and hr["in_hr_range"] == 0
    assert found.minutes == 35.5  # the skipped session's minutes do not count
    assert (found.n("with_hr"), found.mean_rpe, found.mean_fatigue_recovery_min) == (2, 12, 5)
    assert (found.n("with_tolerance"), found.n("with_symptoms"), found.logged) == (1, 1, 3)


LOGS = st.lists(
    st.builds(
        log,
        st.integers(0, 34),
        st.sampled_from(["aerobic", "flexibility", "resistance"]),
        st.sampled_from(list(Completion)),
        duration_min=st.none() | st.floats(0, 300),
        rpe=st.none() | st.integers(6, 20),
        fatigue_recovery_min=st.none() | st.floats(0, 1440),
    ),
    max_size=60,
)


@given(LOGS, st.integers(0, 7), st.integers(0, 14), st.integers(7, 42))
def test_adherence_is_never_above_100_percent_whatever_the_log_stream(logs, a, f, day):
    components = (
        PlannedComponent("aerobic", a, a, 15, 30, None, None, None),
        PlannedComponent("flexibility", f, f, 10, 10, None, None, None),
    )
    plan = Plan("rx", MONDAY, components)
    rate = adherence.rolling(plan, logs, today=MONDAY + dt.timedelta(days=day), weeks=4)
    assert rate is None or 0 <= rate <= 1
    rows = adherence.tally(logs, planned=lambda monday, kind: a if kind == "aerobic" else f)
    rate = adherence.value(rows.values())
    assert rate is None or 0 <= rate <= 1


@given(LOGS, st.data())
def test_a_log_taken_back_leaves_its_tally_as_it_was_before_it(logs, data):
    if not logs:
        return
    removed = data.draw(st.sampled_from(logs))
    counts = adherence.zero()
    for g in logs:
        counts = adherence.combined(counts, adherence.contribution(g))
    counts = adherence.combined(counts, adherence.contribution(removed), sign=-1)
    rest = list(logs)
    rest.remove(removed)
    again = adherence.zero()
    for g in rest:
        again = adherence.combined(again, adherence.contribution(g))
    assert counts == again


@pytest.fixture(scope="module")
def content():
    case = prescription_input.parse(valid_document(), today=dt.date(2026, 11, 26))
    settings_ = EngineSettings()
    return prescription_json.to_json(engine.prescribe(case, settings_), settings=settings_)


def test_the_stored_weeks_of_a_plan_read_as_the_plan_itself_reads_its_document(content):
    weeks = adherence.schedule(content)
    started = dt.date(2026, 3, 4)  # a Wednesday: programme weeks start on Wednesdays
    for offset in range(0, 40):
        monday = adherence.week_start(started) + dt.timedelta(weeks=offset)
        day = max(monday, started)
        plan = plan_mod.from_content("rx", content, started_on=started, today=day)
        found = adherence.planned_in_week(weeks, starts_on=started, monday=monday)
        assert found == {c.type: (c.sessions_per_week_min, c.minutes_max) for c in plan.components}


def test_the_plan_in_force_at_the_end_of_the_week_judges_the_whole_week():
    old = adherence.Span(
        "old", dt.date(2026, 1, 5), {"first_week": 1, "components": {"a": [[0, 3, 20]]}}
    )
    new = adherence.Span(
        "new", dt.date(2026, 1, 8), {"first_week": 1, "components": {"b": [[0, 2, 10]]}}
    )
    assert adherence.in_force([old, new], dt.date(2025, 12, 29)) is None
    assert adherence.in_force([old, new], dt.date(2026, 1, 5)) is new
    logged = adherence.Tally(dt.date(2026, 1, 5), "a", 0, adherence.zero() | {"done": 2})
    rows = adherence.weeks([old, new], [logged], [dt.date(2026, 1, 5)])
    assert [(t.component, t.planned, t.credited) for t in rows] == [("b", 2, 0), ("a", 0, 2)]


SPANS = st.lists(
    st.builds(
        adherence.Span,
        st.just("rx"),
        st.dates(dt.date(2026, 1, 1), dt.date(2026, 3, 1)),
        st.fixed_dictionaries(
            {
                "first_week": st.integers(1, 5),
                "components": st.dictionaries(
                    st.sampled_from(["aerobic", "flexibility", "resistance"]),
                    st.lists(st.integers(0, 14), min_size=1, max_size=6).map(
                        lambda sessions: [[2 * k, n, 20] for k, n in enumerate(sessions)]
                    ),
                ),
            }
        ),
    ),
    max_size=3,
).map(lambda spans: sorted(spans, key=lambda s: s.starts_on))


@given(SPANS, LOGS, st.lists(st.integers(0, 12), max_size=6))
def test_the_dashboards_judgement_of_weeks_equals_the_definitions(spans, logs, offsets):
    def planned(monday, kind):
        return adherence.planned_by(spans, monday).get(kind, (0, None))[0]

    stored = adherence.tally(logs, planned=planned).values()
    mondays = sorted({dt.date(2025, 12, 29) + dt.timedelta(weeks=k) for k in offsets})
    expected = adherence.value(adherence.weeks(spans, stored, mondays))
    assert adherence.value_of_weeks(spans, stored, mondays) == expected


@settings(max_examples=200)
@given(LOGS, st.integers(20, 40), st.sampled_from([(), ("fatigue_repeated",), ("red_flag",)]))
def test_a_logged_session_decides_on_its_bounded_read_as_on_the_whole_window(logs, day, recent):
    today = MONDAY + dt.timedelta(days=day)
    logs = sorted((g for g in logs if g.date <= today), key=lambda g: g.date)
    if not logs:
        return
    *earlier, new = logs
    since = followup.session_rules_since(new.date, today, S)
    bounded = [g for g in earlier if g.date >= since]
    assert signals.for_session(new, bounded, PLAN, S) == signals.for_session(new, earlier, PLAN, S)
    known = [Signal(code, Severity.WARNING, ()) for code in recent]
    decide = lambda read: proposals.decide(  # noqa: E731
        PLAN, [*read, new], known, today=today, represcribe=False, s=S
    )
    assert decide(bounded) == decide(earlier)


def test_a_session_can_be_undone_for_30_minutes_by_whoever_logged_it_or_a_clinician():
    at = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
    assert dt.timedelta(minutes=30) == undo.UNDO_WINDOW
    assert undo.within_window(at, at + dt.timedelta(minutes=30))
    assert not undo.within_window(at, at + dt.timedelta(minutes=30, seconds=1))
    assert undo.may_undo(logged_by=7, actor_id=7, actor_role="caregiver")
    assert undo.may_undo(logged_by=7, actor_id=8, actor_role="clinician")
    assert not undo.may_undo(logged_by=7, actor_id=8, actor_role="patient")
