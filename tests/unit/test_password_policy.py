"""The password policy of ASVS v5.0.0 6.2: long enough, long passphrases allowed, no common
passwords, and a refusal that says in words what is wrong (en and zh)."""

import pytest

from alsrx.render.messages import field_error_message
from alsrx.services import passwords

DEMO_PASSWORD = "demo-password-ALS"


@pytest.mark.parametrize(
    "password",
    [DEMO_PASSWORD, "correct horse battery", "x" * 12, "長城" * 6, "a" * 64, "b" * 128],
)
def test_twelve_to_128_characters_not_on_the_common_list_are_accepted(password):
    assert passwords.policy_errors(password) == []


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("elevenchars", "password_too_short"),
        ("", "password_too_short"),
        ("c" * 129, "password_too_long"),
        ("password1234", "password_common"),
        ("PassWord1234", "password_common"),
        ("QWERTY123456", "password_common"),
    ],
)
def test_short_long_and_common_passwords_are_refused_with_a_code(password, code):
    assert [e.code for e in passwords.policy_errors(password)] == [code]


def test_the_common_list_is_the_one_zxcvbn_ships():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    assert len(FREQUENCY_LISTS["passwords"]) >= 10_000
    long_common = [p for p in FREQUENCY_LISTS["passwords"] if len(p) >= passwords.MIN_LENGTH]
    assert long_common and all(passwords.policy_errors(p.upper()) for p in long_common)


@pytest.mark.parametrize(
    ("password", "english", "chinese"),
    [
        ("short", "at least 12 characters", "至少 12 个字符"),
        ("password1234", "most common passwords", "最常见的密码"),
        ("d" * 129, "at most 128 characters", "最多 128 个字符"),
    ],
)
def test_the_refusal_says_what_is_wrong_in_both_languages(password, english, chinese):
    (error,) = passwords.policy_errors(password)
    assert english in field_error_message(error, "en")
    assert chinese in field_error_message(error, "zh")


def test_hashes_are_argon2id_and_an_unknown_account_never_verifies():
    stored = passwords.hash_password(DEMO_PASSWORD)
    assert stored.startswith("$argon2id$")
    assert passwords.verify_or_dummy(stored, DEMO_PASSWORD)
    assert not passwords.verify_or_dummy(None, DEMO_PASSWORD)
