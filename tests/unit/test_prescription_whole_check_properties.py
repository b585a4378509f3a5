"""The whole-prescription check of a dose edit (domain/prescription/whole_check.py): every
engine draft passes it, an inverted range is always refused, and any accepted edit keeps every
range within the bounds component_bounds.py gives for the patient."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.prescription_cases import cases, engine_settings, make_case

from alsrx.domain.prescription import component_bounds, engine, whole_check
from alsrx.domain.prescription.model import ComponentType
from alsrx.domain.prescription.params import EngineSettings
from alsrx.render import bound_words, prescription_json

QUICK = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))


def _doc(case, config):
    return prescription_json.to_stored(engine.prescribe(case, config), settings=config)


@QUICK
@given(case=cases(), config=engine_settings())
def test_every_engine_draft_passes_the_whole_check(case, config):
    doc = _doc(case, config)
    assert whole_check.check(doc, case, config, before=doc) == []


@QUICK
@given(case=cases(), data=st.data())
def test_an_accepted_edit_stays_within_bounds_and_an_inverted_range_never_passes(case, data):
    s = EngineSettings()
    doc = _doc(case, s)
    if not doc["components"]:
        return
    index = data.draw(st.integers(0, len(doc["components"]) - 1))
    component = doc["components"][index]
    bounds = component_bounds.for_component(ComponentType(component["type"]), case, s)
    paths = whole_check.editable(component, bounds)
    if not paths:
        return
    changes = data.draw(st.dictionaries(st.sampled_from(paths), st.integers(-5, 300), max_size=4))
    changed, errors = whole_check.apply(component, changes, bounds)
    assert errors == []
    doc["components"][index] = changed
    found = whole_check.check(doc, case, s, before=_doc(case, s))
    if found:
        return
    for path in paths:
        value = whole_check_value(changed, path)
        key = path.split("].")[-1].rsplit(".", 1)[0] if "." in path else path
        key = f"intensity.{key}" if key == "hr_bpm" else key
        bound = bounds.get(key) or bounds[path]
        if value is not None:
            assert bound.low - 1e-9 <= value <= bound.high + 1e-9
    for path in paths:
        if path.endswith(".min"):
            low, high = (
                whole_check_value(changed, path),
                whole_check_value(changed, path[:-3] + "max"),
            )
            assert low is None or high is None or low <= high


def whole_check_value(component, path):
    step = whole_check.STEP.fullmatch(path)
    node = component
    if step:
        node, path = component["progression"][int(step.group(1))], step.group(2)
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def test_an_inverted_minutes_range_is_refused_at_its_lowest_end():
    case, s = make_case(), EngineSettings()
    doc = _doc(case, s)
    aerobic = next(c for c in doc["components"] if c["type"] == "aerobic")
    bounds = component_bounds.for_component(ComponentType.AEROBIC, case, s)
    changed, _ = whole_check.apply(
        aerobic, {"minutes_per_session.min": 15, "minutes_per_session.max": 6}, bounds
    )
    doc["components"] = [changed if c is aerobic else c for c in doc["components"]]
    codes = {(e.path, e.code) for e in whole_check.check(doc, case, s)}
    assert ("components.aerobic.minutes_per_session.min", "inverted_range") in codes


def test_a_heart_rate_above_the_ceiling_names_75_percent_of_the_reserve():
    case, s = make_case(), EngineSettings()
    doc = _doc(case, s)
    aerobic = next(c for c in doc["components"] if c["type"] == "aerobic")
    bounds = component_bounds.for_component(ComponentType.AEROBIC, case, s)
    high = bounds["intensity.hr_bpm"].high
    changed, _ = whole_check.apply(aerobic, {"intensity.hr_bpm.max": high + 1}, bounds)
    doc["components"] = [changed if c is aerobic else c for c in doc["components"]]
    (error,) = [e for e in whole_check.check(doc, case, s) if e.code == "above_bound"]
    assert error.params["source"] == "hrr" and error.params["max"] == high
    text = bound_words.message(error.code, error.params, "en")
    assert text == f"at most {high} bpm: 75 % of heart-rate reserve"


def test_an_unknown_path_and_a_text_are_refused_before_any_check():
    case, s = make_case(), EngineSettings()
    aerobic = next(c for c in _doc(case, s)["components"] if c["type"] == "aerobic")
    bounds = component_bounds.for_component(ComponentType.AEROBIC, case, s)
    _, errors = whole_check.apply(
        aerobic, {"modalities": 1, "sets.max": "x", "sessions_per_week.max": "x"}, bounds
    )
    assert {e.code for e in errors} == {"not_allowed", "wrong_type"}


def test_a_heart_rate_band_narrower_than_a_beat_is_stored_as_its_ceiling_never_inverted():
    from alsrx.domain.prescription.model import Span

    # A measured HRmax of 80 at rest 69.5 (reserve 10.5): 30-32.5 % HRR is 72.65-72.9 bpm.
    assert prescription_json._span(Span(72.65, 72.9), 0) == {"min": 72.0, "max": 72.0}
    assert prescription_json._span(Span(100.4, 120.6), 0) == {"min": 100.0, "max": 120.0}
