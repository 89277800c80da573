"""Every template renders in Bahasa Indonesia and English, short enough for one SMS."""

from __future__ import annotations

import pytest

from satupintu.notifications.catalog import TEMPLATES
from satupintu.notifications.rendering import SMS_LIMIT, render

# a realistic, long-ish context per template (the longest values callers are likely to pass)
SAMPLES = {
    "survey.invitation": {"url": "https://mpp.tangerangkota.go.id/s/ab3de7gh/", "service_name": "SKCK"},
    "identity.account_exists": {"name": "Siti Rahayu"},
    "identity.password_changed": {"name": "Siti Rahayu"},
    "identity.otp": {"code": "482913", "minutes": 5, "purpose": "login"},
    "application.status_changed": {"reference": "MPP-2026-000123", "service_name": "Akta Kelahiran",
                                   "status_label": {"id": "sedang diverifikasi", "en": "being verified"}},
    "application.sent_back": {"reference": "MPP-2026-000123", "service_name": "Akta Kelahiran", "items_count": 2,
                              "due_date": "2026-12-14"},
    "application.deadline_warning": {"reference": "MPP-2026-000123", "service_name": "Izin Usaha Mikro",
                                     "due_date": "2026-12-24", "working_days_left": 2},
    "application.output_issued": {"reference": "MPP-2026-000123", "service_name": "KTP-el",
                                  "pickup_counter": "7", "pickup_hours": "Senin-Jumat 08.00-15.00"},
    "queue.booking_confirmed": {"booking_code": "KTG-7Q4M", "service_name": "SKCK Baru",
                                "mall_name": "MPP Kota Tangerang", "date": "2026-12-02", "time": "09.30"},
    "queue.booking_reminder": {"booking_code": "KTG-7Q4M", "mall_name": "MPP Kota Tangerang", "date": "2026-12-02",
                               "time": "09.30", "service_name": "SKCK Baru"},
    "queue.turn_near": {"ticket_number": "B-017", "mall_name": "MPP Kota Tangerang", "people_ahead": 3,
                        "counter": "12"},
    "complaint.status_changed": {"tracking_code": "ADU-7KQ2M9XP4T", "status": "acknowledged",
                                 "agency": "Dinas Kependudukan dan Pencatatan Sipil", "event": "acknowledged"},
    "notifications.test": {"text": "halo"},
}


def test_every_template_has_a_sample():
    assert set(SAMPLES) == set(TEMPLATES)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
@pytest.mark.parametrize("language", ["id", "en"])
def test_short_text_fits_one_sms_and_email_has_subject(key, language):
    sms = render(template=key, channel="sms", language=language, context=SAMPLES[key])
    assert sms.body.startswith("SatuPintu: ")
    assert len(sms.body) <= SMS_LIMIT, (len(sms.body), sms.body)
    assert sms.body.isascii()  # GSM-7 safe: one non-GSM character would halve the SMS to 70 characters
    assert "{" not in sms.body and "  " not in sms.body
    email = render(template=key, channel="email", language=language, context=SAMPLES[key], mall_name="MPP Kota X")
    assert email.subject and "\n" not in email.subject
    assert sms.body in email.body and "MPP Kota X" in email.body


def test_languages_differ_and_values_are_localised():
    context = SAMPLES["application.sent_back"]
    indonesian = render(template="application.sent_back", channel="sms", language="id", context=context).body
    english = render(template="application.sent_back", channel="sms", language="en", context=context).body
    assert "14 Desember 2026" in indonesian and "dikembalikan" in indonesian
    assert "14 December 2026" in english and "sent back" in english
    status = SAMPLES["application.status_changed"]
    assert "kini sedang diverifikasi" in render(template="application.status_changed", channel="whatsapp",
                                                language="id", context=status).body
    assert "now being verified" in render(template="application.status_changed", channel="whatsapp",
                                          language="en-us", context=status).body


def test_otp_names_its_purpose_in_the_language():
    context = {"code": "123456", "minutes": 10, "purpose": "reset_password"}
    assert "atur ulang kata sandi" in render(template="identity.otp", channel="sms", language="id",
                                             context=context).body
    body = render(template="identity.otp", channel="sms", language="en", context=context).body
    assert "password reset" in body and "123456" in body and "10 minutes" in body


def test_unknown_language_falls_back_to_indonesian():
    body = render(template="queue.turn_near", channel="sms", language="jv", context=SAMPLES["queue.turn_near"]).body
    assert "hampir tiba" in body


def test_missing_context_is_refused():
    with pytest.raises(ValueError, match="code"):
        render(template="identity.otp", channel="sms", language="id", context={"minutes": 5, "purpose": "login"})
    with pytest.raises(ValueError, match="unknown notification template"):
        render(template="nope", channel="sms", language="id", context={})


def test_complaint_status_is_labelled_and_escalation_worded_for_the_manager():
    context = {"tracking_code": "ADU-1", "status": "answered", "event": "answered"}
    assert "kini dijawab." in render(template="complaint.status_changed", channel="sms", language="id",
                                     context=context).body
    assert "is now answered." in render(template="complaint.status_changed", channel="sms", language="en",
                                        context=context).body
    escalated = render(template="complaint.status_changed", channel="email", language="id",
                       context={**context, "status": "received", "event": "escalated"})
    assert escalated.subject == "Pengaduan ADU-1: dieskalasi" and "dieskalasi kepada pengelola mal" in escalated.body


def test_the_queue_domains_context_names_are_understood():
    booking = {"service": "SKCK Baru", "mall": "MPP Kota Tangerang", "date": "2026-12-02", "time": "09.30",
               "short_code": "KTG-7Q4M"}
    body = render(template="queue.booking_confirmed", channel="sms", language="id", context=booking).body
    assert "booking KTG-7Q4M terkonfirmasi. SKCK Baru di MPP Kota Tangerang, 2 Desember 2026 pukul 09.30" in body
    assert "KTG-7Q4M" in render(template="queue.booking_reminder", channel="sms", language="en",
                                context=booking).body
    near = render(template="queue.turn_near", channel="sms", language="id",
                  context={"number": "B-017", "service": "SKCK Baru", "mall": "MPP Kota Tangerang"}).body
    assert near.startswith("SatuPintu: antrean B-017 di MPP Kota Tangerang hampir tiba.")
