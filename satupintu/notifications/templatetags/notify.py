"""Filters for notification texts (rendered with the language of the notification active)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import translation

register = template.Library()

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}

OTP_PURPOSES = {
    "id": {"login": "masuk", "register": "pendaftaran akun", "reset_password": "atur ulang kata sandi",
           "verify_phone": "verifikasi nomor HP", "verify_email": "verifikasi e-mail",
           "mandate": "persetujuan kuasa", "signup": "pendaftaran akun", "reset": "atur ulang kata sandi",
           "contact_change": "ganti kontak"},
    "en": {"login": "sign-in", "register": "account registration", "reset_password": "password reset",
           "verify_phone": "phone number verification", "verify_email": "e-mail verification",
           "mandate": "mandate approval", "signup": "account registration", "reset": "password reset",
           "contact_change": "contact change"},
}


COMPLAINT_STATUSES = {
    "id": {"received": "diterima", "acknowledged": "diteruskan ke instansi", "answered": "dijawab",
           "closed": "selesai", "rejected": "tidak dapat diproses"},
    "en": {"received": "received", "acknowledged": "forwarded to the agency", "answered": "answered",
           "closed": "closed", "rejected": "not processable"},
}


def _lang() -> str:
    lang = (translation.get_language() or "id")[:2]
    return lang if lang in MONTHS else "id"


@register.filter
def tanggal(value) -> str:
    """ISO date (or date) -> '1 Desember 2026' / '1 December 2026'; anything else unchanged."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        return f"{value.day} {MONTHS[_lang()][value.month - 1]} {value.year}"
    return str(value)


@register.filter
def otp_purpose(value) -> str:
    return OTP_PURPOSES[_lang()].get(str(value), str(value))


@register.filter
def complaint_status(value) -> str:
    return COMPLAINT_STATUSES[_lang()].get(str(value), str(value))
