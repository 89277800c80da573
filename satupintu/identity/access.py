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
