"""The remembered-device bounds (domain/device_trust.py): which PINs may be chosen, the lock,
the lifetime and the freshness of the password sign-in that remembers a device."""

import datetime as dt

import pytest

from alsrx.domain import device_trust as rules

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("pin", ["2468", "7395", "90817", "52413698", "1357"])
def test_pins_of_four_to_eight_digits_that_are_not_easy_may_be_chosen(pin):
    assert rules.pin_errors(pin) == []


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "١٢٣٤", "24 68", "²468"])
def test_a_pin_that_is_not_four_to_eight_ascii_digits_is_refused_with_the_range(pin):
    [error] = rules.pin_errors(pin)
    assert (error.path, error.code, dict(error.params)) == (
        "pin",
        "pin_digits",
        {"min": 4, "max": 8},
    )


@pytest.mark.parametrize(
    "pin",
    ["0000", "1111", "99999999", "1234", "4321", "0123", "9876", "345678", "1212", "123123",
     "2580", "6969", "1004", "654321"],
)  # fmt: skip
def test_repeated_sequential_and_common_pins_are_too_easy_to_guess(pin):
    [error] = rules.pin_errors(pin)
    assert error.code == "pin_too_easy"


def test_a_pin_of_the_wrong_shape_is_not_checked_against_the_blocklist_at_sign_in():
    assert rules.pin_shape_ok("1234") and not rules.pin_shape_ok("12345678x")


def test_the_alsrx_defaults_are_the_documented_ones():
    assert rules.PIN_DIGITS == (4, 8)
    assert rules.MAX_FAILED_PINS == 5
    assert dt.timedelta(days=180) == rules.DEVICE_LIFETIME
    assert rules.MAX_DEVICES == 5
    assert rules.ROLES == ("patient", "caregiver")
    assert rules.DEVICE_ATTEMPTS_PER_WINDOW > rules.MAX_FAILED_PINS  # the lock comes first


def test_attempts_left_count_down_to_the_lock_and_never_below_zero():
    assert [rules.attempts_left(n) for n in range(7)] == [5, 4, 3, 2, 1, 0, 0]


def test_a_revoked_device_reads_revoked_before_locked_before_expired():
    past = NOW - dt.timedelta(days=1)
    assert rules.status(now=NOW, expires_at=past, locked_at=past, revoked_at=past) == "revoked"
    assert rules.status(now=NOW, expires_at=past, locked_at=past, revoked_at=None) == "locked"
    assert rules.status(now=NOW, expires_at=past, locked_at=None, revoked_at=None) == "expired"
    assert rules.status(now=NOW, expires_at=NOW, locked_at=None, revoked_at=None) == "expired"
    later = NOW + dt.timedelta(seconds=1)
    assert rules.status(now=NOW, expires_at=later, locked_at=None, revoked_at=None) == "active"


def test_only_a_password_sign_in_of_the_last_fifteen_minutes_is_fresh():
    assert rules.is_fresh(NOW - dt.timedelta(minutes=15), NOW)
    assert not rules.is_fresh(NOW - dt.timedelta(minutes=15, seconds=1), NOW)
    assert not rules.is_fresh(NOW + dt.timedelta(minutes=1), NOW)  # a clock gone backwards


@pytest.mark.parametrize("label", ["", "   ", "x" * 101])
def test_a_device_name_must_be_one_to_a_hundred_characters(label):
    [error] = rules.label_errors(label)
    assert (error.code, dict(error.params)) == ("text_length", {"min": 1, "max": 100})
