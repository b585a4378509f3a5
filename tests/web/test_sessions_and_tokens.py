"""The life of sessions and tokens: they expire, end when idle, end together when the password
changes or the account is disabled, and every step is audited (ASVS v5.0.0 7.3, 7.4)."""

import datetime as dt

import typer
from sqlalchemy import select, update
from tests.db_fixtures import PASSWORD
from tests.web.test_pages import csrf_of, sign_in
from typer.testing import CliRunner

from alsrx import cli_platform
from alsrx.db import models
from alsrx.db.session import transaction

NEW_PASSWORD = "a new and longer passphrase"


def api_token(client, username, password=PASSWORD):
    r = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def actions(world):
    with transaction(world.factory, write=False) as s:
        return s.scalars(select(models.AuditEvent.action).order_by(models.AuditEvent.seq)).all()


def test_changing_the_password_ends_every_other_session_and_token(world):
    c = world.client
    other = api_token(c, "clinician")
    sign_in(c, "clinician")
    page = c.get("/account")
    r = c.post(
        "/account/password",
        data={"csrf": csrf_of(page.text), "current": PASSWORD, "new": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert c.get("/api/v1/me", headers=other).status_code == 401
    assert c.get("/api/v1/me", headers=world.as_("clinician")).status_code == 401
    assert c.get("/account").status_code == 200  # the session that changed it stays
    assert {"password_change", "tokens_revoke_all"} <= set(actions(world))


def test_a_new_password_must_follow_the_policy_and_the_page_says_why(world):
    c = world.client
    sign_in(c, "clinician")
    page = c.get("/account")
    r = c.post(
        "/account/password",
        data={"csrf": csrf_of(page.text), "current": PASSWORD, "new": "password1234"},
    )
    assert r.status_code == 422 and "New password: is one of the most common passwords" in r.text


def test_a_browser_session_ends_after_the_idle_time(world):
    c = world.client
    sign_in(c, "clinician")
    assert c.get("/clinic", follow_redirects=False).status_code == 200
    then = models.utcnow() - dt.timedelta(minutes=31)
    with transaction(world.factory) as s:
        s.execute(update(models.ApiToken).values(last_seen_at=then))
    assert c.get("/clinic", follow_redirects=False).status_code == 303
    assert c.get("/api/v1/me", headers=world.as_("clinician")).status_code == 200  # API token


def test_last_seen_is_written_at_most_once_a_minute(world):
    c = world.client
    sign_in(c, "clinician")

    def last_seen():
        with transaction(world.factory, write=False) as s:
            return s.scalars(
                select(models.ApiToken.last_seen_at).where(models.ApiToken.kind == "session")
            ).one()

    first = last_seen()
    c.get("/clinic")
    c.get("/account")
    assert last_seen() == first
    with transaction(world.factory) as s:
        earlier = models.utcnow() - dt.timedelta(minutes=2)
        s.execute(update(models.ApiToken).values(last_seen_at=earlier))
    c.get("/clinic")
    assert last_seen() > first


def cli_run(db_url, *args, stdin=None):
    env = {"ALSRX_DATABASE_URL": db_url, "ALSRX_TOKEN_DAYS": "30", "ALSRX_AUDIT_KEY": "k" * 40}
    root = typer.Typer()
    cli_platform.register(root)
    return CliRunner().invoke(root, list(args), input=stdin, env=env)


def test_tokens_made_on_the_command_line_expire_and_can_be_revoked(world, db_url):
    made = cli_run(db_url, "token", "create", "researcher", "--expires-in", "2")
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    h = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/api/v1/me", headers=h).status_code == 200
    with transaction(world.factory, write=False) as s:
        expires = s.scalars(
            select(models.ApiToken.expires_at).order_by(models.ApiToken.id.desc())
        ).first()
    left = (expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)) - models.utcnow()
    assert dt.timedelta(days=1, hours=23) < left <= dt.timedelta(days=2)
    revoked = cli_run(db_url, "token", "revoke", stdin=token + "\n")
    assert revoked.exit_code == 0 and "tokens revoked: 1" in revoked.output
    assert world.client.get("/api/v1/me", headers=h).status_code == 401
    default = cli_run(db_url, "token", "create", "researcher")
    assert default.exit_code == 0
    with transaction(world.factory) as s:
        s.execute(
            update(models.ApiToken).values(expires_at=models.utcnow() - dt.timedelta(seconds=1))
        )
    again = {"Authorization": f"Bearer {default.output.strip()}"}
    assert world.client.get("/api/v1/me", headers=again).status_code == 401


def test_revoking_all_of_a_users_tokens_and_disabling_a_user(world, db_url):
    c = world.client
    h = api_token(c, "patient")
    all_gone = cli_run(db_url, "token", "revoke", "--user", "patient")
    assert all_gone.exit_code == 0, all_gone.output
    assert c.get("/api/v1/me", headers=h).status_code == 401
    assert c.get("/api/v1/me", headers=world.as_("patient")).status_code == 401
    h = api_token(c, "caregiver")
    sign_in(c, "caregiver")
    disabled = cli_run(db_url, "user", "disable", "caregiver")
    assert disabled.exit_code == 0, disabled.output
    assert c.get("/api/v1/me", headers=h).status_code == 401
    assert c.get("/today", follow_redirects=False).status_code == 303
    refused = c.post("/api/v1/auth/token", json={"username": "caregiver", "password": PASSWORD})
    assert refused.status_code == 401


def test_an_administrators_reset_ends_the_users_sessions(world, db_url):
    h = api_token(world.client, "clinician_b")
    reset = cli_run(
        db_url, "user", "reset-password", "clinician_b", "--password-stdin", stdin=NEW_PASSWORD
    )
    assert reset.exit_code == 0, reset.output
    assert world.client.get("/api/v1/me", headers=h).status_code == 401
    api_token(world.client, "clinician_b", NEW_PASSWORD)
    weak = cli_run(
        db_url, "user", "reset-password", "clinician_b", "--password-stdin", stdin="short"
    )
    assert weak.exit_code == 1
    assert "password_reset" in actions(world)
