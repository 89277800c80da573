"""The access matrix: every object type × every persona × own/other side.

Registry — how another app adds its object types
------------------------------------------------
Create `satupintu/<app>/tests/access_cases.py` with

    from satupintu.identity.tests.access_matrix import AccessCase, World

    def access_matrix_cases() -> list[AccessCase]:
        return [AccessCase(
            "applications.Application",
            make=lambda w: Application.objects.create(mall=w.mall, agency=w.agency,
                                                      applicant=w.owner_person, ...),
            access=lambda user, obj: access_application(user, obj.code),
            reach=frozenset({"front_desk", "verifier", "approver", "agency_admin", "mall_manager", "owner"}),
        )]

This module imports every `satupintu.<app>.tests.access_cases` it finds and runs each case
against every persona (see `access_matrix.PERSONAS`):

* `owner` (the citizen the object belongs to), `citizen_other`, `anonymous`;
* for each role, an officer `<role>@own` (in `world.agency` at `world.mall`; mall-level roles
  at `world.mall`), `<role>@other_agency` (another agency of the same mall) and
  `<role>@other_mall` (an agency / the mall-level role of another mall).

A persona in `reach` on the own side must get the object back; every other persona must get
NotFound (which every view and endpoint turns into 404) — "not yours" and "does not exist"
look the same. The World (`access_matrix.World`) gives factories the malls, agencies, the
owner citizen, and `world.officer(role)` / `world.citizen()` for extra people.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.conf import settings

from satupintu.core.errors import NotFound
from satupintu.identity.tests.access_matrix import PERSONAS, World, expected_reach, persona_user


def _registered_cases():
    cases = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("satupintu."):
            continue
        name = f"{app}.tests.access_cases"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            cases.extend(importlib.import_module(name).access_matrix_cases())
    return cases


CASES = _registered_cases()


@pytest.fixture
def world(catalogue):
    from satupintu.catalogue.models import Agency, Mall

    other_mall = Mall.objects.get(slug="kota-serang")
    w = World(mall=catalogue, agency=Agency.objects.get(slug="DISDUKCAPIL"),
              other_agency=Agency.objects.get(slug="POLRES_METRO_TNG_KOTA"), other_mall=other_mall,
              other_mall_agency=Agency.objects.get(slug="DISDUKCAPIL_KOTA_SERANG"),
              owner=None, owner_person=None)
    w.owner, w.owner_person = w.citizen("Pemilik")
    return w


def test_registry_covers_identity_objects():
    names = {case.name for case in CASES}
    assert {"identity.Person", "identity.Mandate", "identity.Consent", "identity.CorrectionRequest",
            "identity.Membership"} <= names


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p[0])
def test_access_matrix(world, case, persona):
    key, role, side = persona
    obj = case.make(world)
    user = persona_user(world, key, role, side)
    if expected_reach(case, key, role, side):
        got = case.access(user, obj)
        assert got.pk == obj.pk
    else:
        with pytest.raises(NotFound):
            case.access(user, obj)


def test_unknown_code_is_the_same_404(world):
    import uuid

    from satupintu.identity import access

    with pytest.raises(NotFound):
        access.access_mandate(world.owner, uuid.uuid4())
    with pytest.raises(NotFound):
        access.access_person(world.owner, uuid.uuid4())


def test_an_officer_sees_their_own_membership_but_cannot_manage_it(world):
    from satupintu.identity import access
    from satupintu.identity.models import Role

    desk = world.officer(Role.FRONT_DESK)
    own = desk.memberships.get()
    assert access.access_membership(desk, own.code) == own
    with pytest.raises(NotFound):
        access.access_membership(desk, own.code, roles={Role.AGENCY_ADMIN, Role.MALL_MANAGER})
