"""Indeks Kepuasan Masyarakat, exactly as PermenPANRB 14/2017 computes it. Pure: no database.

* NRR per unsur = sum of the answers / number of respondents who answered that unsur.
* IKM = 25 × Σ NRR_u · w, with w = exact 1/9 (default) or the legacy 0.111 / 0.11 that some
  offices' spreadsheets use (a per-mall setting).
* The index is rounded half-up to two decimals, then graded: ≥ 88.31 A, ≥ 76.61 B,
  ≥ 65.00 C, otherwise D (the grade table has gaps, so rounding comes first).

Arithmetic is exact (fractions) until the single rounding, so 88.305 is an A and
88.30499 a B on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from satupintu.survey.regulation import grade_bands, unsur_codes

WEIGHTS: dict[str, Fraction] = {
    "exact": Fraction(1, 9),
    "0.111": Fraction(111, 1000),
    "0.11": Fraction(11, 100),
}
ANSWERS = (1, 2, 3, 4)


class IkmError(ValueError):
    """The answers cannot give an index (e.g. an unsur nobody answered)."""


@dataclass(frozen=True)
class Grade:
    mutu: str
    kinerja: str


@dataclass(frozen=True)
class IkmResult:
    n: int  # respondents
    answered: dict[str, int]  # per unsur
    totals: dict[str, int]  # per unsur
    nrr: dict[str, Fraction]
    weight: str
    ikm_exact: Fraction
    ikm: Decimal  # two decimals, half-up
    grade: Grade

    def as_json(self) -> dict:
        return {
            "n": self.n,
            "nrr": {code: str(round_half_up(value, 4)) for code, value in self.nrr.items()},
            "answered": self.answered,
            "weight": self.weight,
            "ikm": str(self.ikm),
            "ikm_unrounded": str(round_half_up(self.ikm_exact, 6)),
            "mutu": self.grade.mutu,
            "kinerja": self.grade.kinerja,
        }


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Exact half-up rounding of a non-negative number to `places` decimals."""
    value = Fraction(value)
    scale = 10**places
    units = math.floor(value * scale + Fraction(1, 2)) if value >= 0 else -math.floor(-value * scale + Fraction(1, 2))
    return (Decimal(units) / Decimal(scale)).quantize(Decimal(1).scaleb(-places))


def grade(ikm: Fraction | Decimal | float | str) -> Grade:
    """Grade of an index on the 25–100 scale (rounded half-up to two decimals first)."""
    rounded = round_half_up(Fraction(Decimal(str(ikm))) if isinstance(ikm, (str, float)) else ikm, 2)
    for band in grade_bands():
        if rounded >= band.minimum:
            return Grade(band.mutu, band.kinerja)
    lowest = grade_bands()[-1]
    return Grade(lowest.mutu, lowest.kinerja)


def ikm_from_totals(totals: Mapping[str, int], answered: Mapping[str, int], *, n: int | None = None,
                    weight: str = "exact") -> IkmResult:
    if weight not in WEIGHTS:
        raise IkmError(f"bobot tidak dikenal {weight!r}; pilih exact, 0.111 atau 0.11")
    codes = unsur_codes()
    empty = [code for code in codes if not answered.get(code)]
    if empty:
        raise IkmError(f"tidak ada jawaban untuk {', '.join(empty)}; NRR tidak dapat dihitung / "
                       f"no answers for {', '.join(empty)}")
    nrr = {code: Fraction(totals[code], answered[code]) for code in codes}
    exact = 25 * sum(nrr.values(), Fraction(0)) * WEIGHTS[weight]
    return IkmResult(
        n=n if n is not None else max(answered.values()),
        answered={code: answered[code] for code in codes},
        totals={code: totals[code] for code in codes},
        nrr=nrr,
        weight=weight,
        ikm_exact=exact,
        ikm=round_half_up(exact, 2),
        grade=grade(exact),
    )


def ikm_compute(responses: Iterable[Mapping[str, int | None]], *, weight: str = "exact") -> IkmResult:
    """IKM of respondents' answers: each a mapping U1..U9 → 1..4 or None (not answered)."""
    codes = unsur_codes()
    totals = dict.fromkeys(codes, 0)
    answered = dict.fromkeys(codes, 0)
    n = 0
    for response in responses:
        n += 1
        for code in codes:
            value = response.get(code)
            if value is None:
                continue
            if value not in ANSWERS:
                raise IkmError(f"{code}: jawaban harus 1–4, bukan {value!r}")
            totals[code] += value
            answered[code] += 1
    if n == 0:
        raise IkmError("tidak ada responden / no respondents")
    return ikm_from_totals(totals, answered, n=n, weight=weight)
