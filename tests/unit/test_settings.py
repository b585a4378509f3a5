import datetime as dt

import pytest

from alsrx.errors import InvalidInput
from alsrx.settings import DEFAULT_DATABASE_URL, DEMO_AUDIT_KEY, from_env


def test_defaults_are_the_embedded_database_and_english():
    s = from_env({})
    assert s.database_url == DEFAULT_DATABASE_URL == "sqlite:///./alsrx.db"
    assert s.lang == "en" and not s.demo_mode and s.cookie_secure


@pytest.mark.parametrize(
    "secret", [None, "changeme", "short-secret", "demo-only-secret-not-for-real-data-000000"]
)
def test_placeholder_or_missing_secrets_are_refused_outside_demo_mode(secret):
    env = {} if secret is None else {"ALSRX_SECRET_KEY": secret}
    with pytest.raises(InvalidInput) as caught:
        from_env(env, needs_secret=True)
    assert caught.value.errors[0].path == "ALSRX_SECRET_KEY"


def test_demo_mode_allows_the_demo_secret_and_a_real_secret_is_always_fine():
    assert from_env({"ALSRX_DEMO_MODE": "true"}, needs_secret=True).demo_mode
    real = "x" * 40
    assert from_env({"ALSRX_SECRET_KEY": real}, needs_secret=True).secret_key == real


@pytest.mark.parametrize(
    ("name", "value"),
    [("ALSRX_DEMO_MODE", "maybe"), ("ALSRX_LANG", "fr"), ("ALSRX_COOKIE_SECURE", "sometimes")],
)
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(InvalidInput) as caught:
        from_env({name: value})
    assert caught.value.errors[0].path == name


AUDIT_KEY = "a-real-audit-key-of-forty-characters-xxxx"


@pytest.mark.parametrize(
    "key", [None, "changeme", "short-key", "demo-only-audit-key-not-for-real-data-0000"]
)
def test_commands_that_write_the_audit_trail_refuse_a_missing_or_placeholder_audit_key(key):
    env = {} if key is None else {"ALSRX_AUDIT_KEY": key}
    with pytest.raises(InvalidInput) as caught:
        from_env(env, needs_audit_key=True)
    assert caught.value.errors[0].path == "ALSRX_AUDIT_KEY"


def test_demo_mode_has_a_built_in_audit_key_and_a_real_key_is_kept_as_given():
    assert from_env({"ALSRX_DEMO_MODE": "true"}, needs_audit_key=True).audit_key == DEMO_AUDIT_KEY
    assert from_env({"ALSRX_AUDIT_KEY": AUDIT_KEY}, needs_audit_key=True).audit_key == AUDIT_KEY


def test_without_a_key_outside_demo_mode_settings_carry_none_so_nothing_can_write_the_trail():
    assert from_env({}).audit_key is None


@pytest.mark.parametrize("value", ["2:30", "24:00", "02:60", "0230", "noon", " 02:30"])
def test_a_jobs_time_that_is_not_hh_mm_is_refused_naming_the_variable(value):
    with pytest.raises(InvalidInput) as caught:
        from_env({"ALSRX_JOBS_AT": value})
    assert caught.value.errors[0].path == "ALSRX_JOBS_AT"


def test_the_in_server_scheduler_is_off_unless_asked_and_runs_at_the_given_time():
    assert (from_env({}).scheduler, from_env({}).jobs_at) == (False, dt.time(2, 30))
    on = from_env({"ALSRX_SCHEDULER": "true", "ALSRX_JOBS_AT": "23:05"})
    assert (on.scheduler, on.jobs_at) == (True, dt.time(23, 5))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ALSRX_SESSION_IDLE_MINUTES", "0"),
        ("ALSRX_SESSION_IDLE_MINUTES", "thirty"),
        ("ALSRX_TOKEN_DAYS", "4000"),
        ("ALSRX_MFA_REQUIRED_ROLES", "admin,doctor"),
        ("ALSRX_TRUSTED_PROXIES", "10.0.0.1,proxy.local"),
    ],
)
def test_bad_sign_in_settings_name_the_variable(name, value):
    with pytest.raises(InvalidInput) as caught:
        from_env({name: value})
    assert caught.value.errors[0].path == name


def test_sign_in_settings_parse_and_admins_always_need_a_second_factor():
    s = from_env(
        {
            "ALSRX_SESSION_IDLE_MINUTES": "15",
            "ALSRX_TOKEN_DAYS": "7",
            "ALSRX_MFA_REQUIRED_ROLES": "clinician",
            "ALSRX_TRUSTED_PROXIES": "10.0.0.1, ::1",
        }
    )
    assert (s.session_idle_minutes, s.token_days) == (15, 7)
    assert s.mfa_required_roles == {"admin", "clinician"}
    assert s.trusted_proxies == {"10.0.0.1", "::1"}
    defaults = from_env({})
    assert defaults.mfa_required_roles == {"admin", "clinician", "researcher"}
    assert defaults.trusted_proxies == frozenset()
