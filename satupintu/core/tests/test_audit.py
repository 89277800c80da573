import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from satupintu.core.audit import audit_record, audit_verify
from satupintu.core.models import AuditEvent


def _chain(n=5):
    return [audit_record(action="test.event", object_type="x", object_code=str(i), data={"i": i}) for i in range(n)]


def test_chain_verifies(db):
    _chain()
    report = audit_verify()
    assert report.ok and report.checked >= 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_refuses_update_and_delete(db):
    event = _chain(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_verifier_finds_a_row_altered_by_hand(db):
    events = _chain(6)
    victim = events[3]
    with connection.cursor() as cursor:  # what an attacker with table access would do
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete")
        cursor.execute("UPDATE core_auditevent SET data = %s WHERE seq = %s", ['{"i": 999}', victim.seq])
        cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_update_delete")
    report = audit_verify()
    assert not report.ok
    assert report.broken_seq == victim.seq
