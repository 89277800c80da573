"""Back-office form for a service's Standar Pelayanan.

The JSON components are edited as plain text a mall manager can read and type:

* requirements: one item per line; a line `## hilang` starts the items of a variant
  (a situation with its own list); lines before any `##` apply to everyone;
* procedure: one step per line;
* fees: one fee per line, `label | amount | note` (amount in rupiah digits, `0` = free;
  an empty amount with a note for fees that depend on something).

Errors name the line and say how to fix it. A component that changes here is marked
`confirmed` (entered by the mall) in the service's provenance.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.models import Provenance, Service

AMOUNT_RE = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:[.\s]\d{3})+|\d+)$", re.IGNORECASE)


def requirements_to_text(groups: list) -> str:
    lines: list[str] = []
    for group in groups or []:
        if group.get("variant"):
            lines.append(f"## {group['variant']}")
        lines.extend(str(item) for item in group.get("items", []))
    return "\n".join(lines)


def requirements_from_text(text: str) -> list[dict]:
    groups: list[dict] = []
    current: dict | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("##"):
            variant = line.lstrip("#").strip()
            if not variant:
                raise forms.ValidationError(
                    _("Baris %(n)d: tulis nama keadaan setelah ##, mis. “## hilang”.") % {"n": number})
            current = {"variant": variant, "items": []}
            groups.append(current)
            continue
        if current is None:
            current = {"variant": "", "items": []}
            groups.append(current)
        current["items"].append(line.lstrip("-•* ").strip())
    for group in groups:
        if not group["items"]:
            raise forms.ValidationError(
                _("Keadaan “%(v)s” belum berisi persyaratan. Tulis satu persyaratan per baris di bawahnya, "
                  "atau hapus barisnya.") % {"v": group["variant"]})
    return groups


def fees_to_text(fees: list) -> str:
    lines = []
    for fee in fees or []:
        amount = "" if fee.get("amount") is None else str(int(fee["amount"]) if float(fee["amount"]).is_integer()
                                                         else fee["amount"])
        lines.append(" | ".join([fee.get("label", ""), amount, fee.get("text", "")]).rstrip(" |"))
    return "\n".join(lines)


def fees_from_text(text: str) -> list[dict]:
    fees = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3:
            raise forms.ValidationError(
                _("Baris %(n)d: paling banyak tiga bagian “nama | jumlah | keterangan”; ada %(k)d.")
                % {"n": number, "k": len(parts)})
        label, amount_text, note = (parts + ["", ""])[:3]
        entry: dict = {"label": label, "amount": None}
        if amount_text:
            match = AMOUNT_RE.match(amount_text)
            if not match:
                raise forms.ValidationError(
                    _("Baris %(n)d: jumlah “%(a)s” bukan angka rupiah. Tulis angka saja, mis. 30000 atau 30.000; "
                      "tulis 0 bila gratis.") % {"n": number, "a": amount_text})
            entry["amount"] = int(re.sub(r"[.\s]", "", match.group(1)))
        elif not note:
            raise forms.ValidationError(
                _("Baris %(n)d: isi jumlah (angka rupiah) atau keterangan biaya.") % {"n": number})
        if note:
            entry["text"] = note
        fees.append(entry)
    return fees


class ServiceAdminForm(forms.ModelForm):
    requirements_text = forms.CharField(
        label=_("Persyaratan"), required=False, widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text=_("Satu persyaratan per baris. Baris “## nama keadaan” memulai daftar untuk keadaan tertentu "
                    "(mis. “## hilang”, “## rusak”)."))
    procedure_text = forms.CharField(
        label=_("Prosedur"), required=False, widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("Satu langkah per baris, berurutan."))
    fees_text = forms.CharField(
        label=_("Biaya/tarif"), required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Satu biaya per baris: “nama | jumlah | keterangan”. Jumlah dalam rupiah (30000 atau 30.000); "
                    "0 berarti gratis. Kosongkan semua baris bila belum diketahui."))

    class Meta:
        model = Service
        fields = ("mall", "agency", "public_code", "name", "name_en", "description", "description_en",
                  "duration_value", "duration_unit", "duration_text", "product", "complaint_channel",
                  "manufacturing", "legal_basis", "online", "at_counter", "channel_note", "notes", "search_aliases",
                  "is_active")
        labels = {"mall": _("Mal"), "agency": _("Instansi")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        service = self.instance
        self.fields["requirements_text"].initial = requirements_to_text(service.requirements)
        self.fields["procedure_text"].initial = "\n".join(str(s) for s in service.procedure or [])
        self.fields["fees_text"].initial = fees_to_text(service.fees)

    def clean_requirements_text(self):
        return requirements_from_text(self.cleaned_data.get("requirements_text") or "")

    def clean_procedure_text(self):
        text = self.cleaned_data.get("procedure_text") or ""
        return [line.strip().lstrip("0123456789.)- ").strip() or line.strip() for line in text.splitlines()
                if line.strip()]

    def clean_fees_text(self):
        return fees_from_text(self.cleaned_data.get("fees_text") or "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("duration_value") is not None and not cleaned.get("duration_unit"):
            self.add_error("duration_unit", _("Pilih satuan jangka waktu (menit, jam, hari kerja, atau hari)."))
        return cleaned

    def save(self, commit=True):
        service = self.instance
        facts = dict(service.facts or {})
        components = (("requirements_text", "requirements", "persyaratan", _plain_requirements),
                      ("procedure_text", "procedure", "prosedur", list),
                      ("fees_text", "fees", "biaya", _plain_fees))
        for field, attr, fact_key, plain in components:
            value = self.cleaned_data.get(field)
            if value is None or plain(value) == plain(getattr(service, attr) or []):
                continue  # same content (a browser may only have changed line endings): keep its provenance
            if attr == "requirements":
                value = [{**g, "provenance": Provenance.CONFIRMED} for g in value]
            setattr(service, attr, value)
            facts[fact_key] = {"provenance": Provenance.CONFIRMED, "note": "diubah melalui back office"}
        service.facts = facts
        service.is_free = bool(service.fees) and all(f.get("amount") == 0 for f in service.fees)
        return super().save(commit=commit)


def _plain_requirements(groups: list) -> list:
    return [(g.get("variant", ""), [str(i) for i in g.get("items", [])]) for g in groups or []]


def _plain_fees(fees: list) -> list:
    return [(f.get("label", ""), f.get("amount"), f.get("text", "")) for f in fees or []]
