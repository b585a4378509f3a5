"""Settings, read once from the environment at the edge and passed down.

    ALSRX_LANG                   en | zh (default en): language of messages and reports
    ALSRX_PROGRESSION_CUTOFFS    labra2016 | kimura2006 (default labra2016)
    ALSRX_HRMAX_EQUATION         tanaka | gellish | fox (default tanaka)
    ALSRX_DATABASE_URL           default sqlite:///./alsrx.db; postgresql+psycopg://... for
                                 multi-centre deployments
    ALSRX_SECRET_KEY             secret for CSRF tokens; required (>= 32 characters) outside
                                 demo mode, where placeholder values are refused
    ALSRX_AUDIT_KEY              key of the audit trail's HMAC chain, kept out of the database;
                                 required (>= 32 characters) outside demo mode by commands that
                                 write or verify, where placeholder values are refused
    ALSRX_MAX_BODY_BYTES         largest request body accepted, in bytes (default 1048576,
                                 1 MiB; 1024 to 104857600); a larger one is answered 413
    ALSRX_SCHEDULER              true | false (default false): `alsrx serve` runs the daily
                                 jobs (follow-up scan, key purge) itself; leave it false when
                                 `alsrx worker` or systemd timers run them (docs/operations.md)
    ALSRX_JOBS_AT                HH:MM, 24-hour local time (default 02:30): when the daily jobs
                                 run; a day missed while no server ran is run at the next start
    ALSRX_DEMO_MODE              true | false (default false): allows the built-in demo secrets
    ALSRX_COOKIE_SECURE          true | false (default true): Secure flag on session cookies;
                                 when true the session cookie is named __Host-alsrx_session and
                                 responses carry Strict-Transport-Security
    ALSRX_SESSION_IDLE_MINUTES   5 to 1440 (default 30): a browser session not used for this
                                 long ends (it ends after 12 hours in any case)
    ALSRX_TOKEN_DAYS             1 to 3650 (default 90): lifetime of an API token made with
                                 `alsrx token create` when --expires-in is not given
    ALSRX_MFA_REQUIRED_ROLES     comma-separated roles that must sign in with a second factor
                                 (TOTP); admin always must. Default admin,clinician,researcher.
                                 In demo mode the demo-* accounts are exempt.
    ALSRX_RESEARCH_K             2 to 100 (default 5): a research export of rows is refused unless
                                 every combination of age band, sex, centre, onset region and
                                 baseline years holds at least this many patients (k-anonymity)
    ALSRX_RESEARCH_DISCLOSURE    opensafely | cms (default opensafely): the small-count rule every
                                 research count and statistic goes through
    ALSRX_TRUSTED_PROXIES        comma-separated IP addresses of reverse proxies whose
                                 X-Forwarded-For is believed (default none: the client address
                                 is the TCP peer). Sign-in throttling counts per address.

A value outside its allowed set is refused with a message naming the variable; a silent
fallback could change a clinical result, or weaken security, without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass

from alsrx.analytics import disclosure
from alsrx.domain.assessment import Options
from alsrx.domain.equations.heart_rate import PREDICTED_SOURCES, MaxSource
from alsrx.domain.scales.progression import CUTOFF_SETS
from alsrx.errors import FieldError, InvalidInput

DEFAULT_DATABASE_URL = "sqlite:///./alsrx.db"
DEMO_SECRET = "demo-only-secret-not-for-real-data-000000"
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", DEMO_SECRET})
MIN_SECRET_LENGTH = 32
MAX_BODY_DEFAULT, MAX_BODY_MIN, MAX_BODY_MAX = 1_048_576, 1024, 104_857_600
DEMO_AUDIT_KEY = "demo-only-audit-key-not-for-real-data-0000"
PLACEHOLDER_AUDIT_KEYS = PLACEHOLDER_SECRETS | {DEMO_AUDIT_KEY}
DEFAULT_JOBS_AT = dt.time(2, 30)
CLOCK_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
MFA_ROLES = ("admin", "clinician", "researcher", "patient", "caregiver")
DEFAULT_MFA_ROLES = frozenset({"admin", "clinician", "researcher"})
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


@dataclass(frozen=True)
class Settings:
    lang: str = "en"
    progression_cutoffs: str = "labra2016"
    hr_max_equation: str = "tanaka"
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = DEMO_SECRET
    demo_mode: bool = False
    cookie_secure: bool = True
    max_body_bytes: int = MAX_BODY_DEFAULT
    audit_key: str | None = None  # None: nothing may write or verify the audit trail
    scheduler: bool = False
    jobs_at: dt.time = DEFAULT_JOBS_AT
    session_idle_minutes: int = 30
    token_days: int = 90
    mfa_required_roles: frozenset[str] = DEFAULT_MFA_ROLES
    trusted_proxies: frozenset[str] = frozenset()
    research_k: int = 5
    research_disclosure: str = "opensafely"

    def mfa_required(self, role: str, username: str) -> bool:
        """Admins always; other roles as configured; demo accounts not in demo mode."""
        if self.demo_mode and username.startswith("demo-"):
            return False
        return role == "admin" or role in self.mfa_required_roles

    def assessment_options(self) -> Options:
        return Options(
            progression_cutoffs=CUTOFF_SETS[self.progression_cutoffs],
            hr_max_equation=MaxSource(self.hr_max_equation),
        )


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name, default)
    if value not in allowed:
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": allowed})])
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    if raw.lower() not in BOOLEANS:
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": ("true", "false")})])
    return BOOLEANS[raw.lower()]


def _clock_time(env: Mapping[str, str], name: str, default: dt.time) -> dt.time:
    raw = env.get(name)
    if raw is None:
        return default
    match = CLOCK_TIME.fullmatch(raw)
    if match is None:
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": ("HH:MM",)})])
    return dt.time(int(match[1]), int(match[2]))


def _int(env: Mapping[str, str], name: str, low: int, high: int, default: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    # ASCII digits: str.isdigit() is true for "²", which int() then refuses.
    if not raw.isascii() or not raw.strip().isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            [FieldError(name, "out_of_range", {"min": low, "max": high, "integer": True})]
        )
    return int(raw)


def _roles(env: Mapping[str, str], name: str) -> frozenset[str]:
    raw = env.get(name)
    if raw is None:
        return DEFAULT_MFA_ROLES
    roles = frozenset(r.strip() for r in raw.split(",") if r.strip())
    if not roles <= set(MFA_ROLES):
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": MFA_ROLES})])
    return roles | {"admin"}


def _addresses(env: Mapping[str, str], name: str) -> frozenset[str]:
    items = [a.strip() for a in env.get(name, "").split(",") if a.strip()]
    try:
        return frozenset(str(ipaddress.ip_address(a)) for a in items)
    except ValueError:
        raise InvalidInput(
            [FieldError(name, "invalid", {"detail": "comma-separated IP addresses"})]
        ) from None


def _secret(env: Mapping[str, str], *, demo: bool) -> str:
    secret = env.get("ALSRX_SECRET_KEY")
    if secret is None and demo:
        return DEMO_SECRET
    if secret is None or secret in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        if demo and secret is not None:
            return secret
        raise InvalidInput(
            [FieldError("ALSRX_SECRET_KEY", "secret_required", {"min": MIN_SECRET_LENGTH})]
        )
    return secret


def _audit_key(env: Mapping[str, str], *, demo: bool, required: bool) -> str | None:
    """The audit MAC key. Demo mode alone gets a built-in key: a real trail's key must be a
    secret the database does not hold, or anyone who can edit rows can recompute the chain."""
    key = env.get("ALSRX_AUDIT_KEY")
    if key is None and demo:
        return DEMO_AUDIT_KEY
    if not required or (demo and key):
        return key
    if key is None or key in PLACEHOLDER_AUDIT_KEYS or len(key) < MIN_SECRET_LENGTH:
        raise InvalidInput(
            [FieldError("ALSRX_AUDIT_KEY", "secret_required", {"min": MIN_SECRET_LENGTH})]
        )
    return key


def from_env(
    env: Mapping[str, str], *, needs_secret: bool = False, needs_audit_key: bool = False
) -> Settings:
    """Settings from an environment mapping; `needs_secret` for commands that serve or sign,
    `needs_audit_key` for those that write or verify the audit trail."""
    demo = _bool(env, "ALSRX_DEMO_MODE", False)
    return Settings(
        lang=_choice(env, "ALSRX_LANG", ("en", "zh"), "en"),
        progression_cutoffs=_choice(
            env, "ALSRX_PROGRESSION_CUTOFFS", tuple(CUTOFF_SETS), "labra2016"
        ),
        hr_max_equation=_choice(
            env, "ALSRX_HRMAX_EQUATION", tuple(s.value for s in PREDICTED_SOURCES), "tanaka"
        ),
        database_url=env.get("ALSRX_DATABASE_URL", DEFAULT_DATABASE_URL),
        secret_key=_secret(env, demo=demo)
        if needs_secret
        else env.get("ALSRX_SECRET_KEY", DEMO_SECRET),
        demo_mode=demo,
        cookie_secure=_bool(env, "ALSRX_COOKIE_SECURE", True),
        max_body_bytes=_int(
            env, "ALSRX_MAX_BODY_BYTES", MAX_BODY_MIN, MAX_BODY_MAX, MAX_BODY_DEFAULT
        ),
        audit_key=_audit_key(env, demo=demo, required=needs_audit_key),
        scheduler=_bool(env, "ALSRX_SCHEDULER", False),
        jobs_at=_clock_time(env, "ALSRX_JOBS_AT", DEFAULT_JOBS_AT),
        session_idle_minutes=_int(env, "ALSRX_SESSION_IDLE_MINUTES", 5, 1440, 30),
        token_days=_int(env, "ALSRX_TOKEN_DAYS", 1, 3650, 90),
        mfa_required_roles=_roles(env, "ALSRX_MFA_REQUIRED_ROLES"),
        trusted_proxies=_addresses(env, "ALSRX_TRUSTED_PROXIES"),
        research_k=_int(env, "ALSRX_RESEARCH_K", 2, 100, 5),
        research_disclosure=_choice(
            env, "ALSRX_RESEARCH_DISCLOSURE", tuple(disclosure.POLICIES), "opensafely"
        ),
    )
