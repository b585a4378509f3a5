"""A user's access settings (switch scanning, dwell, read aloud): the only write path.

The rules and bounds are domain/access_modes.py; this reads and stores them in
users.access_prefs (JSON; NULL = never set, the defaults). Any signed-in user may keep their own
settings (patients and caregivers use them on the patient pages; for others they are harmless).
The change is audited like the language (accounts.set_fields), with the old and new values:
they are the user's own settings, not patient data.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import access_modes
from alsrx.errors import NotFound
from alsrx.services import accounts
from alsrx.services.actor import Actor


def current(session: Session, actor: Actor) -> access_modes.AccessPrefs:
    user = session.get(models.User, actor.user_id)
    return access_modes.from_stored(user.access_prefs if user is not None else None)


def save(session: Session, actor: Actor, form: Mapping[str, str]) -> access_modes.AccessPrefs:
    """The form's settings, validated (InvalidInput naming each field and its range; nothing is
    stored then), kept for the user."""
    prefs = access_modes.from_form(form)
    user = session.get(models.User, actor.user_id)
    if user is None:
        raise NotFound("user")
    accounts.set_fields(session, actor, user, {"access_prefs": prefs.stored()})
    return prefs
