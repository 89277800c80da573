"""The rules of the NIK (Nomor Induk Kependudukan), in one place.

A NIK is 16 digits ``PP KK CC DDMMYY SSSS``:

* ``PP`` province, ``KK`` regency/city, ``CC`` kecamatan — where the NIK was first issued. It never
  changes when the person moves, and regions split and are renumbered (``3603…`` was issued in
  Kabupaten Tangerang before Tangerang Selatan existed), so only the **province** must be known; an
  unknown regency or kecamatan is a *warning*, never a rejection (data/reference/README.md).
* ``DDMMYY`` date of birth; women have 40 added to the day. The century is not written: we take the
  most recent year that does not put the birth date in the future.
* ``SSSS`` serial, never ``0000``. There is no check digit.

`nik_check()` returns every problem, each with a message that says exactly what is wrong in Bahasa
Indonesia (English through gettext). `nik_validate()` raises the first error as a `DomainError`.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from satupintu.core.errors import DomainError

NIK_LENGTH = 16
SEPARATORS = " .-\t"


@lru_cache(maxsize=1)
def _regions() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(province code → name, regency code → name, kecamatan code → name), codes without dots."""
    from django.conf import settings

    base = Path(settings.REFERENCE_DATA_DIR) / "wilayah"
    provinces: dict[str, str] = {}
    regencies: dict[str, str] = {}
    districts: dict[str, str] = {}
    with open(base / "provinsi.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            provinces[row["kode"].replace(".", "")] = row["nama"]
    with open(base / "kabkota_indonesia.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            regencies[row["kode"].replace(".", "")] = row["nama"]
    for name in ("banten_kecamatan.csv", "tangerang_kota_kecamatan.csv"):
        path = base / name
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    districts[row["kode"].replace(".", "")] = row["nama"]
    return provinces, regencies, districts


def _district_known_provinces() -> set[str]:
    """Provinces whose kecamatan list we hold (only there can a kecamatan be called unknown)."""
    return {code[:2] for code in _regions()[2]}


@dataclass
class NikProblem:
    code: str
    message: str

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class NikCheck:
    value: str  # the digits as typed, separators removed
    errors: list[NikProblem] = field(default_factory=list)
    warnings: list[NikProblem] = field(default_factory=list)
    birth_date: dt.date | None = None
    sex: str = ""  # "L" | "P"
    province: str = ""
    regency: str = ""
    district: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def nik_clean(value: str) -> str:
    """Remove spaces, dots and dashes people type or copy from a KTP."""
    return "".join(ch for ch in (value or "") if ch not in SEPARATORS)


def nik_birth_date(day: int, month: int, yy: int, *, today: dt.date) -> dt.date | None:
    """The birth date encoded in a NIK (day already without the +40), or None if no real date.
    The century is the one that puts the date not after `today`."""
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, month, day)
        except ValueError:
            return None
        if candidate <= today:
            return candidate
    return None


def nik_check(value: str, *, today: dt.date | None = None) -> NikCheck:
    from django.utils import timezone

    today = today or timezone.localdate()
    nik = nik_clean(value)
    check = NikCheck(value=nik)
    if not nik:
        check.errors.append(NikProblem("nik_required", _("Isi NIK Anda: 16 angka yang tertera di KTP-el atau KK.")))
        return check
    bad = sorted({ch for ch in nik if not ch.isdigit() or not ch.isascii()})
    if bad:
        chars = " ".join(f"“{c}”" for c in bad)
        check.errors.append(NikProblem("nik_not_digits", _(
            "NIK hanya berisi angka; yang Anda masukkan memuat %(chars)s.") % {"chars": chars}))
        return check
    if len(nik) != NIK_LENGTH:
        check.errors.append(NikProblem("nik_length", _(
            "NIK harus 16 angka; yang Anda masukkan %(count)d angka.") % {"count": len(nik)}))
        return check

    provinces, regencies, districts = _regions()
    prov, reg, dist = nik[:2], nik[:4], nik[:6]
    if prov not in provinces:
        check.errors.append(NikProblem("nik_province", _(
            "Dua angka pertama NIK (%(code)s) bukan kode provinsi yang dikenal. Periksa kembali NIK di KTP-el "
            "atau KK Anda.") % {"code": prov}))
    else:
        check.province = provinces[prov]
        if reg not in regencies:
            check.warnings.append(NikProblem("nik_regency_unknown", _(
                "Kode kabupaten/kota %(code)s pada NIK tidak ada dalam daftar wilayah saat ini (mungkin wilayah "
                "lama sebelum pemekaran). NIK tetap dapat dipakai.") % {"code": reg}))
        else:
            check.regency = regencies[reg]
            if prov in _district_known_provinces() and dist not in districts:
                check.warnings.append(NikProblem("nik_district_unknown", _(
                    "Kode kecamatan %(code)s pada NIK tidak ada dalam daftar wilayah saat ini (mungkin kecamatan "
                    "lama sebelum pemekaran). NIK tetap dapat dipakai.") % {"code": dist}))
            else:
                check.district = districts.get(dist, "")

    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    if not 1 <= day <= 31:
        check.errors.append(NikProblem("nik_day", _(
            "Angka ke-7 dan ke-8 NIK (%(dd)s) bukan tanggal lahir: untuk laki-laki 01–31, untuk perempuan "
            "41–71 (tanggal ditambah 40).") % {"dd": nik[6:8]}))
    elif not 1 <= month <= 12:
        check.errors.append(NikProblem("nik_month", _(
            "Angka ke-9 dan ke-10 NIK (%(mm)s) bukan bulan lahir: harus 01 sampai 12.") % {"mm": nik[8:10]}))
    else:
        birth = nik_birth_date(day, month, yy, today=today)
        if birth is None:
            check.errors.append(NikProblem("nik_date", _(
                "Angka ke-7 sampai ke-12 NIK (%(ddmmyy)s) bukan tanggal yang ada: tanggal %(day)d bulan "
                "%(month)d tidak ada.") % {"ddmmyy": nik[6:12], "day": day, "month": month}))
        else:
            check.birth_date = birth
            check.sex = sex
    if nik[12:] == "0000":
        check.errors.append(NikProblem("nik_serial", _(
            "Empat angka terakhir NIK tidak boleh 0000. Periksa kembali NIK di KTP-el atau KK Anda.")))
    return check


class NikError(DomainError):
    pass


def nik_validate(value: str, *, field_name: str = "nik", today: dt.date | None = None) -> NikCheck:
    """The checked NIK, or `NikError` with the first problem (code e.g. `nik_length`)."""
    check = nik_check(value, today=today)
    if check.errors:
        first = check.errors[0]
        raise NikError(first.message, code=first.code, field=field_name,
                       details={"problems": [{"code": p.code, "message": str(p.message)} for p in check.errors]})
    return check


def nik_mask(nik: str) -> str:
    """Show only the first 4 and last 4 digits: enough to recognise, not enough to reuse."""
    nik = nik_clean(nik)
    if len(nik) < 8:
        return "*" * len(nik)
    return f"{nik[:4]}{'*' * (len(nik) - 8)}{nik[-4:]}"
