"""The two statements of who sees which patient (a query for lists, a check for one patient)
agree for every role and every patient."""

from sqlalchemy import select
from tests.db_fixtures import build_world

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.services import access
from alsrx.services import actor as actor_mod


def test_the_list_query_and_the_single_check_agree(factory):
    build_world(factory, None)
    with transaction(factory, write=False) as s:
        patients = s.scalars(select(models.Patient)).all()
        for user in s.scalars(select(models.User)).all():
            actor = actor_mod.load(s, user)
            listed = {p.id for p in s.scalars(access.patients_query(actor))}
            checked = {p.id for p in patients if access.can_see(actor, p)}
            assert listed == checked, user.username
            if user.role in ("clinician", "patient", "caregiver"):
                assert listed, user.username
