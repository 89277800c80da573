"""The few functions through which officers and citizens reach citizen and agency
objects (house style 4). "Not yours" and "does not exist" both raise NotFound (404).

Other apps build their own `access_*` on `agency_scope()` and `persons_actor_may_act_for()`:

    def access_application(user, code, *, roles=...):
        qs = Application.objects.filter(code=code)
        return get_in_scope(qs, user, roles=roles, agency_field="agency", mall_field="mall",
                            person_field="applicant")
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from satupintu.core.errors import NotFound
from satupintu.identity.models import Mandate, Membership, Person, Role, User

AGENCY_ROLES = {Role.FRONT_DESK, Role.VERIFIER, Role.APPROVER, Role.AGENCY_ADMIN}
MALL_ROLES = {Role.MALL_MANAGER, Role.AUDITOR}


def is_officer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.kind == User.Kind.OFFICER and user.is_active)


def memberships(user, roles: Iterable[str] | None = None) -> QuerySet[Membership]:
    if not is_officer(user):
        return Membership.objects.none()
    qs = Membership.objects.filter(user=user, is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs


def agency_scope(user, roles: Iterable[str] | None = None) -> Q:
    """A filter on (agency_id, mall_id) pairs the officer may reach with these roles.
    Agency roles reach their agency's rows in their mall; mall-level roles reach every row
    of their mall. Returns a Q over fields named `agency_id` and `mall_id`."""
    scope = Q(pk__in=[])
    for m in memberships(user, roles):
        if m.role in MALL_ROLES:
            scope |= Q(mall_id=m.mall_id)
        else:
            scope |= Q(mall_id=m.mall_id, agency_id=m.agency_id)
    return scope


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(account=user).first()


def persons_actor_may_act_for(user) -> set[int]:
    """Person ids the user may act for: themself and anyone under an active mandate."""
    if not getattr(user, "is_authenticated", False):
        return set()
    now = timezone.now()
    ids = set(Person.objects.filter(account=user).values_list("id", flat=True))
    ids |= set(
        Mandate.objects.filter(actor=user, revoked_at__isnull=True, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .values_list("subject_id", flat=True)
    )
    return ids


def get_in_scope(qs: QuerySet, user, *, roles: Iterable[str] | None = None, agency_field: str = "agency",
                 mall_field: str = "mall", person_field: str | None = None):
    """One object from `qs` that the user may reach, or NotFound. Officers through their
    memberships; citizens through `person_field` (themself or under a mandate)."""
    if is_officer(user):
        scope = Q(pk__in=[])
        for m in memberships(user, roles):
            if m.role in MALL_ROLES:
                scope |= Q(**{f"{mall_field}_id": m.mall_id})
            else:
                scope |= Q(**{f"{mall_field}_id": m.mall_id, f"{agency_field}_id": m.agency_id})
        obj = qs.filter(scope).first()
    elif person_field and getattr(user, "is_authenticated", False):
        obj = qs.filter(**{f"{person_field}_id__in": persons_actor_may_act_for(user)}).first()
    else:
        obj = None
    if obj is None:
        raise NotFound()
    return obj


# --------------------------------------------------------------------------- identity objects
# Who reaches what (the access matrix in tests/test_access_matrix.py checks every cell):
#   Person            — the citizen themself or someone they gave a mandate to; officers of an
#                       agency role whose agency holds an active mandate for the person (assisted
#                       digital at their counter). Mall managers and auditors do not read citizens'
#                       personal data. Officers find a citizen by NIK through the audited
#                       `officer_person_lookup` service, not through this function.
#   Mandate           — the actor, the subject's account; officers in the mandate's agency/mall scope.
#   Consent           — the citizen only.
#   CorrectionRequest — the citizen only (answered in the back office by the data-protection officer).
#   Membership        — the officer it belongs to; agency admins for their agency; mall managers and
#                       auditors for their mall.

PERSON_READ_ROLES = AGENCY_ROLES
MANDATE_ROLES = AGENCY_ROLES | MALL_ROLES


def access_active_mandates():
    """Mandates in force now (not revoked, started, not expired)."""
    now = timezone.now()
    return (Mandate.objects.filter(revoked_at__isnull=True, valid_from__lte=now)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now)))


def access_person(user, code) -> Person:
    qs = Person.objects.filter(code=code)
    if is_officer(user):
        scope = agency_scope(user, PERSON_READ_ROLES)
        subject_ids = access_active_mandates().filter(scope).values("subject_id")
        obj = qs.filter(id__in=subject_ids).first()
        if obj is None:
            raise NotFound()
        return obj
    obj = qs.filter(id__in=persons_actor_may_act_for(user)).first()
    if obj is None:
        raise NotFound()
    return obj


def access_mandate(user, code) -> Mandate:
    qs = Mandate.objects.filter(code=code)
    if is_officer(user):
        return get_in_scope(qs, user, roles=MANDATE_ROLES)
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    own = Q(actor=user) | Q(subject__account=user)
    obj = qs.filter(own).first()
    if obj is None:
        raise NotFound()
    return obj


def access_consent(user, code):
    from satupintu.identity.models import Consent

    if is_officer(user):
        raise NotFound()
    return get_in_scope(Consent.objects.filter(code=code), user, person_field="person")


def access_correction_request(user, code):
    from satupintu.identity.models import CorrectionRequest

    if is_officer(user):
        raise NotFound()
    return get_in_scope(CorrectionRequest.objects.filter(code=code), user, person_field="person")


def access_membership(user, code, *, roles: Iterable[str] | None = None) -> Membership:
    """A membership the officer may see. `roles` narrows who may manage (not just see) it,
    e.g. `roles={Role.AGENCY_ADMIN, Role.MALL_MANAGER}` for granting and revoking."""
    if not is_officer(user):
        raise NotFound()
    qs = Membership.objects.filter(code=code)
    manage_roles = set(roles) if roles is not None else {Role.AGENCY_ADMIN, Role.MALL_MANAGER, Role.AUDITOR}
    scope = agency_scope(user, manage_roles)
    if roles is None:
        scope |= Q(user=user)
    obj = qs.filter(scope).first()
    if obj is None:
        raise NotFound()
    return obj
