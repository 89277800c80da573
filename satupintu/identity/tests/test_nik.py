"""NIK rules: table tests for each kind of wrong input, and properties over generated NIKs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from satupintu.identity.nik import NikError, nik_check, nik_mask, nik_validate

TODAY = dt.date(2026, 11, 28)


def codes(value: str) -> list[str]:
    return [p.code for p in nik_check(value, today=TODAY).errors]


@pytest.mark.parametrize(("value", "code", "message_part"), [
    ("", "nik_required", "Isi NIK"),
    ("367101520388000", "nik_length", "NIK harus 16 angka; yang Anda masukkan 15 angka"),
    ("36710152038800011", "nik_length", "yang Anda masukkan 17 angka"),
    ("36710152038800O1", "nik_not_digits", "“O”"),
    ("9971015203880001", "nik_province", "(99)"),
    ("3671017203880001", "nik_day", "(72)"),
    ("3671010003880001", "nik_day", "(00)"),
    ("3671011213880001", "nik_month", "(13)"),
    ("3671013102880001", "nik_date", "tanggal 31 bulan 2 tidak ada"),
    ("3671017102880001", "nik_date", "tanggal 31 bulan 2"),
    ("3671015203880000", "nik_serial", "0000"),
])
def test_each_wrong_nik_gets_its_own_clear_message(value, code, message_part):
    check = nik_check(value, today=TODAY)
    assert code in [p.code for p in check.errors]
    with translation.override("id"):
        messages = " ".join(str(p.message) for p in check.errors)
    assert message_part in messages


def test_valid_nik_woman_day_plus_40_and_century():
    check = nik_validate("3671015203880001", today=TODAY)
    assert check.birth_date == dt.date(1988, 3, 12) and check.sex == "P"
    assert check.province == "Banten" and "Tangerang" in check.regency
    child = nik_validate("3671010907150003", today=TODAY)
    assert child.birth_date == dt.date(2015, 7, 9) and child.sex == "L"


def test_century_is_the_one_not_in_the_future():
    # 27 (2027) would be after TODAY, so 1927; 26-11 (2026) is not in the future
    assert nik_validate("3671010101270001", today=TODAY).birth_date == dt.date(1927, 1, 1)
    assert nik_validate("3671012811260001", today=TODAY).birth_date == dt.date(2026, 11, 28)
    assert nik_validate("3671012912260001", today=TODAY).birth_date == dt.date(1926, 12, 29)


def test_spaces_and_dots_are_ignored():
    assert nik_validate("3671 0152 0388 0001", today=TODAY).value == "3671015203880001"
    assert nik_validate("36.71.01.520388.0001", today=TODAY).value == "3671015203880001"


def test_unknown_regency_or_kecamatan_is_only_a_warning():
    # 3699: no such regency in Banten today; 367199: no such kecamatan in Kota Tangerang
    for value in ("3699015203880001", "3671995203880001"):
        check = nik_check(value, today=TODAY)
        assert check.ok, check.errors
        assert check.warnings


def test_validate_raises_domain_error_with_field_and_all_problems():
    with pytest.raises(NikError) as info:
        nik_validate("9971017203880000", today=TODAY)
    assert info.value.field == "nik" and info.value.code == "nik_province"
    assert {p["code"] for p in info.value.details["problems"]} == {"nik_province", "nik_day", "nik_serial"}


def test_english_message():
    with translation.override("en"):
        msg = str(nik_check("123", today=TODAY).errors[0].message)
    assert "16 digits" in msg and "3" in msg


def test_mask():
    assert nik_mask("3671015203880001") == "3671********0001"


PROVINCES = ["11", "31", "32", "33", "35", "36", "51", "73", "94"]


@st.composite
def valid_niks(draw):
    birth = draw(st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY))
    female = draw(st.booleans())
    region = draw(st.sampled_from(PROVINCES)) + f"{draw(st.integers(1, 99)):02d}{draw(st.integers(1, 99)):02d}"
    serial = draw(st.integers(1, 9999))
    day = birth.day + (40 if female else 0)
    return f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}", birth, female


@settings(max_examples=300, deadline=None)
@given(valid_niks())
def test_property_every_well_formed_nik_is_accepted_and_decoded(case):
    nik, birth, female = case
    check = nik_check(nik, today=TODAY)
    assert check.ok, [str(p) for p in check.errors]
    assert check.birth_date == birth
    assert check.sex == ("P" if female else "L")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda s: len(s) != 16))
def test_property_wrong_length_always_says_how_many_digits(value):
    check = nik_check(value, today=TODAY)
    assert not check.ok
    if value:
        assert check.errors[0].code == "nik_length"
        with translation.override("id"):
            assert f"{len(value)} angka" in str(check.errors[0].message)


@settings(max_examples=200, deadline=None)
@given(valid_niks())
def test_property_serial_0000_is_always_refused(case):
    nik = case[0][:12] + "0000"
    assert "nik_serial" in codes(nik)


def test_property_simulator_population_follows_the_rules():
    from simulators.dukcapil import Registry

    registry = Registry(seed=7, families=200)
    for nik, resident in registry.by_nik.items():
        check = nik_check(nik, today=TODAY)
        assert check.ok, (nik, [str(p) for p in check.errors])
        assert check.birth_date.isoformat() == resident["birth_date"]
        assert check.sex == resident["sex"]
