import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import NORMAL_ITEMS

from alsrx.domain.scales import alsfrs_r, kings, mitos
from alsrx.errors import InvalidInput

item = st.integers(min_value=0, max_value=4)


@st.composite
def scales(draw):
    items = {k: draw(item) for k in alsfrs_r.COMMON_ITEMS}
    key = draw(st.sampled_from([alsfrs_r.Q5A, alsfrs_r.Q5B]))
    items[key] = draw(item)
    return items


def test_domains_take_the_items_of_cedarbaum_1999():
    s = alsfrs_r.score(
        dict(NORMAL_ITEMS, q1_speech=1, q5a_cutting_food=2, q8_walking=0, q11_orthopnea=3)
    )
    assert (s.bulbar, s.fine_motor, s.gross_motor, s.respiratory) == (9, 10, 8, 11)
    assert s.total == 38


def test_item_5b_counts_in_fine_motor_and_marks_a_gastrostomy():
    items = dict(NORMAL_ITEMS)
    del items["q5a_cutting_food"]
    s = alsfrs_r.score(dict(items, q5b_cutting_food_gastrostomy=1))
    assert s.gastrostomy and s.fine_motor == 9


@given(scales())
def test_total_is_the_sum_of_the_four_domains_and_stays_within_0_to_48(items):
    s = alsfrs_r.score(items)
    assert s.total == s.bulbar + s.fine_motor + s.gross_motor + s.respiratory
    assert s.total == sum(items.values())
    assert 0 <= s.total <= 48


@given(scales(), st.data())
def test_lowering_any_item_never_lowers_the_kings_or_mitos_stage(items, data):
    key = data.draw(st.sampled_from(sorted(items)))
    lowered = dict(items, **{key: data.draw(st.integers(0, items[key]))})
    before, after = alsfrs_r.score(items), alsfrs_r.score(lowered)
    k_before, k_after = kings.stage(before), kings.stage(after)
    assert k_after.rank >= k_before.rank
    assert set(k_before.stage.split("+")) <= set(k_after.stage.split("+")) or k_before.rank < 4
    assert mitos.stage(after).stage >= mitos.stage(before).stage


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"q1_speech": 5}, "alsfrs_r.q1_speech", "out_of_range"),
        ({"q1_speech": -1}, "alsfrs_r.q1_speech", "out_of_range"),
        ({"q1_speech": True}, "alsfrs_r.q1_speech", "out_of_range"),
        ({"q1_speech": 2.5}, "alsfrs_r.q1_speech", "out_of_range"),
        ({"q5b_cutting_food_gastrostomy": 3}, "alsfrs_r.q5a_cutting_food", "exactly_one_of"),
        ({"q13_extra": 1}, "alsfrs_r.q13_extra", "not_allowed"),
    ],
)
def test_invalid_items_are_refused_naming_the_item(change, path, code):
    with pytest.raises(InvalidInput) as caught:
        alsfrs_r.score(dict(NORMAL_ITEMS, **change))
    assert (path, code) in {(e.path, e.code) for e in caught.value.errors}


def test_a_missing_item_is_named():
    items = dict(NORMAL_ITEMS)
    del items["q10_dyspnea"]
    with pytest.raises(InvalidInput) as caught:
        alsfrs_r.score(items)
    assert [e.path for e in caught.value.errors] == ["alsfrs_r.q10_dyspnea"]
