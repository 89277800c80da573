"""The application definition of a service, as data (ADR 0070).

A definition is one JSON document per service version, validated here on save with
messages an agency admin can act on. Pure Python: no database access.

    {
      "fields": [{"name": "child_name", "type": "text", "label": "Nama anak", "help": "...",
                  "required": true, "min_length": 2, "max_length": 100,
                  "show_if": {"field": "has_x", "equals": true},
                  "prefill": "profile.full_name" | "registry.address" | null,
                  "choices": [["L", "Laki-laki"], ...]}],
      "documents": [{"kind": "kk", "label": "Kartu Keluarga", "accepted": ["application/pdf", "image/jpeg"],
                     "max_mb": 5, "original_at_counter": false, "required": true}],
      "steps": [{"key": "verification", "role": "verifier", "target_days": 1}, ...],
      "output": {"kind": "document" | "physical", "title": "Kutipan Akta Kelahiran"}
    }
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

FIELD_TYPES = ("text", "number", "date", "choice", "nik", "phone", "address", "yesno")
STEP_KEYS = ("verification", "processing", "approval", "output")
STEP_ROLES = ("verifier", "approver", "front_desk")
OUTPUT_KINDS = ("document", "physical")
PREFILL_SOURCES = ("profile.full_name", "profile.nik", "profile.birth_date", "profile.birth_place", "profile.phone",
                   "profile.email", "registry.kk_number", "registry.address")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class DefinitionInvalid(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def validate_schema(schema: Any, vault_kinds: set[str] | None = None) -> list[str]:
    """Every problem in the definition, as sentences naming the place ("fields[2].type: ...").
    With `vault_kinds`, document kinds must be kinds the vault knows."""
    errors: list[str] = []
    if not isinstance(schema, dict):
        return [_("Definisi harus berupa objek JSON dengan kunci fields, documents, steps dan output.")]
    fields = schema.get("fields", [])
    if not isinstance(fields, list):
        errors.append(_("fields harus berupa daftar."))
        fields = []
    names: list[str] = []
    for i, f in enumerate(fields):
        where = f"fields[{i}]"
        if not isinstance(f, dict):
            errors.append(_("%(w)s harus berupa objek.") % {"w": where})
            continue
        name = f.get("name", "")
        if not isinstance(name, str) or not NAME_RE.match(name):
            errors.append(_("%(w)s.name harus huruf kecil, angka atau garis bawah, diawali huruf (mis. nama_anak).")
                          % {"w": where})
        elif name in names:
            errors.append(_("%(w)s.name '%(n)s' dipakai dua kali; nama kolom harus unik.") % {"w": where, "n": name})
        names.append(name)
        if f.get("type") not in FIELD_TYPES:
            errors.append(_("%(w)s.type '%(t)s' tidak dikenal; pilih salah satu: %(ok)s.")
                          % {"w": where, "t": f.get("type"), "ok": ", ".join(FIELD_TYPES)})
        if not f.get("label"):
            errors.append(_("%(w)s.label wajib diisi (teks pertanyaan untuk warga).") % {"w": where})
        if f.get("type") == "choice":
            choices = f.get("choices")
            pairs = isinstance(choices, list) and all(isinstance(c, list) and len(c) == 2 for c in choices)
            if not (choices and pairs):
                errors.append(_("%(w)s.choices wajib untuk jenis choice: daftar pasangan [nilai, label].")
                              % {"w": where})
        if f.get("prefill") not in (None, "", *PREFILL_SOURCES):
            errors.append(_("%(w)s.prefill '%(p)s' tidak dikenal; pilih salah satu: %(ok)s.")
                          % {"w": where, "p": f.get("prefill"), "ok": ", ".join(PREFILL_SOURCES)})
        cond = f.get("show_if")
        if cond is not None:
            if not (isinstance(cond, dict) and "field" in cond and "equals" in cond):
                errors.append(_("%(w)s.show_if harus berbentuk {\"field\": ..., \"equals\": ...}.") % {"w": where})
            elif cond["field"] not in names[:-1]:
                errors.append(_("%(w)s.show_if merujuk kolom '%(f)s' yang tidak ada sebelum kolom ini.")
                              % {"w": where, "f": cond["field"]})
    docs = schema.get("documents", [])
    if not isinstance(docs, list):
        errors.append(_("documents harus berupa daftar."))
        docs = []
    kinds: list[str] = []
    for i, d in enumerate(docs):
        where = f"documents[{i}]"
        if not isinstance(d, dict):
            errors.append(_("%(w)s harus berupa objek.") % {"w": where})
            continue
        kind = d.get("kind", "")
        if not isinstance(kind, str) or not KIND_RE.match(kind):
            errors.append(_("%(w)s.kind harus kode jenis dokumen brankas (mis. kk, akta_kelahiran).") % {"w": where})
        elif kind in kinds:
            errors.append(_("%(w)s.kind '%(k)s' diminta dua kali.") % {"w": where, "k": kind})
        elif vault_kinds is not None and kind not in vault_kinds:
            errors.append(_("%(w)s.kind '%(k)s' bukan jenis dokumen brankas; pilih salah satu: %(ok)s.")
                          % {"w": where, "k": kind, "ok": ", ".join(sorted(vault_kinds))})
        kinds.append(kind)
        if not d.get("label"):
            errors.append(_("%(w)s.label wajib diisi.") % {"w": where})
        max_mb = d.get("max_mb", 5)
        if not isinstance(max_mb, int | float) or not 0 < max_mb <= 20:
            errors.append(_("%(w)s.max_mb harus angka antara 0 dan 20.") % {"w": where})
        accepted = d.get("accepted", ["application/pdf", "image/jpeg", "image/png"])
        if not (isinstance(accepted, list) and accepted and all(a in ("application/pdf", "image/jpeg", "image/png")
                                                                 for a in accepted)):
            errors.append(_("%(w)s.accepted hanya boleh berisi application/pdf, image/jpeg, image/png.") % {"w": where})
    steps = schema.get("steps", [])
    if not isinstance(steps, list) or not steps:
        errors.append(_("steps wajib: minimal satu langkah verification dan satu langkah approval."))
        steps = []
    seen: list[str] = []
    for i, s in enumerate(steps):
        where = f"steps[{i}]"
        if not isinstance(s, dict):
            errors.append(_("%(w)s harus berupa objek.") % {"w": where})
            continue
        if s.get("key") not in STEP_KEYS:
            errors.append(_("%(w)s.key harus salah satu: %(ok)s.") % {"w": where, "ok": ", ".join(STEP_KEYS)})
        elif s["key"] in seen:
            errors.append(_("%(w)s.key '%(k)s' muncul dua kali.") % {"w": where, "k": s["key"]})
        elif seen and STEP_KEYS.index(s["key"]) < STEP_KEYS.index(seen[-1]):
            errors.append(_("%(w)s: urutan langkah harus verification, processing, approval, output.") % {"w": where})
        seen.append(s.get("key"))
        if s.get("role") not in STEP_ROLES:
            errors.append(_("%(w)s.role harus salah satu: %(ok)s.") % {"w": where, "ok": ", ".join(STEP_ROLES)})
        target = s.get("target_days", 1)
        if not isinstance(target, int) or target < 0:
            errors.append(_("%(w)s.target_days harus bilangan bulat hari kerja, 0 atau lebih.") % {"w": where})
    for required in ("verification", "approval"):
        if steps and required not in seen:
            errors.append(_("steps harus memuat langkah '%(k)s'.") % {"k": required})
    output = schema.get("output", {})
    if not isinstance(output, dict) or output.get("kind") not in OUTPUT_KINDS or not output.get("title"):
        errors.append(_("output harus {\"kind\": \"document\" atau \"physical\", \"title\": \"...\"}."))
    return errors


def ensure_valid(schema: Any) -> None:
    errors = validate_schema(schema)
    if errors:
        raise DefinitionInvalid(errors)


def is_visible(field: dict, answers: dict) -> bool:
    cond = field.get("show_if")
    if not cond:
        return True
    return answers.get(cond["field"]) == cond["equals"]


def visible_fields(schema: dict, answers: dict) -> list[dict]:
    return [f for f in schema.get("fields", []) if is_visible(f, answers)]


def clean_value(field: dict, raw: Any) -> Any:
    """The typed value of one answer, or DefinitionInvalid with the message for the citizen."""
    label = field.get("label", field["name"])
    kind = field["type"]
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if field.get("required", True):
            raise DefinitionInvalid([_("%(l)s wajib diisi.") % {"l": label}])
        return None
    value = raw.strip() if isinstance(raw, str) else raw
    if kind == "text":
        value = str(value)
        if len(value) < field.get("min_length", 0):
            raise DefinitionInvalid([_("%(l)s minimal %(n)s karakter; yang Anda isi %(m)s karakter.")
                                     % {"l": label, "n": field["min_length"], "m": len(value)}])
        if len(value) > field.get("max_length", 500):
            raise DefinitionInvalid([_("%(l)s maksimal %(n)s karakter; yang Anda isi %(m)s karakter.")
                                     % {"l": label, "n": field.get("max_length", 500), "m": len(value)}])
        return value
    if kind == "number":
        try:
            number = int(str(value))
        except ValueError as exc:
            raise DefinitionInvalid([_("%(l)s harus berupa angka bulat, mis. 3.") % {"l": label}]) from exc
        if "min" in field and number < field["min"] or "max" in field and number > field["max"]:
            raise DefinitionInvalid([_("%(l)s harus antara %(a)s dan %(b)s.")
                                     % {"l": label, "a": field.get("min", "-"), "b": field.get("max", "-")}])
        return number
    if kind == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError as exc:
            raise DefinitionInvalid([_("%(l)s harus tanggal yang benar (tahun-bulan-tanggal, mis. 2026-11-28).")
                                     % {"l": label}]) from exc
        if field.get("not_future") and day > date.today():
            raise DefinitionInvalid([_("%(l)s tidak boleh tanggal di masa depan.") % {"l": label}])
        return day.isoformat()
    if kind == "choice":
        allowed = [c[0] for c in field["choices"]]
        if value not in allowed:
            raise DefinitionInvalid([_("Pilih salah satu pilihan untuk %(l)s.") % {"l": label}])
        return value
    if kind == "nik":
        digits = str(value).replace(" ", "")
        if not digits.isdigit() or len(digits) != 16:
            raise DefinitionInvalid([_("NIK harus 16 angka; yang Anda masukkan %(n)s karakter.")
                                     % {"n": len(digits)}])
        return digits
    if kind == "phone":
        digits = re.sub(r"[\s-]", "", str(value))
        if digits.startswith("08"):
            digits = "+62" + digits[1:]
        if not re.fullmatch(r"\+62\d{8,13}", digits):
            raise DefinitionInvalid([_("%(l)s harus nomor HP Indonesia, mis. 0812 3456 7890.") % {"l": label}])
        return digits
    if kind == "address":
        if not isinstance(value, dict) or not value.get("street") or not value.get("village"):
            raise DefinitionInvalid([_("%(l)s: isi alamat jalan dan pilih kelurahan/desa.") % {"l": label}])
        return {"street": str(value["street"])[:300], "village": str(value["village"])}
    if kind == "yesno":
        if value in (True, "yes", "ya", "true", "1"):
            return True
        if value in (False, "no", "tidak", "false", "0"):
            return False
        raise DefinitionInvalid([_("Pilih Ya atau Tidak untuk %(l)s.") % {"l": label}])
    raise DefinitionInvalid([_("Jenis kolom tidak dikenal.")])
