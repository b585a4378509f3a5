import pytest

from alsrx.render.rounding import round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(2.675, 2, 2.68), (137.25, 1, 137.3), (-2.5, 0, -3.0), (0.1 + 0.2, 1, 0.3), (None, 1, None)],
)
def test_displayed_numbers_round_half_away_from_zero_on_their_decimal_value(
    value, places, expected
):
    assert round_half_up(value, places) == expected
