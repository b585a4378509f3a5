import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alsrx.analytics import kanon

KEYS = ("sex", "age_band", "centre")

ROWS = [
    {"sex": "f", "age_band": "50-59", "centre": "A", "alsfrs_r": 40},
    {"sex": "f", "age_band": "50-59", "centre": "A", "alsfrs_r": 38},
    {"sex": "f", "age_band": "50-59", "centre": "A", "alsfrs_r": 35},
    {"sex": "m", "age_band": "60-69", "centre": "A", "alsfrs_r": 30},
    {"sex": "m", "age_band": "60-69", "centre": "A", "alsfrs_r": 31},
    {"sex": "m", "age_band": "80-89", "centre": "B", "alsfrs_r": 22},
]


def test_a_unique_combination_refuses_three_anonymity_and_is_named_first():
    result = kanon.smallest_groups(ROWS, KEYS, 3)
    assert not result.satisfied
    assert result.smallest_group == 1
    assert result.n_rows == 6
    assert [(dict(g.values), g.size) for g in result.below_k] == [
        ({"sex": "m", "age_band": "80-89", "centre": "B"}, 1),
        ({"sex": "m", "age_band": "60-69", "centre": "A"}, 2),
    ]


def test_coarser_quasi_identifiers_reach_two_anonymity():
    result = kanon.smallest_groups(ROWS, ("sex",), 2)
    assert result.satisfied
    assert result.smallest_group == 3
    assert result.below_k == ()


def test_no_rows_are_vacuously_anonymous():
    result = kanon.smallest_groups([], KEYS, 5)
    assert result.satisfied and result.smallest_group is None and result.n_rows == 0


def test_a_row_without_a_quasi_identifier_is_refused():
    with pytest.raises(ValueError, match="row 1 lacks"):
        kanon.smallest_groups([{"sex": "f"}, {"age": 3}], ("sex",), 2)


@pytest.mark.parametrize("k", [0, -1, True])
def test_k_below_one_is_refused(k):
    with pytest.raises(ValueError, match="k must be"):
        kanon.smallest_groups(ROWS, KEYS, k)


row = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["f", "m"]),
        "age_band": st.sampled_from(["40-49", "50-59", "60-69"]),
        "centre": st.sampled_from(["A", "B", "C", "D"]),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=60), st.integers(min_value=1, max_value=6))
def test_group_sizes_agree_with_a_pandas_groupby(rows, k):
    expected = pd.DataFrame(rows).groupby(list(KEYS)).size()
    result = kanon.smallest_groups(rows, KEYS, k)
    assert result.smallest_group == expected.min()
    below = {tuple(g.values[key] for key in KEYS): g.size for g in result.below_k}
    assert below == {combo: int(n) for combo, n in expected.items() if n < k}
    sizes = [g.size for g in result.below_k]
    assert sizes == sorted(sizes)
