"""Outbox rows delivered through the real adapters to the simulators: outage and recovery,
rendered e-mail over real SMTP in the citizen's language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from satupintu.notifications.models import Notification
from satupintu.notifications.services import notification_enqueue_for_person, notification_sweep
from tests.fixtures.notifications import sim_call

pytestmark = pytest.mark.django_db
OTP = {"code": "739104", "minutes": 5, "purpose": "register"}


def test_sms_outage_is_retried_with_backoff_and_delivered_once_it_ends(simulators, make_citizen,
                                                                       django_capture_on_commit_callbacks):
    sms = simulators["sms"]
    person = make_citizen(channel="sms")
    sim_call(sms, "/_control", {"outage": True})
    try:
        with django_capture_on_commit_callbacks(execute=True):
            row = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
        assert row.next_attempt_at > timezone.now()
        # still down at the first retry
        with django_capture_on_commit_callbacks(execute=True):
            assert notification_sweep(now=row.next_attempt_at + datetime.timedelta(hours=1)) == 1
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == 2
    finally:
        sim_call(sms, "/_control", {"outage": False})
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_sweep(now=row.next_attempt_at + datetime.timedelta(hours=1)) == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3
    [stored] = sim_call(sms, f"/messages?idempotency_key={row.idempotency_key}")["messages"]
    assert stored["message_id"] == row.provider_message_id and "739104" in stored["text"]
    assert stored["to"] == person.account.phone and stored["submissions"] == 1


def test_unknown_number_fails_permanently_without_retries(simulators, make_citizen,
                                                          django_capture_on_commit_callbacks):
    simulators["sms"]
    person = make_citizen(channel="sms", phone="+6280011112222")
    with django_capture_on_commit_callbacks(execute=True):
        row = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 1, None)
    assert "invalid_number" in row.last_error and row.context["code"] == ""


@pytest.mark.parametrize(("language", "subject", "phrase"), [
    ("id", "Permohonan MPP-2026-000777 perlu Anda perbaiki", "dikembalikan"),
    ("en", "Application MPP-2026-000777 needs your correction", "was sent back"),
])
def test_email_notification_arrives_over_smtp_in_the_citizens_language(
        smtp_sink, make_citizen, catalogue, django_capture_on_commit_callbacks, language, subject, phrase):
    person = make_citizen(channel="email", email=f"warga-{language}@example.id", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        row = notification_enqueue_for_person(
            person=person, template="application.sent_back", mall=catalogue,
            context={"reference": "MPP-2026-000777", "service_name": "Akta Kelahiran", "due_date": "2027-01-04"})
    row.refresh_from_db()
    assert row.status == "sent"
    [mail] = sim_call(smtp_sink, f"/messages?message_id={row.provider_message_id}")["messages"]
    assert mail["to"] == [person.account.email] and mail["subject"] == subject
    assert phrase in mail["body"] and catalogue.name in mail["body"]
    assert ("4 Januari 2027" if language == "id" else "4 January 2027") in mail["body"]
    assert person.nik not in mail["body"]


def test_whatsapp_number_without_whatsapp_gets_an_sms(simulators, make_citizen, django_capture_on_commit_callbacks):
    wa, sms = simulators["whatsapp"], simulators["sms"]
    person = make_citizen(channel="whatsapp", phone="+6281377770000")  # "no WhatsApp" in the simulator
    with django_capture_on_commit_callbacks(execute=True):
        row = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
    row.refresh_from_db()
    assert row.status == "failed"
    copy = Notification.objects.get(dedupe_key=f"fallback:{row.idempotency_key}")
    assert copy.status == "sent" and copy.channel == "sms"
    assert sim_call(wa, "/messages?to=%2B6281377770000")["messages"] == []
    [text] = sim_call(sms, "/messages?to=%2B6281377770000")["messages"]
    assert "739104" in text["text"]
