"""Every alert type reads in words in both languages: no placeholder left, no engine code."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alsrx.db import models
from alsrx.i18n import translator
from alsrx.render import alert_words, symptom_advice
from alsrx.web.pages import clinic_words

CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
STAGE = st.sampled_from(["1", "2", "3", "4A", "4B"])
CATEGORY = st.sampled_from(["fast", "intermediate", "slow"])
VALUES = {
    "adherence": st.floats(0, 1),
    "threshold": st.sampled_from([0.5, 0.75, 0.8]),
    "below": st.integers(0, 2),
    "ceiling_bpm": st.integers(90, 160),
    "max_hr_bpm": st.floats(60, 200),
    "days": st.integers(1, 400),
    "days_since_last": st.integers(1, 60),
    "fatigue_recovery_min": st.floats(1, 1440),
    "overwork_min": st.integers(60, 240),
    "percent_predicted": st.floats(10, 130),
    "rpe": st.integers(6, 20),
    "target_max": st.integers(11, 15),
    "times_in_window": st.integers(2, 9),
    "window_days": st.integers(7, 28),
    "weeks": st.integers(1, 12),
    "skipped_in_a_row": st.integers(2, 10),
    "item8_to": st.integers(0, 1),
    "symptoms": st.lists(
        st.sampled_from([code for code, _label in symptom_advice.SYMPTOM_LABELS]),
        min_size=1,
        max_size=3,
    ),
    "skip_reasons": st.dictionaries(
        st.sampled_from(["too tired", "unwell", "no time", "no helper today", "other"]),
        st.integers(1, 5),
    ),
    "groups": st.lists(
        st.fixed_dictionaries(
            {
                "group": st.sampled_from(["knee_extension_left", "shoulder_abduction_right"]),
                "from": st.none() | st.integers(3, 5),
                "to": st.integers(0, 2),
            }
        ),
        min_size=1,
        max_size=2,
    ),
}
FROM_TO = {
    "kings_stage_changed": STAGE,
    "mitos_stage_changed": st.sampled_from(["0", "1", "2", "3"]),
    "progression_category_changed": CATEGORY,
    "alsfrs_r_decline": st.integers(0, 48),
    "fvc_decline": st.floats(10, 130),
}


def data_for(code):
    keys = set(re.findall(r"%\((\w+)\)s", alert_words.ALERT_TEXT[code]))
    fields = {k: VALUES[k] for k in keys if k in VALUES}
    for k in keys & {"from", "to"}:
        fields[k] = FROM_TO[code]
    return st.fixed_dictionaries(fields)


@pytest.mark.parametrize("code", sorted(alert_words.ALERT_TEXT))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_alert_type_reads_in_words_without_codes_or_placeholders(code, lang):
    text = clinic_words.helpers(lang)["alert_text"]

    @settings(max_examples=15, deadline=None)
    @given(data_for(code))
    def check(data):
        shown = text(models.Alert(code=code, severity="warning", data=data))
        assert "%(" not in shown and "{" not in shown, shown
        assert not CODE.search(shown), shown
        assert shown != code
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", shown), shown

    check()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_alert_type_has_a_short_name_for_the_filter(lang):
    _ = translator(lang)
    names = [alert_words.code_label(code, _) for code in alert_words.ALERT_TEXT]
    assert len(set(names)) == len(names)
    assert alert_words.code_label("something_new", _) == _(alert_words.OTHER_TYPE)


def test_a_percentage_is_rounded_by_the_one_rule_and_written_as_people_write_it():
    assert alert_words.percent(0.625, "en") == "63 %"  # round() would say 62
    assert alert_words.percent(0.625, "zh") == "63%"
