"""Import a mall catalogue (YAML, the format of data/reference/catalogue/) and the
Kemendagri region CSVs.

* Idempotent: a second run changes nothing and says so; an edited file updates rows
  in place and reports what changed; a service missing from the file is deactivated,
  never deleted, so its public code keeps working for old links and reports.
* Every service `kode` is kept exactly as written.
* A malformed file is rejected with the line and field of each problem, and nothing
  is written (validation runs before the single transaction that applies the file).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from satupintu.catalogue.models import Agency, DurationUnit, Mall, OpeningHours, Region, Service, Tenancy
from satupintu.catalogue.yamlsource import Located, YamlSyntaxError, load_located
from satupintu.core.audit import audit_record

PROVENANCE_VALUES = {"sourced", "sourced_other", "national_rule", "memory", "assumed", "confirmed"}
UNIT_MAP = {"menit": DurationUnit.MINUTES, "jam": DurationUnit.HOURS, "hari_kerja": DurationUnit.WORKING_DAYS,
            "hari": DurationUnit.DAYS}
KIND_MAP = {"OPD": Agency.Kind.OPD, "instansi_vertikal": Agency.Kind.VERTICAL, "BUMN": Agency.Kind.BUMN_BUMD,
            "BUMD": Agency.Kind.BUMN_BUMD, "bank": Agency.Kind.BANK, "badan_hukum_publik": Agency.Kind.PUBLIC_BODY,
            "gabungan": Agency.Kind.JOINT}
CHANNELS = {"online", "loket"}
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_]{1,79}$")
WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6}
HOURS_RE = re.compile(
    r"^\s*(?P<d1>[A-Za-z']+)\s*(?:-|–|s\.?d\.?)\s*(?P<d2>[A-Za-z']+)\s+(?P<t1>\d{1,2}[:.]\d{2})\s*(?:-|–)\s*"
    r"(?P<t2>\d{1,2}[:.]\d{2})\s*$"
)
COMPONENT_META_KEYS = {"value", "provenance", "src", "note", "legal_basis", "teks", "unit", "catatan"}
DEFAULT_COMPLAINT_CHANNEL = (
    "Pengaduan dapat disampaikan melalui fitur Pengaduan SatuPintu, loket pengaduan MPP, atau SP4N-LAPOR! "
    "(lapor.go.id)."
)


@dataclass
class Problem:
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"baris {self.line}" if self.line else "berkas"
        return f"{where}, {self.field}: {self.message}"


class CatalogueInvalid(Exception):
    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def lines(self) -> list[str]:
        out = [f"+ {item}" for item in self.created]
        out += [f"~ {item}" for item in self.updated]
        out += [f"- {item}" for item in self.deactivated]
        if not self.changed:
            out.append(f"Tidak ada perubahan ({self.unchanged} baris sudah sesuai). / No changes.")
        else:
            out.append(
                f"{len(self.created)} dibuat, {len(self.updated)} diubah, {len(self.deactivated)} dinonaktifkan, "
                f"{self.unchanged} tetap. / {len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.deactivated)} deactivated, {self.unchanged} unchanged."
            )
        return out


# ----------------------------------------------------------------------------- regions

REGION_FILES = [
    ("provinsi.csv", Region.Level.PROVINCE),
    ("kabkota_indonesia.csv", Region.Level.REGENCY),
    ("banten_kecamatan.csv", Region.Level.DISTRICT),
    ("banten_kelurahan_desa.csv", Region.Level.VILLAGE),
]


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def import_regions(directory: Path) -> ImportReport:
    """Load every region CSV in `directory` (idempotent; changes nothing when all match)."""
    report = ImportReport()
    rows: list[tuple[str, int, str, str, list[str]]] = []
    aliases: dict[str, list[str]] = {}
    alias_file = directory / "tangerang_kota_kelurahan.csv"
    if alias_file.exists():
        with alias_file.open(encoding="utf-8") as fh:
            for rec in csv.DictReader(fh):
                old = (rec.get("ejaan_lama_permendagri_56_2015") or "").strip()
                if old:
                    aliases[rec["kode"]] = [old]
    for filename, level in REGION_FILES:
        path = directory / filename
        if not path.exists():
            raise CatalogueInvalid(str(path), [Problem(None, filename, "berkas tidak ditemukan / file not found")])
        with path.open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for lineno, rec in enumerate(reader, start=2):
                code = (rec.get("kode") or "").strip()
                name = (rec.get("nama") or "").strip()
                if not code or not name:
                    raise CatalogueInvalid(str(path), [Problem(lineno, "kode/nama", "kosong / empty")])
                rows.append((code, level, name, (rec.get("jenis") or "").strip(), aliases.get(code, [])))
    existing = {r.code: r for r in Region.objects.all()}
    if not existing:  # first load: bulk insert level by level (parents before children)
        with transaction.atomic():
            for level in Region.Level:
                batch = []
                for code, lvl, name, kind, alias in rows:
                    if lvl != level:
                        continue
                    parent_code = _parent_code(code)
                    parent = existing.get(parent_code) if parent_code else None
                    batch.append(Region(code=code, level=lvl, name=name, kind=kind, parent=parent, aliases=alias))
                for region in Region.objects.bulk_create(batch, batch_size=1000):
                    existing[region.code] = region
        n = len(rows)
        report.created.append(f"{n} wilayah baru / new regions")
        return report
    with transaction.atomic():
        for code, level, name, kind, alias in rows:  # parents first: files go province → village
            parent_code = _parent_code(code)
            parent = existing.get(parent_code) if parent_code else None
            current = existing.get(code)
            if current is None:
                current = Region.objects.create(code=code, level=level, name=name, kind=kind, parent=parent,
                                                aliases=alias)
                existing[code] = current
                report.created.append(f"wilayah {code} {name}")
                continue
            changes = {}
            for attr, value in (("level", level), ("name", name), ("kind", kind), ("parent_id", parent and parent.id),
                                ("aliases", alias)):
                if getattr(current, attr) != value:
                    changes[attr] = value
            if changes:
                for attr, value in changes.items():
                    setattr(current, attr, value)
                current.save(update_fields=list(changes))
                report.updated.append(f"wilayah {code}: {', '.join(changes)}")
            else:
                report.unchanged += 1
    if len(report.created) > 50:  # keep the console readable on a first load
        n = len(report.created)
        report.created = [f"{n} wilayah baru / new regions"]
    return report


# ----------------------------------------------------------------------------- catalogue


class _Validator:
    def __init__(self, located: Located) -> None:
        self.src = located
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.src.line(path), path, message))

    def require(self, mapping: Any, path: str, key: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
            self.fail(f"{path}.{key}" if path else key, "wajib diisi / required")
            return None
        value = mapping[key]
        if not isinstance(value, kind):
            self.fail(f"{path}.{key}", f"harus {_kind_name(kind)} / must be {_kind_name(kind)}")
            return None
        return value

    def provenance(self, component: Any, path: str) -> None:
        if isinstance(component, dict) and "provenance" in component:
            if component["provenance"] not in PROVENANCE_VALUES:
                self.fail(f"{path}.provenance",
                          f"nilai tidak dikenal {component['provenance']!r}; pilih salah satu dari "
                          f"{', '.join(sorted(PROVENANCE_VALUES))}")


def _kind_name(kind: Any) -> str:
    names = {str: "teks", list: "daftar", dict: "pemetaan", int: "angka", float: "angka", bool: "ya/tidak"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " atau ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def validate_catalogue(located: Located) -> list[Problem]:
    v = _Validator(located)
    data = located.data
    if not isinstance(data, dict):
        v.fail("", "berkas harus berisi pemetaan dengan kunci mpp dan agencies / must be a mapping")
        return v.problems
    mpp = v.require(data, "", "mpp", dict)
    if mpp is not None:
        v.require(mpp, "mpp", "nama", str)
        region = v.require(mpp, "mpp", "kode_wilayah", str)
        if region and not Region.objects.filter(code=region, level=Region.Level.REGENCY).exists():
            v.fail("mpp.kode_wilayah", f"kode wilayah {region!r} tidak dikenal; impor wilayah dulu "
                                        "(manage.py import_regions) / unknown region code")
        alamat = v.require(mpp, "mpp", "alamat", dict)
        if alamat is not None:
            v.require(alamat, "mpp.alamat", "value", str)
        if "kode" in mpp and (not isinstance(mpp["kode"], str) or not re.fullmatch(r"[a-z0-9-]{2,60}", mpp["kode"])):
            v.fail("mpp.kode", "hanya huruf kecil, angka dan tanda hubung / lowercase letters, digits and dashes")
        if "zona_waktu" in mpp and mpp["zona_waktu"] not in {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}:
            v.fail("mpp.zona_waktu", "pilih Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)")
        hours = mpp.get("jam_layanan", {})
        if hours and isinstance(hours, dict) and isinstance(hours.get("normal"), dict):
            text = hours["normal"].get("value")
            if not isinstance(text, str) or not HOURS_RE.match(text):
                v.fail("mpp.jam_layanan.normal.value",
                       "format harus seperti 'Senin-Jumat 08:00-16:00' / must look like 'Senin-Jumat 08:00-16:00'")
    agencies = v.require(data, "", "agencies", list)
    seen_agencies: set[str] = set()
    seen_services: set[str] = set()
    for ai, agency in enumerate(agencies or []):
        ap = f"agencies[{ai}]"
        if not isinstance(agency, dict):
            v.fail(ap, "harus pemetaan / must be a mapping")
            continue
        code = v.require(agency, ap, "kode", str)
        if code:
            if not CODE_RE.match(code):
                v.fail(f"{ap}.kode", "hanya huruf besar, angka dan garis bawah / uppercase letters, digits, underscore")
            if code in seen_agencies:
                v.fail(f"{ap}.kode", f"kode instansi {code} ganda / duplicate agency code")
            seen_agencies.add(code)
        v.require(agency, ap, "nama", str)
        kind = v.require(agency, ap, "jenis", str)
        if kind and kind not in KIND_MAP:
            v.fail(f"{ap}.jenis", f"jenis {kind!r} tidak dikenal; pilih {', '.join(KIND_MAP)}")
        services = agency.get("services", [])
        if not isinstance(services, list):
            v.fail(f"{ap}.services", "harus daftar / must be a list")
            continue
        for si, service in enumerate(services):
            _validate_service(v, service, f"{ap}.services[{si}]", seen_services)
    return v.problems


def _validate_service(v: _Validator, service: Any, sp: str, seen: set[str]) -> None:
    if not isinstance(service, dict):
        v.fail(sp, "harus pemetaan / must be a mapping")
        return
    code = v.require(service, sp, "kode", str)
    if code:
        if not CODE_RE.match(code):
            v.fail(f"{sp}.kode", "hanya huruf besar, angka dan garis bawah / uppercase letters, digits, underscore")
        if code in seen:
            v.fail(f"{sp}.kode", f"kode layanan {code} ganda / duplicate service code")
        seen.add(code)
    v.require(service, sp, "nama", str)
    for key in ("deskripsi",):
        if key in service and not isinstance(service[key], str):
            v.fail(f"{sp}.{key}", "harus teks / must be text")
    req = v.require(service, sp, "persyaratan", dict)
    if req is not None:
        v.provenance(req, f"{sp}.persyaratan")
        value = req.get("value")
        if isinstance(value, list):
            _check_strings(v, value, f"{sp}.persyaratan.value")
        elif isinstance(value, dict):
            for variant, items in value.items():
                if not isinstance(items, list):
                    v.fail(f"{sp}.persyaratan.value.{variant}", "harus daftar / must be a list")
                else:
                    _check_strings(v, items, f"{sp}.persyaratan.value.{variant}")
        else:
            v.fail(f"{sp}.persyaratan.value", "harus daftar atau pemetaan varian ke daftar / must be a list or mapping")
        for extra, sub in req.items():
            if extra not in COMPONENT_META_KEYS and isinstance(sub, dict) and "value" in sub:
                if not isinstance(sub["value"], list):
                    v.fail(f"{sp}.persyaratan.{extra}.value", "harus daftar / must be a list")
                else:
                    _check_strings(v, sub["value"], f"{sp}.persyaratan.{extra}.value")
                v.provenance(sub, f"{sp}.persyaratan.{extra}")
    proc = v.require(service, sp, "prosedur", dict)
    if proc is not None:
        v.provenance(proc, f"{sp}.prosedur")
        if not isinstance(proc.get("value"), list):
            v.fail(f"{sp}.prosedur.value", "harus daftar langkah / must be a list of steps")
        else:
            _check_strings(v, proc["value"], f"{sp}.prosedur.value")
    dur = v.require(service, sp, "jangka_waktu", dict)
    if dur is not None:
        v.provenance(dur, f"{sp}.jangka_waktu")
        if dur.get("value") is not None and (not _is_number(dur.get("value")) or dur["value"] < 0):
            v.fail(f"{sp}.jangka_waktu.value", "harus angka ≥ 0 / must be a number ≥ 0")
        if dur.get("unit") not in UNIT_MAP:
            v.fail(f"{sp}.jangka_waktu.unit", f"satuan harus salah satu dari {', '.join(UNIT_MAP)} / unknown unit "
                                              f"{dur.get('unit')!r}")
    fee = v.require(service, sp, "biaya", dict)
    if fee is not None:
        v.provenance(fee, f"{sp}.biaya")
        value = fee.get("value")
        if isinstance(value, dict):
            for variant, amount in value.items():
                if not (_is_number(amount) or isinstance(amount, str)):
                    v.fail(f"{sp}.biaya.value.{variant}", "harus angka rupiah atau teks / must be an amount or text")
                elif _is_number(amount) and amount < 0:
                    v.fail(f"{sp}.biaya.value.{variant}", "tidak boleh negatif / must not be negative")
        elif _is_number(value):
            if value < 0:
                v.fail(f"{sp}.biaya.value", "tidak boleh negatif / must not be negative")
        elif not isinstance(value, str) or not value.strip():
            v.fail(f"{sp}.biaya.value", "harus angka rupiah, pemetaan varian, atau teks / must be an amount, a "
                                        "mapping or text")
    prod = v.require(service, sp, "produk", dict)
    if prod is not None:
        v.provenance(prod, f"{sp}.produk")
        if not isinstance(prod.get("value"), str):
            v.fail(f"{sp}.produk.value", "harus teks / must be text")
    kanal = v.require(service, sp, "kanal", dict)
    if kanal is not None:
        v.provenance(kanal, f"{sp}.kanal")
        value = kanal.get("value")
        if not isinstance(value, list) or not value or any(c not in CHANNELS for c in value):
            v.fail(f"{sp}.kanal.value", "harus daftar berisi online dan/atau loket / must list online and/or loket")
    if "provenance" in service and service["provenance"] not in PROVENANCE_VALUES:
        v.fail(f"{sp}.provenance", f"nilai tidak dikenal {service['provenance']!r}")


def _check_strings(v: _Validator, items: list, path: str) -> None:
    if not items:
        v.fail(path, "tidak boleh kosong / must not be empty")
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            v.fail(f"{path}[{i}]", "harus teks yang tidak kosong / must be non-empty text")


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _fact(component: Any) -> dict:
    if not isinstance(component, dict):
        return {}
    return {k: component[k] for k in ("provenance", "src", "note", "legal_basis") if k in component}


def _requirements(req: dict) -> list[dict]:
    groups = []
    value = req.get("value")
    if isinstance(value, list):
        groups.append({"variant": "", "items": value, **_fact(req)})
    else:
        for variant, items in value.items():
            groups.append({"variant": variant, "items": items, **_fact(req)})
    for extra, sub in req.items():
        if extra not in COMPONENT_META_KEYS and isinstance(sub, dict) and isinstance(sub.get("value"), list):
            groups.append({"variant": extra, "items": sub["value"], **_fact(sub)})
    return groups


def _fees(fee: dict) -> list[dict]:
    items: list[dict] = []

    def add(label: str, amount: Any, comp: dict) -> None:
        entry: dict[str, Any] = {"label": label}
        if _is_number(amount):
            entry["amount"] = int(amount) if float(amount).is_integer() else float(amount)
        else:
            entry["amount"] = None
            entry["text"] = str(amount)
        entry.update(_fact(comp))
        items.append(entry)

    value = fee.get("value")
    if isinstance(value, dict):
        for label, amount in value.items():
            add(label, amount, fee)
    else:
        add("", value, fee)
    if fee.get("teks") and items and items[0].get("amount") is not None and not items[0].get("text"):
        items[0]["text"] = fee["teks"]
    for extra, sub in fee.items():
        if extra not in COMPONENT_META_KEYS and isinstance(sub, dict) and "value" in sub:
            if isinstance(sub["value"], dict):
                for label, amount in sub["value"].items():
                    add(f"{extra}.{label}", amount, sub)
            else:
                add(extra, sub["value"], sub)
    return items


def _legal_basis(service: dict) -> str:
    bases: list[str] = []
    for value in [service.get("legal_basis")] + [
        c.get("legal_basis") for c in service.values() if isinstance(c, dict)
    ]:
        if isinstance(value, str) and value.strip() and value not in bases:
            bases.append(value.strip())
    return "; ".join(bases)


def _service_fields(service: dict) -> dict[str, Any]:
    dur = service["jangka_waktu"]
    fees = _fees(service["biaya"])
    value = dur.get("value")
    kanal = service["kanal"]["value"]
    facts = {key: _fact(service[key]) for key in ("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk",
                                                  "kanal") if key in service}
    facts["pengaduan"] = {"provenance": "assumed", "note": "kanal pengaduan umum MPP (bawaan SatuPintu)"}
    if "provenance" in service:
        facts["layanan"] = _fact(service)
    notes = [service[k] for k in ("catatan", "note") if isinstance(service.get(k), str)]
    return {
        "name": service["nama"].strip(),
        "description": (service.get("deskripsi") or "").strip(),
        "requirements": _requirements(service["persyaratan"]),
        "procedure": list(service["prosedur"]["value"]),
        "duration_value": None if value is None else Decimal(str(value)),
        "duration_unit": UNIT_MAP[dur["unit"]],
        "duration_text": str(dur.get("teks") or ""),
        "fees": fees,
        "is_free": bool(fees) and all(f.get("amount") == 0 for f in fees),
        "product": service["produk"]["value"].strip(),
        "complaint_channel": service.get("pengaduan", {}).get("value", DEFAULT_COMPLAINT_CHANNEL)
        if isinstance(service.get("pengaduan"), dict) else DEFAULT_COMPLAINT_CHANNEL,
        "legal_basis": _legal_basis(service),
        "online": "online" in kanal,
        "at_counter": "loket" in kanal,
        "channel_note": str(service["kanal"].get("note") or ""),
        "notes": "\n".join(notes),
        "facts": facts,
        "source": _jsonable(service),
    }


def _parse_hours(text: str) -> list[tuple[int, time, time]]:
    match = HOURS_RE.match(text)
    if not match:
        return []
    d1, d2 = WEEKDAYS.get(match["d1"].lower()), WEEKDAYS.get(match["d2"].lower())
    if d1 is None or d2 is None:
        return []
    t1 = time(*map(int, match["t1"].replace(".", ":").split(":")))
    t2 = time(*map(int, match["t2"].replace(".", ":").split(":")))
    return [(d, t1, t2) for d in range(d1, d2 + 1)]


def read_catalogue(path: Path) -> Located:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CatalogueInvalid(str(path), [Problem(None, "berkas", "tidak ditemukan / file not found")]) from exc
    except UnicodeDecodeError as exc:
        raise CatalogueInvalid(str(path), [Problem(None, "berkas", "bukan teks UTF-8 / not UTF-8 text")]) from exc
    try:
        return load_located(text)
    except YamlSyntaxError as exc:
        raise CatalogueInvalid(str(path), [Problem(exc.line, "YAML", exc.message)]) from exc


def _diff(obj: Any, fields: dict[str, Any]) -> list[str]:
    return [name for name, value in fields.items() if getattr(obj, name) != value]


def _upsert(model: type, lookup: dict, fields: dict, label: str, report: ImportReport, actor: Any) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **fields)
        report.created.append(label)
        audit_record(action="catalogue.create", actor=actor, obj=obj, data={"label": label})
        return obj
    changed = _diff(obj, fields)
    if changed:
        for name in changed:
            setattr(obj, name, fields[name])
        obj.save(update_fields=changed + (["updated_at"] if hasattr(obj, "updated_at") else []))
        report.updated.append(f"{label}: {', '.join(changed)}")
        audit_record(action="catalogue.update", actor=actor, obj=obj, data={"label": label, "fields": changed})
    else:
        report.unchanged += 1
    return obj


def import_catalogue(path: Path, *, actor: Any = None, dry_run: bool = False,
                     translations: dict | None = None) -> ImportReport:
    located = read_catalogue(path)
    problems = validate_catalogue(located)
    if problems:
        raise CatalogueInvalid(str(path), problems)
    data = located.data
    translations = translations if translations is not None else _load_translations(path)
    report = ImportReport()
    with transaction.atomic():
        _apply(data, report, actor, translations or {})
        if dry_run:
            transaction.set_rollback(True)
    return report


def _load_translations(path: Path) -> dict:
    """English names, descriptions and search aliases are ours, not the source's: they live in
    data/translations/NAME.en.yaml (so data/reference stays an exact copy of the shared data)."""
    from django.conf import settings

    sidecar = settings.BASE_DIR / "data" / "translations" / f"{path.stem}.en.yaml"
    if not sidecar.exists():
        return {}
    located = read_catalogue(sidecar)
    return located.data or {}


def _apply(data: dict, report: ImportReport, actor: Any, translations: dict) -> None:
    mpp = data["mpp"]
    region = Region.objects.get(code=mpp["kode_wilayah"], level=Region.Level.REGENCY)
    village = Region.objects.filter(code=mpp.get("kelurahan_kode") or "").first()
    slug = mpp.get("kode") or slugify(region.name)
    hours = mpp.get("jam_layanan") or {}
    normal_hours = hours.get("normal", {}).get("value", "") if isinstance(hours.get("normal"), dict) else ""
    hours_notes = [f"{key}: {val.get('value')}" for key, val in hours.items()
                   if key != "normal" and isinstance(val, dict)]
    mall_fields = {
        "name": mpp["nama"].strip(),
        "region": region,
        "village": village,
        "address": mpp["alamat"]["value"].strip(),
        "timezone": mpp.get("zona_waktu", "Asia/Jakarta"),
        "manager_name": (mpp.get("pengelola") or {}).get("value", "") if isinstance(mpp.get("pengelola"), dict)
        else str(mpp.get("pengelola") or ""),
        "phone": str(mpp.get("telepon") or ""),
        "email": str(mpp.get("email") or ""),
        "hours_note": "\n".join(hours_notes),
        "online_channels": _jsonable(mpp.get("kanal_online") or []),
        "facts": {k: _fact(v) for k, v in mpp.items() if isinstance(v, dict) and "provenance" in v},
        "source": _jsonable({k: v for k, v in data.items() if k != "agencies"}),
    }
    mall = _upsert(Mall, {"slug": slug}, mall_fields, f"mal {slug}", report, actor)
    wanted_hours = {(d, t1, t2) for d, t1, t2 in _parse_hours(normal_hours)}
    current_hours = {(h.weekday, h.opens, h.closes) for h in mall.opening_hours.all()}
    if wanted_hours and wanted_hours != current_hours:
        mall.opening_hours.all().delete()
        OpeningHours.objects.bulk_create([OpeningHours(mall=mall, weekday=d, opens=a, closes=b)
                                          for d, a, b in sorted(wanted_hours)])
        report.updated.append(f"mal {slug}: jam buka {normal_hours}")
    service_tr = (translations or {}).get("services", {})
    agency_tr = (translations or {}).get("agencies", {})
    seen_services: set[str] = set()
    for agency_data in data["agencies"]:
        code = agency_data["kode"]
        kind = KIND_MAP[agency_data["jenis"]]
        agency_region = region if kind == Agency.Kind.OPD else None
        existing = Agency.objects.filter(slug=code).first()
        if existing and existing.region_id and agency_region and existing.region_id != agency_region.id:
            raise CatalogueInvalid("", [Problem(None, f"agencies.{code}",
                                                f"kode instansi {code} sudah dipakai oleh instansi di "
                                                f"{existing.region}; "
                                                f"gunakan kode lain / agency code already used in another region")])
        agency = _upsert(
            Agency,
            {"slug": code},
            {
                "name": agency_data["nama"].strip(),
                "short_name": agency_tr.get(code, {}).get("short_name", code.replace("_", " ")),
                "kind": kind,
                "region": agency_region,
                "description": (agency_data.get("deskripsi") or "").strip(),
                "facts": {k: _fact(v) for k, v in agency_data.items() if isinstance(v, dict) and "provenance" in v},
                "source": _jsonable({k: v for k, v in agency_data.items() if k != "services"}),
            },
            f"instansi {code}",
            report,
            actor,
        )
        present = agency_data.get("hadir_di_mpp", {})
        _upsert(Tenancy, {"mall": mall, "agency": agency},
                {"is_active": bool(present.get("value", True)) if isinstance(present, dict) else True,
                 "facts": {"hadir_di_mpp": _fact(present)}},
                f"{code} di {slug}", report, actor)
        for service_data in agency_data.get("services", []):
            scode = service_data["kode"]
            seen_services.add(scode)
            fields = _service_fields(service_data)
            tr = service_tr.get(scode, {})
            fields["name_en"] = tr.get("name", "")
            fields["description_en"] = tr.get("description", "")
            fields["search_aliases"] = tr.get("aliases", [])
            fields["agency"] = agency
            fields["is_active"] = True
            _upsert(Service, {"mall": mall, "public_code": scode}, fields, f"layanan {slug}/{scode}", report, actor)
    for stale in Service.objects.filter(mall=mall, is_active=True).exclude(public_code__in=seen_services):
        stale.is_active = False
        stale.save(update_fields=["is_active", "updated_at"])
        report.deactivated.append(f"layanan {slug}/{stale.public_code} (tidak ada di berkas / not in file)")
        audit_record(action="catalogue.deactivate", actor=actor, obj=stale)
