"""Identity objects in the access matrix (see satupintu/identity/tests/test_access_matrix.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from satupintu.identity import access
from satupintu.identity.models import Consent, CorrectionRequest, Mandate, Role
from satupintu.identity.tests.access_matrix import AccessCase, World

AGENCY_ROLES = frozenset(r.value for r in access.AGENCY_ROLES)
ALL_ROLES = frozenset(r.value for r in Role)


def _assisted_mandate(world: World) -> Mandate:
    helper = world.officer(Role.FRONT_DESK)
    return Mandate.objects.create(actor=helper, subject=world.owner_person, basis=Mandate.Basis.ASSISTED_DIGITAL,
                                  evidence="KTP-el diperiksa", mall=world.mall, agency=world.agency,
                                  valid_until=timezone.now() + timedelta(hours=8))


def _person(world: World):
    _assisted_mandate(world)  # the agency is helping this citizen at its counter
    return world.owner_person


def _consent(world: World) -> Consent:
    return Consent.objects.create(person=world.owner_person, purpose=Consent.Purpose.KK_PREFILL)


def _correction(world: World) -> CorrectionRequest:
    return CorrectionRequest.objects.create(person=world.owner_person, field="full_name",
                                            requested_value="Nama Benar")


def _membership(world: World):
    colleague = world.officer(Role.VERIFIER)
    return colleague.memberships.get()


def access_matrix_cases() -> list[AccessCase]:
    return [
        AccessCase("identity.Person", _person, lambda u, o: access.access_person(u, o.code),
                   AGENCY_ROLES | {"owner"}),
        AccessCase("identity.Mandate", _assisted_mandate, lambda u, o: access.access_mandate(u, o.code),
                   ALL_ROLES | {"owner"}),
        AccessCase("identity.Consent", _consent, lambda u, o: access.access_consent(u, o.code),
                   frozenset({"owner"})),
        AccessCase("identity.CorrectionRequest", _correction,
                   lambda u, o: access.access_correction_request(u, o.code), frozenset({"owner"})),
        AccessCase("identity.Membership", _membership, lambda u, o: access.access_membership(u, o.code),
                   frozenset({Role.AGENCY_ADMIN.value, Role.MALL_MANAGER.value, Role.AUDITOR.value})),
    ]
