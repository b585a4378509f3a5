import datetime as dt
import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alsrx.analytics import dateshift

SECRET = bytes(range(32))


def test_the_shift_is_the_hmac_sha256_of_the_research_id_reduced_to_0_to_364_days():
    digest = hmac.new(SECRET, b"alsrx.dateshift.v1\x00R-0001", hashlib.sha256).digest()
    expected = int.from_bytes(digest[:8], "big") % 365
    assert dateshift.DateShift(SECRET).days("R-0001") == expected


def test_the_same_secret_and_id_give_the_same_shift():
    assert dateshift.DateShift(SECRET).days("R-7") == dateshift.DateShift(SECRET).days("R-7")


def test_another_export_secret_shifts_patients_afresh():
    first, second = (
        dateshift.DateShift(SECRET),
        dateshift.DateShift(b"another secret of 32 bytes!!!!!!"),
    )
    ids = [f"R-{i}" for i in range(50)]
    assert sum(first.days(i) == second.days(i) for i in ids) <= 3


def test_different_ids_spread_over_the_whole_range():
    shift = dateshift.DateShift(SECRET)
    days = [shift.days(f"R-{i:05d}") for i in range(3650)]
    assert min(days) >= 0 and max(days) <= 364
    assert len(set(days)) > 340  # 3650 draws from 365 values leave ~0 unseen
    fifths = [sum(73 * k <= d < 73 * (k + 1) for d in days) / len(days) for k in range(5)]
    assert all(0.17 < share < 0.23 for share in fifths)


def test_all_dates_of_a_patient_move_together_so_intervals_are_kept():
    shift = dateshift.DateShift(SECRET)
    onset, visit = dt.date(2023, 2, 28), dt.date(2024, 3, 1)
    moved_onset, moved_visit = shift.apply("R-1", onset), shift.apply("R-1", visit)
    assert moved_visit - moved_onset == visit - onset
    assert onset - moved_onset == dt.timedelta(days=shift.days("R-1"))


def test_a_datetime_keeps_its_time_of_day():
    shift = dateshift.DateShift(SECRET)
    moved = shift.apply("R-2", dt.datetime(2024, 5, 1, 9, 30))
    assert isinstance(moved, dt.datetime) and (moved.hour, moved.minute) == (9, 30)


def test_the_secret_is_not_shown_in_repr():
    assert SECRET.hex() not in repr(dateshift.DateShift(SECRET))
    assert "secret" not in repr(dateshift.DateShift(SECRET))


@pytest.mark.parametrize("secret", [b"", b"short", "a text, not bytes, of 32 chars!!"])
def test_a_short_or_textual_secret_is_refused(secret):
    with pytest.raises(ValueError, match="at least 16 bytes"):
        dateshift.DateShift(secret)


def test_an_empty_research_id_is_refused():
    with pytest.raises(ValueError, match="research_id"):
        dateshift.DateShift(SECRET).days("")


@given(st.binary(min_size=16, max_size=64), st.text(min_size=1, max_size=40))
def test_every_shift_lies_between_0_and_364_days(secret, research_id):
    assert 0 <= dateshift.DateShift(secret).days(research_id) <= 364
