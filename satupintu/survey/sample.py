"""Minimum SKM sample per population (Krejcie & Morgan 1970), from the reference table."""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

FILE = "regulation/krejcie_morgan.csv"


@lru_cache(maxsize=1)
def _table() -> tuple[list[int], list[int]]:
    with (settings.REFERENCE_DATA_DIR / FILE).open(encoding="utf-8", newline="") as fh:
        rows = sorted((int(r["populasi_N"]), int(r["sampel_S"])) for r in csv.DictReader(fh))
    return [n for n, _ in rows], [s for _, s in rows]


def minimum_sample(population: int) -> int:
    """Respondents needed for `population` served citizens. Between two rows of the table
    the next larger row applies; below the first row every citizen is asked; above the last
    row its sample (384) holds."""
    if population < 0:
        raise ValueError("population must not be negative")
    populations, samples = _table()
    if population < populations[0]:
        return population
    i = bisect.bisect_left(populations, population)
    return samples[min(i, len(samples) - 1)]


@dataclass(frozen=True)
class SampleCheck:
    population: int
    required: int
    respondents: int

    @property
    def short(self) -> bool:
        return self.respondents < self.required

    @property
    def warning(self) -> str:
        if not self.short:
            return ""
        return _("Sampel kurang: %(n)d responden, minimal %(s)d untuk populasi %(p)d (Krejcie–Morgan).") % {
            "n": self.respondents, "s": self.required, "p": self.population}

    def as_json(self) -> dict:
        return {"population": self.population, "required": self.required, "respondents": self.respondents,
                "short": self.short, "warning": self.warning}


def sample_check(*, population: int, respondents: int) -> SampleCheck:
    return SampleCheck(population, minimum_sample(population), respondents)
