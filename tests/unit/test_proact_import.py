"""PRO-ACT rows to a reference cohort (analytics/proact.py): what is kept, converted, skipped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsrx.analytics import proact
from alsrx.errors import InvalidInput

A, H, F, V = proact.ALSFRS, proact.HISTORY, proact.FVC, proact.VITALS
D, X = proact.DEMOGRAPHICS, proact.DEATHS


def alsfrs(sid="1", delta="0", total="40", key="subject_id", **cells):
    return {key: sid, "ALSFRS_Delta": delta, "ALSFRS_R_Total": total, **cells}


def file_report(cohort, name):
    return next(f for f in cohort.report.files if f.file == name)


def test_both_spellings_of_the_subject_key_name_the_same_subject():
    cohort = proact.parse(
        {A: [alsfrs("7", key="subject_id")], H: [{"SubjectID": "7", "Onset_Delta": "-100"}]}
    )
    assert [s.onset_delta_days for s in cohort.subjects] == [-100]
    assert cohort.visits[0].days_since_onset == 100


def test_headers_match_whatever_their_case():
    rows = [{"SUBJECT_ID": "7", "alsfrs_delta": "0", "Alsfrs_R_Total": "33"}]
    assert proact.parse({A: rows}).visits[0].alsfrs_r_total == 33


def test_a_visit_is_placed_in_days_since_onset_when_the_onset_is_known():
    # onset 365 days before entry; visit 91 days after entry: 91 - (-365) = 456 days
    history = [{"subject_id": "1", "Onset_Delta": "-365"}]
    cohort = proact.parse({A: [alsfrs(delta="91")], H: history})
    visit = cohort.visits[0]
    assert (visit.days_from_entry, visit.days_since_onset, visit.since_onset) == (91, 456, True)


def test_without_an_onset_the_visit_stays_relative_to_entry_and_is_flagged():
    cohort = proact.parse({A: [alsfrs(delta="30")]})
    visit = cohort.visits[0]
    assert (visit.days_from_entry, visit.days_since_onset, visit.since_onset) == (30, None, False)
    assert cohort.report.visits_without_onset == 1


def test_an_onset_after_trial_entry_is_skipped():
    cohort = proact.parse({A: [alsfrs()], H: [{"subject_id": "1", "Onset_Delta": "20"}]})
    assert file_report(cohort, H).skipped == {"out_of_range:onset_delta": 1}
    assert cohort.subjects[0].onset_delta_days is None


def test_pounds_and_inches_become_kilograms_and_centimetres_exactly():
    # 154 lb x 0.45359237 kg/lb = 69.85322498 kg; 70 in x 2.54 cm/in = 177.8 cm
    vitals = [
        {
            "subject_id": "1",
            "Vital_Signs_Delta": "0",
            "Weight": "154",
            "Weight_Units": "Pounds",
            "Height": "70",
            "Height_Units": "Inches",
        },
        {
            "subject_id": "2",
            "Vital_Signs_Delta": "0",
            "Weight": "70.5",
            "Weight_Units": "Kilograms",
            "Height": "172",
            "Height_Units": "Centimeters",
        },
    ]
    cohort = proact.parse({A: [alsfrs("1"), alsfrs("2")], V: vitals})
    one, two = cohort.visits
    assert one.weight_kg == pytest.approx(69.85322498, abs=1e-9)
    assert one.height_cm == pytest.approx(177.8, abs=1e-9)
    assert (two.weight_kg, two.height_cm) == (70.5, 172.0)


def test_a_weight_in_an_unknown_unit_is_skipped():
    vitals = [{"subject_id": "1", "Vital_Signs_Delta": "0", "Weight": "70", "Weight_Units": "st"}]
    cohort = proact.parse({A: [alsfrs()], V: vitals})
    assert file_report(cohort, V).skipped == {"unknown_unit:weight_units": 1}
    assert cohort.visits[0].weight_kg is None


def test_a_row_with_both_item_5a_and_5b_is_dropped():
    row = alsfrs(Q5a_Cutting_without_Gastrostomy="3", Q5b_Cutting_with_Gastrostomy="2")
    cohort = proact.parse({A: [row]})
    assert cohort.visits == () and file_report(cohort, A).skipped == {"both_5a_and_5b": 1}


def test_a_total_of_49_or_a_word_is_skipped_counted_and_never_stored():
    cohort = proact.parse({A: [alsfrs(total="49"), alsfrs(delta="7", total="n/a"), alsfrs()]})
    report = file_report(cohort, A)
    assert (report.rows, report.used) == (3, 1)
    assert report.skipped == {"out_of_range:alsfrs_r_total": 1, "not_a_number:alsfrs_r_total": 1}
    assert [v.alsfrs_r_total for v in cohort.visits] == [40]


def test_a_row_of_the_original_alsfrs_only_is_skipped_not_mixed_with_alsfrs_r():
    row = {"subject_id": "1", "ALSFRS_Delta": "0", "ALSFRS_Total": "30", "Q10_Respiratory": "3"}
    cohort = proact.parse({A: [row]})
    assert cohort.visits == () and file_report(cohort, A).skipped == {"original_alsfrs_only": 1}


ITEMS_R = {
    "Q1_Speech": "4",
    "Q2_Salivation": "3",
    "Q3_Swallowing": "4",
    "Q4_Handwriting": "2",
    "Q5a_Cutting_without_Gastrostomy": "3",
    "Q6_Dressing_and_Hygiene": "3",
    "Q7_Turning_in_Bed": "4",
    "Q8_Walking": "2",
    "Q9_Climbing_Stairs": "1",
    "R_1_Dyspnea": "4",
    "R_2_Orthopnea": "4",
    "R_3_Respiratory_Insufficiency": "4",
}


def test_without_an_r_total_the_twelve_items_are_added_up():
    # 4+3+4 + 2+3+3 + 4+2+1 + 4+4+4 = 38
    cohort = proact.parse({A: [alsfrs(total="", **ITEMS_R)]})
    visit = cohort.visits[0]
    assert visit.alsfrs_r_total == 38
    assert visit.items is not None and visit.items["q5a_cutting_food"] == 3


def test_without_an_r_total_missing_items_skip_the_row():
    items = {k: v for k, v in ITEMS_R.items() if k != "Q8_Walking"}
    cohort = proact.parse({A: [alsfrs(total="", **items)]})
    assert file_report(cohort, A).skipped == {"incomplete_items": 1}


def test_an_item_of_5_skips_the_row():
    cohort = proact.parse({A: [alsfrs(Q1_Speech="5")]})
    assert file_report(cohort, A).skipped == {"out_of_range:q1_speech": 1}


def fvc(**cells):
    return {"subject_id": "1", "Forced_Vital_Capacity_Delta": "0", **cells}


def test_the_best_fvc_trial_is_kept_with_its_own_percent_of_normal():
    row = fvc(
        Subject_Liters_Trial_1="3.1",
        pct_of_Normal_Trial_1="78",
        Subject_Liters_Trial_2="3.4",
        pct_of_Normal_Trial_2="85",
        Subject_Liters_Trial_3="3.2",
        pct_of_Normal_Trial_3="80",
    )
    visit = proact.parse({A: [alsfrs()], F: [row]}).visits[0]
    assert (visit.fvc_l, visit.fvc_percent) == (3.4, 85)


def test_without_a_trial_percent_it_comes_from_the_predicted_normal():
    # 3.0 L of a predicted 4.0 L is 75 %
    row = fvc(Subject_Liters_Trial_1="3.0", Subject_Normal="4.0")
    visit = proact.parse({A: [alsfrs()], F: [row]}).visits[0]
    assert visit.fvc_percent == pytest.approx(75.0)


def test_a_negative_fvc_skips_its_row():
    row = fvc(Subject_Liters_Trial_1="-1.2")
    cohort = proact.parse({A: [alsfrs()], F: [row]})
    assert file_report(cohort, F).skipped == {"out_of_range:subject_liters_trial_1": 1}
    assert cohort.visits[0].fvc_l is None


def test_an_fvc_on_a_day_without_alsfrs_is_a_visit_of_its_own():
    cohort = proact.parse(
        {A: [alsfrs()], F: [fvc(Forced_Vital_Capacity_Delta="14", Subject_Liters_Trial_1="2.9")]}
    )
    assert [(v.days_from_entry, v.alsfrs_r_total, v.fvc_l) for v in cohort.visits] == [
        (0, 40, None),
        (14, None, 2.9),
    ]


def test_a_repeated_row_and_a_contradicting_one_are_counted_apart():
    cohort = proact.parse({A: [alsfrs(), alsfrs(), alsfrs(total="39")]})
    assert file_report(cohort, A).skipped == {
        "duplicate_row": 1,
        "conflicting_visit:alsfrs_r_total": 1,
    }


@pytest.mark.parametrize(
    ("cells", "region"),
    [
        ({"Site_of_Onset": "Onset: Bulbar"}, "bulbar"),
        ({"Site_of_Onset": "Onset: Limb"}, "limb"),
        ({"Site_of_Onset": "Onset: Limb and Bulbar"}, "limb_and_bulbar"),
        ({"Site_of_Onset___Bulbar": "1", "Site_of_Onset___Limb": "0"}, "bulbar"),
        ({"Site_of_Onset___Bulbar": "1", "Site_of_Onset___Limb": "1"}, "limb_and_bulbar"),
    ],
)
def test_the_site_of_onset_is_read_as_text_or_as_flags(cells, region):
    cohort = proact.parse({A: [alsfrs()], H: [{"subject_id": "1", **cells}]})
    assert cohort.subjects[0].onset_region == region


def test_demographics_and_death_fill_the_subject():
    cohort = proact.parse(
        {
            A: [alsfrs()],
            D: [{"subject_id": "1", "Age": "61", "Gender": "Female"}],
            X: [{"subject_id": "1", "Subject_Died": "Yes", "Death_Days": "400"}],
        }
    )
    subject = cohort.subjects[0]
    assert (subject.age_years, subject.sex, subject.died, subject.death_days) == (
        61,
        "female",
        True,
        400,
    )


def test_facts_about_subjects_without_a_kept_visit_are_counted_and_dropped():
    cohort = proact.parse(
        {A: [alsfrs("1")], D: [{"subject_id": "1", "Age": "61"}, {"subject_id": "9", "Age": "50"}]}
    )
    assert [s.source_id for s in cohort.subjects] == ["1"]
    report = file_report(cohort, D)
    assert (report.used, report.skipped) == (1, {"no_visits": 1})


def test_a_missing_optional_file_is_reported_as_not_read():
    cohort = proact.parse({A: [alsfrs()]})
    assert [(f.file, f.read) for f in cohort.report.files] == [
        (A, True),
        (H, False),
        (F, False),
        (D, False),
        (X, False),
        (V, False),
    ]


def test_without_the_alsfrs_file_nothing_is_imported():
    with pytest.raises(InvalidInput) as raised:
        proact.parse({H: []})
    assert [(e.path, e.code) for e in raised.value.errors] == [(A, "no_such_file")]


def test_a_file_without_a_subject_column_is_refused_naming_file_and_column():
    with pytest.raises(InvalidInput) as raised:
        proact.parse({A: [alsfrs()], F: [{"Patient": "1", "Forced_Vital_Capacity_Delta": "0"}]})
    error = raised.value.errors[0]
    assert (error.path, error.code, error.params) == (F, "no_column", {"column": "subject_id"})


CELL = st.one_of(
    st.text(max_size=6),
    st.integers(-100, 100).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@given(total=CELL, delta=CELL, item=CELL, weight=CELL, unit=st.sampled_from(["Pounds", "kg", "?"]))
def test_no_cell_crashes_the_import_and_nothing_out_of_range_is_stored(
    total, delta, item, weight, unit
):
    vitals = [
        {"subject_id": "1", "Vital_Signs_Delta": delta, "Weight": weight, "Weight_Units": unit}
    ]
    cohort = proact.parse({A: [alsfrs(delta=delta, total=total, Q1_Speech=item)], V: vitals})
    for visit in cohort.visits:
        assert visit.alsfrs_r_total is None or 0 <= visit.alsfrs_r_total <= 48
        assert visit.weight_kg is None or 20 <= visit.weight_kg <= 300
    assert all(f.used + sum(f.skipped.values()) == f.rows for f in cohort.report.files)
