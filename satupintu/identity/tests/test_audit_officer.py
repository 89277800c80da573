"""Audit trail: the verifier names the first broken link after a row is deleted by hand;
sign-ins (success and failure) are events."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from satupintu.core.audit import audit_record, audit_verify
from satupintu.core.models import AuditEvent
from satupintu.identity.models import User


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_verifier_names_the_first_broken_link_after_a_row_is_deleted_by_hand(db):
    events = [audit_record(action="test.event", object_code=str(i)) for i in range(6)]
    victim, successor = events[2], events[3]
    with connection.cursor() as cursor:  # what someone with table access would do
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [victim.seq])
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update_delete")
    report = audit_verify()
    assert not report.ok
    assert report.broken_seq == successor.seq
    assert "prev_hash" in report.reason
    with pytest.raises(CommandError, match=f"baris #{successor.seq}"):
        call_command("audit_verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_verifier_notices_the_last_row_deleted_by_hand(db):
    events = [audit_record(action="test.event", object_code=str(i)) for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [events[-1].seq])
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update_delete")
    report = audit_verify()
    assert not report.ok and "last row is missing" in report.reason


def test_citizen_sign_in_success_and_failure_are_audited(db):
    user = User.objects.create_user(email="warga.audit@contoh.test", password="Rahasia-123", full_name="W")
    c = Client()
    c.post("/masuk/", {"username": "warga.audit@contoh.test", "password": "salah"})
    c.post("/masuk/", {"username": "warga.audit@contoh.test", "password": "Rahasia-123"})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.object_code == str(user.code) and failed.data["login_index"]
    assert "warga.audit@contoh.test" not in str(failed.data)
    assert AuditEvent.objects.filter(action="auth.login", actor=user).exists()
    assert audit_verify().ok
