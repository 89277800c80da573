"""Data types of the population-registry adapter. The registry answers match / no match per
claimed field; it never returns the stored identity data (except KK members, with consent)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IdentityClaim:
    nik: str
    name: str
    birth_date: dt.date
    birth_place: str = ""
    mother_name: str = ""

    def as_json(self) -> dict:
        body = {"nik": self.nik, "name": self.name, "birth_date": self.birth_date.isoformat()}
        if self.birth_place:
            body["birth_place"] = self.birth_place
        if self.mother_name:
            body["mother_name"] = self.mother_name
        return body


@dataclass(frozen=True)
class Verification:
    found: bool
    fields: dict[str, bool] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        """The NIK exists and every field the caller claimed matches."""
        return self.found and bool(self.fields) and all(self.fields.values())

    @property
    def mismatched_fields(self) -> list[str]:
        return [name for name, ok in self.fields.items() if not ok]


@dataclass(frozen=True)
class FamilyMember:
    nik: str
    name: str
    sex: str
    birth_date: dt.date
    birth_place: str
    relationship: str  # kepala_keluarga | istri | suami | anak | ...


@dataclass(frozen=True)
class Family:
    kk_number: str
    members: list[FamilyMember]
