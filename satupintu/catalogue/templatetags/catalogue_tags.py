from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from satupintu.catalogue.models import DurationUnit, Provenance

register = template.Library()

CONFIRMED = {Provenance.SOURCED, Provenance.NATIONAL_RULE, Provenance.CONFIRMED}


@register.filter
def rupiah(amount) -> str:
    """Rp30.000 — Indonesian thousands separator, no decimals."""
    if amount is None or amount == "":
        return ""
    value = int(Decimal(str(amount)))
    return "Rp" + f"{value:,}".replace(",", ".")


@register.simple_tag
def duration(service) -> str:
    if service.duration_value is None:
        return service.duration_text or _("belum ditetapkan")
    value = service.duration_value.normalize()
    number = f"{value:f}".replace(".", ",")
    unit = DurationUnit(service.duration_unit).label if service.duration_unit else ""
    return f"{number} {unit}"


@register.filter
def service_name(service) -> str:
    if get_language() == "en" and service.name_en:
        return service.name_en
    return service.name


@register.filter
def service_description(service) -> str:
    if get_language() == "en" and service.description_en:
        return service.description_en
    return service.description


@register.filter
def unconfirmed(fact) -> bool:
    """True when the fact is not confirmed for this mall (shown with a visible note)."""
    if not isinstance(fact, dict):
        return True
    return fact.get("provenance") not in CONFIRMED


@register.filter
def fact_of(service, component: str) -> dict:
    return (service.facts or {}).get(component) or {}


@register.simple_tag
def provenance_note(fact) -> str:
    prov = (fact or {}).get("provenance") if isinstance(fact, dict) else None
    if prov in CONFIRMED:
        return ""
    labels = {
        Provenance.SOURCED_OTHER: _("Bersumber dari daerah lain; belum dikonfirmasi untuk mal ini."),
        Provenance.MEMORY: _("Belum dikonfirmasi oleh instansi."),
        Provenance.ASSUMED: _("Data demo / perkiraan; belum dikonfirmasi."),
    }
    return labels.get(prov, _("Belum dikonfirmasi oleh instansi."))


# Headings for the requirement variants and fee labels the catalogues use; anything
# else is shown as written (underscores as spaces).
VARIANT_HEADINGS = {
    "hilang": _lazy("Bila hilang"),
    "rusak": _lazy("Bila rusak"),
    "tambahan": _lazy("Persyaratan tambahan"),
    "kota_tangerang": _lazy("Ketentuan Kota Tangerang"),
    "kota_tangerang_online": _lazy("Bila diajukan daring (Kota Tangerang)"),
}
VARIANT_LABELS = {
    "hilang": _lazy("hilang"),
    "rusak": _lazy("rusak"),
    "tambahan": _lazy("persyaratan tambahan"),
    "kota_tangerang": _lazy("ketentuan Kota Tangerang"),
    "kota_tangerang_online": _lazy("diajukan daring (Kota Tangerang)"),
    "beban_hilang": _lazy("beban bila hilang"),
    "beban_rusak": _lazy("beban bila rusak"),
    "elektronik_5th": _lazy("elektronik, 5 tahun"),
    "elektronik_10th": _lazy("elektronik, 10 tahun"),
    "non_elektronik_5th": _lazy("non-elektronik, 5 tahun"),
    "non_elektronik_10th": _lazy("non-elektronik, 10 tahun"),
    "percepatan_same_day_tambahan": _lazy("tambahan percepatan (selesai hari itu)"),
    "kelas_I": _lazy("kelas I"),
    "kelas_II": _lazy("kelas II"),
    "kelas_III_dibayar_peserta": _lazy("kelas III (dibayar peserta)"),
    "pengesahan_stnk": _lazy("pengesahan STNK"),
    "contoh": _lazy("contoh"),
    "contoh_2015": _lazy("contoh (2015)"),
    "penggunaan_tanah_makam_baru_per_3_tahun": _lazy("penggunaan tanah makam baru, per 3 tahun"),
    "perpanjangan_IPPTM": _lazy("perpanjangan IPPTM"),
}


@register.filter
def variant_label(variant: str) -> str:
    if not variant:
        return ""
    label = VARIANT_LABELS.get(variant)
    text = str(label) if label is not None else variant.replace("_", " ")
    return text[:1].upper() + text[1:]


@register.filter
def variant_heading(variant: str) -> str:
    heading = VARIANT_HEADINGS.get(variant)
    if heading is not None:
        return str(heading)
    return _("Bila %(v)s") % {"v": variant.replace("_", " ")}


@register.filter
def clock(value) -> str:
    """08.00 in Bahasa Indonesia (the KBBI/PUEBI style), 08:00 in English."""
    if not value:
        return ""
    sep = ":" if get_language() == "en" else "."
    return f"{value.hour:02d}{sep}{value.minute:02d}"


@register.filter
def longdate(value) -> str:
    """Senin, 7 Desember 2026 / Monday, 7 December 2026."""
    if not value:
        return ""
    from django.utils.dateformat import format as date_format

    return date_format(value, "l, j F Y")


WEEKDAY_NAMES = [_lazy("Senin"), _lazy("Selasa"), _lazy("Rabu"), _lazy("Kamis"), _lazy("Jumat"), _lazy("Sabtu"),
                 _lazy("Minggu")]


@register.filter
def weekday_name(index: int) -> str:
    return str(WEEKDAY_NAMES[int(index)])
