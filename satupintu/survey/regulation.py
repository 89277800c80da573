"""PermenPANRB 14/2017, read from the reference copy (never retyped): the nine unsur with
their four answer labels, and the 2017 grade table."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings

FILE = "regulation/skm_permenpanrb_14_2017.json"


@dataclass(frozen=True)
class Unsur:
    code: str  # "U1" … "U9"
    name: str
    definition: str
    question: str
    labels: dict[int, str]  # 1..4 → label


@dataclass(frozen=True)
class GradeBand:
    minimum: Decimal  # lowest converted IKM (25–100 scale, two decimals) in the band
    mutu: str  # A–D
    kinerja: str  # Sangat Baik … Tidak Baik


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads((settings.REFERENCE_DATA_DIR / FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def unsur() -> tuple[Unsur, ...]:
    return tuple(
        Unsur(code=u["kode"], name=u["nama"], definition=u["definisi"], question=u["contoh_pertanyaan"],
              labels={int(k): v for k, v in u["label_jawaban"].items()})
        for u in _data()["unsur"]
    )


def unsur_codes() -> tuple[str, ...]:
    return tuple(u.code for u in unsur())


@lru_cache(maxsize=1)
def grade_bands() -> tuple[GradeBand, ...]:
    """Best band first."""
    bands = [GradeBand(Decimal(row["NIK_min"]), row["mutu"], row["kinerja"]) for row in _data()["tabel_mutu_2017"]]
    return tuple(sorted(bands, key=lambda b: b.minimum, reverse=True))


def worked_examples() -> list[dict]:
    return _data()["contoh"]
