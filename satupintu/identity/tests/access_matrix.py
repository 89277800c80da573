"""The access-matrix framework (used by test_access_matrix.py; see its docstring)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from satupintu.identity.models import Membership, Person, Role, User

_seq = itertools.count(1)


def synthetic_nik(sex: str = "L", birth: date = date(1990, 1, 2)) -> str:
    """A NIK with the real structure (Kota Tangerang region, date, women's day + 40), unique per run."""
    day = birth.day + (40 if sex == "P" else 0)
    serial = next(_seq) + random.randint(0, 4000)  # noqa: S311 - test data
    return f"367101{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 9999 + 1:04d}"


@dataclass
class World:
    """Everything a factory may attach its object to. The factory builds the object on the
    OWN side: `mall`, `agency` (an agency with counters in that mall) and the citizen `owner`."""

    mall: Any
    agency: Any
    other_agency: Any
    other_mall: Any
    other_mall_agency: Any
    owner: User
    owner_person: Person
    made: list = field(default_factory=list)

    def officer(self, role: str, *, agency=None, mall=None) -> User:
        n = next(_seq)
        user = User.objects.create_user(email=f"matrix{n}@uji.satupintu.id", password=None,
                                        full_name=f"Petugas Matriks {n}", kind=User.Kind.OFFICER)
        mall = mall or self.mall
        if role in (Role.MALL_MANAGER, Role.AUDITOR):
            agency = None
        else:
            agency = agency or self.agency
        Membership.objects.create(user=user, mall=mall, agency=agency, role=role)
        return user

    def citizen(self, name: str = "Warga") -> tuple[User, Person]:
        n = next(_seq)
        user = User.objects.create_user(email=f"warga{n}@uji.satupintu.id", password=None, full_name=f"{name} {n}")
        person = Person(account=user, full_name=user.full_name, birth_date=date(1990, 1, 2))
        person.set_nik(synthetic_nik())
        person.save()
        return user, person


@dataclass(frozen=True)
class AccessCase:
    """One object type in the matrix.

    name   — shown in the test id, e.g. "identity.Mandate"
    make   — `make(world) -> obj`: one object on the own side (world.mall / world.agency / world.owner)
    access — `access(user, obj) -> obj`: calls your access_* function (by the object's code);
             must raise satupintu.core.errors.NotFound when the user may not reach it
    reach  — who must reach it: Role values (an officer of that role in world.agency at world.mall;
             mall-level roles at world.mall) and/or "owner" (world.owner). Everyone else — the same
             roles in another agency or another mall, another citizen, anonymous — must get NotFound.
    """

    name: str
    make: Callable[[World], Any]
    access: Callable[[Any, Any], Any]
    reach: frozenset[str]


# Personas: (key, role or None, side)
PERSONAS: list[tuple[str, str | None, str]] = [
    ("owner", None, "own"),
    ("citizen_other", None, "other"),
    ("anonymous", None, "other"),
]
for _role in Role:
    PERSONAS.append((f"{_role.value}@own", _role.value, "own"))
    if _role.value not in (Role.MALL_MANAGER, Role.AUDITOR):
        PERSONAS.append((f"{_role.value}@other_agency", _role.value, "other_agency"))
    PERSONAS.append((f"{_role.value}@other_mall", _role.value, "other_mall"))


def persona_user(world: World, key: str, role: str | None, side: str):
    from django.contrib.auth.models import AnonymousUser

    if key == "owner":
        return world.owner
    if key == "citizen_other":
        return world.citizen("Warga Lain")[0]
    if key == "anonymous":
        return AnonymousUser()
    if side == "own":
        return world.officer(role)
    if side == "other_agency":
        return world.officer(role, agency=world.other_agency)
    return world.officer(role, agency=world.other_mall_agency, mall=world.other_mall)


def expected_reach(case: AccessCase, key: str, role: str | None, side: str) -> bool:
    if side != "own":
        return False
    return (key in case.reach) or (role is not None and role in case.reach)
