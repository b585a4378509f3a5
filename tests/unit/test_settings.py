import pytest

from alsrx.errors import InvalidInput
from alsrx.settings import DEFAULT_DATABASE_URL, from_env


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
