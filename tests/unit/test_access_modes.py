"""Switch scanning, dwell and read aloud: the settings' defaults and bounds
(domain/access_modes.py), as the account form writes them (seconds, "1.5")."""

import pytest

from alsrx.domain import access_modes as am
from alsrx.errors import InvalidInput


def refused(form):
    with pytest.raises(InvalidInput) as caught:
        am.from_form(form)
    return {e.path: e.params for e in caught.value.errors}


def test_the_defaults_are_those_of_the_issue_and_off():
    prefs = am.from_stored(None)
    assert prefs.mode is am.Mode.OFF and not prefs.read_aloud
    assert (prefs.scan_ms, prefs.loops, prefs.accept_ms) == (1500, 3, 0)
    assert 800 <= prefs.dwell_ms <= 2000
    assert prefs.first_item_ms() == 2250  # 1.5 s x 1.5


def test_the_first_done_is_one_scan_step_away():
    assert am.STEPS_TO_FIRST_DONE == 1


def test_a_blank_form_keeps_the_defaults():
    assert am.from_form({"mode": "scan"}) == am.AccessPrefs(mode=am.Mode.SCAN)


def test_times_are_taken_in_seconds_as_people_write_them():
    prefs = am.from_form({"mode": "dwell", "scan_s": "0,5", "dwell_s": "0.8", "first_factor": "2"})
    assert (prefs.scan_ms, prefs.dwell_ms, prefs.first_factor_tenths) == (500, 800, 20)


@pytest.mark.parametrize(
    ("field", "low", "high", "value"),
    [
        ("scan_s", "0.5", "5", "0.4"),
        ("scan_s", "0.5", "5", "5.1"),
        ("first_factor", "1", "3", "3.5"),
        ("loops", "1", "10", "0"),
        ("loops", "1", "10", "11"),
        ("accept_s", "0", "2", "2.5"),
        ("long_hold_s", "1", "5", "0.9"),
        ("dwell_s", "0.8", "2", "0.7"),
        ("dwell_s", "0.8", "2", "2.1"),
        ("dwell_s", "0.8", "2", "soon"),
        ("dwell_s", "0.8", "2", "nan"),
    ],
)
def test_a_value_out_of_its_span_is_refused_naming_the_field_and_the_range(field, low, high, value):
    params = refused({"mode": "scan", field: value})
    assert list(params) == [field]
    assert (params[field]["min"], params[field]["max"]) == (low, high)


def test_loops_are_a_whole_number():
    assert refused({"loops": "2.5"})["loops"]["integer"] is True


def test_a_long_hold_must_be_longer_than_the_ignored_press():
    params = refused({"accept_s": "2", "long_hold_s": "1.5"})
    assert params["long_hold_s"]["min"] == "2.1"


def test_an_unknown_mode_is_refused_with_the_modes_allowed():
    assert refused({"mode": "telepathy"})["mode"]["allowed"] == ("off", "scan", "dwell")


def test_stored_settings_out_of_bounds_are_clamped_when_read():
    prefs = am.from_stored({"mode": "scan", "scan_ms": 50, "dwell_ms": 99999, "loops": "x"})
    assert (prefs.scan_ms, prefs.dwell_ms, prefs.loops) == (500, 2000, 3)
    assert am.from_stored({"mode": "bogus"}).mode is am.Mode.OFF


def test_stored_settings_read_back_as_saved():
    prefs = am.AccessPrefs(mode=am.Mode.DWELL, dwell_ms=1600, read_aloud=True)
    assert am.from_stored(prefs.stored()) == prefs
