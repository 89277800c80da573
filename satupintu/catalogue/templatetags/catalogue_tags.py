from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import get_language

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


@register.filter
def variant_label(variant: str) -> str:
    if not variant:
        return ""
    return variant.replace("_", " ").capitalize()
