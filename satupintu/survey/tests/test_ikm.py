"""IKM calculation (PermenPANRB 14/2017): the regulation's worked examples through
`manage.py ikm`, grade boundaries exactly as the rounding rule says, each weight, the
Krejcie–Morgan sample."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command

from satupintu.survey.ikm import IkmError, grade, ikm_compute, ikm_from_totals, round_half_up
from satupintu.survey.regulation import grade_bands, unsur, worked_examples
from satupintu.survey.sample import minimum_sample, sample_check

WEIGHT_KEYS = {"exact": "exact_1_per_9", "0.111": "weight_0.111", "0.11": "weight_0.11"}


def sheet_from_totals(n: int, totals: list[int]) -> str:
    """n respondents whose answers add up to each unsur's total (answers 1–4)."""
    columns = []
    for total in totals:
        base, extra = divmod(total, n)
        column = [base + 1] * extra + [base] * (n - extra)
        assert all(1 <= v <= 4 for v in column) and sum(column) == total
        columns.append(column)
    lines = ["U1,U2,U3,U4,U5,U6,U7,U8,U9"]
    lines += [",".join(str(columns[u][r]) for u in range(9)) for r in range(n)]
    return "\n".join(lines) + "\n"


def run_ikm(path, *args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("ikm", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_nine_unsur_with_four_labels_come_from_the_reference_copy():
    items = unsur()
    assert [u.code for u in items] == [f"U{i}" for i in range(1, 10)]
    assert all(sorted(u.labels) == [1, 2, 3, 4] for u in items)
    assert items[3].labels[4] == "Gratis"
    assert [b.mutu for b in grade_bands()] == ["A", "B", "C", "D"]


@pytest.mark.parametrize("example", worked_examples(), ids=lambda e: e["id"])
@pytest.mark.parametrize("weight", ["exact", "0.111", "0.11"])
def test_worked_examples_through_manage_py_ikm(tmp_path, example, weight):
    path = tmp_path / "sheet.csv"
    path.write_text(sheet_from_totals(example["n_responden"], example["totals_per_unsur"]))
    out = run_ikm(path, "--weight", weight)
    expected = example["results"][WEIGHT_KEYS[weight]]
    assert out["n"] == example["n_responden"]
    assert out["ikm"] == expected["ikm"]
    assert out["mutu"] == expected["mutu"]
    assert Decimal(out["ikm_unrounded"]) == pytest.approx(Decimal(str(expected["ikm_unrounded"])), abs=Decimal("1e-6"))
    assert [round(float(v), 4) for v in out["nrr"].values()] == example["nrr"]


def test_default_weight_is_exact(tmp_path):
    example = next(e for e in worked_examples() if e["id"] == "gaspul_triwulan_III")
    path = tmp_path / "sheet.csv"
    path.write_text(sheet_from_totals(example["n_responden"], example["totals_per_unsur"]))
    out = run_ikm(path)
    assert (out["ikm"], out["mutu"], out["weight"]) == ("91.48", "A", "exact")


@pytest.mark.parametrize("value, mutu", [
    ("88.305", "A"), ("88.30499", "B"), ("88.31", "A"), ("88.30", "B"),
    ("76.605", "B"), ("76.60499", "C"), ("76.61", "B"), ("76.60", "C"),
    ("64.995", "C"), ("64.99499", "D"), ("65.00", "C"), ("64.99", "D"),
    ("100", "A"), ("25", "D"),
])
def test_grade_boundaries_after_half_up_rounding(value, mutu):
    assert grade(Decimal(value)).mutu == mutu
    assert grade(Fraction(Decimal(value))).mutu == mutu


def test_kinerja_labels():
    assert grade(Decimal("90")).kinerja == "Sangat Baik"
    assert grade(Decimal("80")).kinerja == "Baik"
    assert grade(Decimal("70")).kinerja == "Kurang Baik"
    assert grade(Decimal("50")).kinerja == "Tidak Baik"


def test_round_half_up_is_exact():
    assert round_half_up(Fraction(88305, 1000)) == Decimal("88.31")
    assert round_half_up(Fraction(8830499, 100000)) == Decimal("88.30")
    assert round_half_up(Fraction(1, 8), 2) == Decimal("0.13")  # banker's rounding would say 0.12
    assert str(round_half_up(75)) == "75.00"


def test_nrr_divides_by_the_answers_given_not_by_respondents():
    full = {f"U{i}": 4 for i in range(1, 10)}
    partial = {**full, "U4": None}
    result = ikm_compute([full, partial, {**full, "U4": 2}])
    assert result.n == 3
    assert result.answered["U4"] == 2 and result.nrr["U4"] == Fraction(6, 2)
    assert result.nrr["U1"] == 4


def test_an_unsur_nobody_answered_is_an_error():
    with pytest.raises(IkmError, match="U9"):
        ikm_compute([{f"U{i}": 3 for i in range(1, 9)}])
    with pytest.raises(IkmError):
        ikm_compute([])
    with pytest.raises(IkmError):
        ikm_from_totals({f"U{i}": 3 for i in range(1, 10)}, {f"U{i}": 1 for i in range(1, 10)}, weight="0.2")


def test_weights():
    totals = {f"U{i}": 4 for i in range(1, 10)}
    answered = {f"U{i}": 1 for i in range(1, 10)}
    assert str(ikm_from_totals(totals, answered).ikm) == "100.00"
    assert str(ikm_from_totals(totals, answered, weight="0.111").ikm) == "99.90"
    assert str(ikm_from_totals(totals, answered, weight="0.11").ikm) == "99.00"


@pytest.mark.parametrize("population, sample", [
    (0, 0), (5, 5), (10, 10), (11, 14), (100, 80), (101, 86), (110, 86), (111, 92),
    (4999, 357), (5000, 357), (75001, 384), (1_000_000, 384), (50_000_000, 384),
])
def test_krejcie_morgan_next_larger_row(population, sample):
    assert minimum_sample(population) == sample


def test_sample_short_warning():
    check = sample_check(population=1000, respondents=200)
    assert check.required == 278 and check.short and "278" in check.warning
    assert not sample_check(population=1000, respondents=278).short
    assert sample_check(population=1000, respondents=278).warning == ""
