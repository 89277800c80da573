"""An in-memory registry for unit tests: same interface as DukcapilClient."""

from __future__ import annotations

import datetime as dt
import re

from satupintu.integrations.dukcapil.errors import RegistryError, RegistryNoMatch
from satupintu.integrations.dukcapil.types import Family, FamilyMember, IdentityClaim, Verification


def _norm(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", (value or "").casefold()).split())


class FakeDukcapil:
    def __init__(self) -> None:
        self.residents: dict[str, dict] = {}
        self.families: dict[str, list[str]] = {}
        self.fail_with: RegistryError | None = None
        self.calls: list[tuple[str, str]] = []

    def add(self, *, nik: str, name: str, birth_date: dt.date, kk_number: str = "", sex: str = "",
            birth_place: str = "", mother_name: str = "", relationship: str = "kepala_keluarga") -> None:
        self.residents[nik] = {"nik": nik, "name": name, "birth_date": birth_date, "sex": sex,
                               "birth_place": birth_place, "mother_name": mother_name,
                               "relationship": relationship, "kk_number": kk_number}
        if kk_number:
            self.families.setdefault(kk_number, []).append(nik)

    def _field_matches(self, resident: dict | None, claim: dict) -> dict[str, bool]:
        out = {}
        for key, value in claim.items():
            if key == "nik" or value in ("", None):
                continue
            if resident is None:
                out[key] = False
            elif key == "birth_date":
                out[key] = value == resident[key]
            else:
                out[key] = _norm(value) == _norm(resident[key])
        return out

    def verify(self, claim: IdentityClaim) -> Verification:
        self.calls.append(("verify", claim.nik))
        if self.fail_with:
            raise self.fail_with
        resident = self.residents.get(claim.nik)
        fields = self._field_matches(resident, {"name": claim.name, "birth_date": claim.birth_date,
                                                "birth_place": claim.birth_place, "mother_name": claim.mother_name})
        return Verification(found=resident is not None, fields=fields)

    def family(self, *, nik: str, name: str, birth_date: dt.date, consent_reference: str) -> Family:
        self.calls.append(("family", nik))
        if self.fail_with:
            raise self.fail_with
        resident = self.residents.get(nik)
        ok = self._field_matches(resident, {"name": name, "birth_date": birth_date})
        if resident is None or not all(ok.values()) or not resident["kk_number"]:
            raise RegistryNoMatch("no matching resident", status=404)
        members = [self.residents[n] for n in self.families[resident["kk_number"]]]
        return Family(kk_number=resident["kk_number"], members=[
            FamilyMember(nik=m["nik"], name=m["name"], sex=m["sex"], birth_date=m["birth_date"],
                         birth_place=m["birth_place"], relationship=m["relationship"]) for m in members])
