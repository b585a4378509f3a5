import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsrx.analytics import disclosure

# Written out by hand from the rules, not from our output.
# OpenSAFELY: <= 7 -> 0, then nearest multiple of 5.
OPENSAFELY_CASES = [
    (0, 0),
    (1, 0),
    (7, 0),
    (8, 10),
    (10, 10),
    (11, 10),
    (12, 10),
    (13, 15),
    (17, 15),
    (18, 20),
    (27, 25),
    (28, 30),
]
# CMS: 1-10 not shown; 0 and > 10 shown as they are.
CMS_CASES = [
    (0, 0),
    (1, None),
    (7, None),
    (8, None),
    (10, None),
    (11, 11),
    (12, 12),
    (13, 13),
    (17, 17),
    (18, 18),
]


@pytest.mark.parametrize(("n", "shown"), OPENSAFELY_CASES)
def test_opensafely_redacts_seven_or_fewer_and_rounds_to_five(n, shown):
    assert disclosure.count(n, disclosure.OPENSAFELY) == shown


@pytest.mark.parametrize(("n", "shown"), CMS_CASES)
def test_cms_suppresses_one_to_ten_and_shows_zero_and_larger_counts(n, shown):
    assert disclosure.count(n, disclosure.CMS) == shown


def test_a_ratio_is_recomputed_from_the_disclosed_counts():
    shown = disclosure.ratio(13, 27, disclosure.OPENSAFELY)
    assert shown == disclosure.Disclosed(numerator=15, denominator=25, ratio=0.6)


def test_a_ratio_with_a_redacted_numerator_is_zero_under_opensafely():
    assert disclosure.ratio(5, 40, disclosure.OPENSAFELY) == disclosure.Disclosed(0, 40, 0.0)


def test_a_ratio_over_a_redacted_denominator_has_no_value():
    assert disclosure.ratio(3, 6, disclosure.OPENSAFELY) == disclosure.Disclosed(0, 0, None)


def test_a_ratio_with_a_suppressed_numerator_has_no_value_under_cms():
    assert disclosure.ratio(4, 50, disclosure.CMS) == disclosure.Disclosed(None, 50, None)


def test_a_ratio_of_shown_cms_counts_is_exact():
    assert disclosure.ratio(11, 44, disclosure.CMS) == disclosure.Disclosed(11, 44, 0.25)


def test_a_numerator_larger_than_its_denominator_is_refused():
    with pytest.raises(ValueError, match="numerator"):
        disclosure.ratio(5, 4, disclosure.CMS)


@pytest.mark.parametrize("bad", [-1, 2.0, True, "3"])
def test_a_count_that_is_not_a_whole_number_of_zero_or_more_is_refused(bad):
    with pytest.raises(ValueError, match="n must be"):
        disclosure.count(bad, disclosure.OPENSAFELY)


def test_a_table_discloses_every_cell_and_keeps_its_keys_in_order():
    cells = {("f", "40-49"): 3, ("f", "50-59"): 12, ("m", "40-49"): 0, ("m", "50-59"): 23}
    assert list(disclosure.table(cells, disclosure.OPENSAFELY).items()) == [
        (("f", "40-49"), 0),
        (("f", "50-59"), 10),
        (("m", "40-49"), 0),
        (("m", "50-59"), 25),
    ]
    assert dict(disclosure.table(cells, disclosure.CMS)) == {
        ("f", "40-49"): None,
        ("f", "50-59"): 12,
        ("m", "40-49"): 0,
        ("m", "50-59"): 23,
    }


def test_policies_are_found_by_their_code():
    assert disclosure.policy_named("opensafely") is disclosure.OPENSAFELY
    assert disclosure.policy_named("cms") is disclosure.CMS


def test_an_unknown_policy_code_is_refused_naming_the_allowed_codes():
    with pytest.raises(ValueError, match="allowed: cms, opensafely"):
        disclosure.policy_named("hipaa")


@given(st.integers(min_value=0, max_value=10**9))
def test_opensafely_counts_are_zero_or_a_multiple_of_five_and_close_to_the_truth(n):
    shown = disclosure.count(n, disclosure.OPENSAFELY)
    assert shown is not None
    assert shown % 5 == 0
    assert not 1 <= shown <= 7
    if n > 7:
        assert abs(shown - n) <= 2


@given(st.integers(min_value=0, max_value=10**9))
def test_cms_counts_are_either_suppressed_or_exact(n):
    shown = disclosure.count(n, disclosure.CMS)
    assert shown is None if 1 <= n <= 10 else shown == n
