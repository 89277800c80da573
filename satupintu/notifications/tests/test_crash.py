"""The issue's "done when": killing the worker in the middle of a batch loses no notification
and sends none twice.

A real `manage.py db_worker` (django-tasks-db on the test PostgreSQL) delivers 50 SMS to the
SMS simulator, which is made slow so the kill lands mid-batch; it is SIGKILLed at the worst
moment — the gateway has accepted a message but the worker has not yet recorded it. Its task
row stays "running" forever (django-tasks-db does not re-run it), so only the sweeper can
bring that notification back. A new worker plus the sweeper finish the batch.
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction

from satupintu.notifications.models import Notification
from satupintu.notifications.services import notification_enqueue
from tests.fixtures.notifications import sim_call, unique_phone

ROOT = Path(__file__).resolve().parents[3]
BATCH = 50


def _database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _spawn(env: dict, log: Path, *args: str) -> subprocess.Popen:
    with log.open("ab") as out:  # a file, not a pipe nobody reads (a full pipe would stall the worker)
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out)


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_loses_no_notification_and_sends_none_twice(simulators, settings, tmp_path):
    sms = simulators["sms"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": settings.TASKS["default"]["QUEUES"]}}
    env = dict(os.environ, DATABASE_URL=_database_url(), TASKS_BACKEND="django_tasks_db.DatabaseBackend",
               SMS_URL=sms, SMS_API_KEY=settings.SMS_API_KEY, NOTIFICATIONS_SENDING_LEASE_SECONDS="3",
               NOTIFICATIONS_SWEEP_GRACE_SECONDS="30")
    worker_args = ["db_worker", "--queue-name", "notifications", "--interval", "0.1", "--no-startup-delay",
                   "--no-reload", "-v", "0"]
    # each message is accepted at once but acknowledged only after 0.7 s
    sim_call(sms, "/_control", {"outage": False, "rate_limit": None, "fail_next": 0, "delay": 0.7})

    with transaction.atomic():  # enqueued to django-tasks-db on commit
        rows = [notification_enqueue(channel="sms", destination=unique_phone(), template="notifications.test",
                                     context={"text": f"pesan {i}"}) for i in range(BATCH)]
    keys = {str(row.idempotency_key) for row in rows}
    ids = [row.pk for row in rows]

    processes = []
    try:
        first = _spawn(env, tmp_path / "worker.log", *worker_args)
        processes.append(first)

        def accepted_but_unrecorded():
            if Notification.objects.filter(pk__in=ids, status="sent").count() < 10:
                return None
            row = Notification.objects.filter(pk__in=ids, status="sending").first()
            if row and sim_call(sms, f"/messages?idempotency_key={row.idempotency_key}")["messages"]:
                return row
            return None

        in_flight = _wait_for(accepted_but_unrecorded, 60, "the worker to be mid-batch")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)

        sent_before = Notification.objects.filter(pk__in=ids, status="sent").count()
        assert 10 <= sent_before < BATCH, "the kill must land in the middle of the batch"
        in_flight.refresh_from_db()
        assert in_flight.status == "sending" and in_flight.attempts == 1

        sim_call(sms, "/_control", {"delay": 0})
        processes.append(_spawn(env, tmp_path / "worker.log", *worker_args))
        processes.append(_spawn(env, tmp_path / "sweeper.log", "notifications_sweep", "--every", "0.5"))
        _wait_for(lambda: Notification.objects.filter(pk__in=ids, status="sent").count() == BATCH, 90,
                  "every notification to be sent")
    finally:
        for proc in processes:
            _stop(proc)
        sim_call(sms, "/_control", {"delay": 0})

    # nothing lost: every row sent, each with the provider's id for its key
    stored = [m for m in sim_call(sms, "/messages")["messages"] if m["idempotency_key"] in keys]
    per_key = collections.Counter(m["idempotency_key"] for m in stored)
    assert set(per_key) == keys
    # nothing sent twice: one message per idempotency key at the gateway
    assert max(per_key.values()) == 1 and len(stored) == BATCH
    by_key = {m["idempotency_key"]: m for m in stored}
    for row in Notification.objects.filter(pk__in=ids):
        assert row.status == "sent"
        assert row.provider_message_id == by_key[str(row.idempotency_key)]["message_id"]
    # only the message in flight at the kill was offered to the gateway again, and the gateway
    # recognised it by its key
    resubmitted = {key for key, m in by_key.items() if m["submissions"] > 1}
    assert resubmitted == {str(in_flight.idempotency_key)}
    assert by_key[str(in_flight.idempotency_key)]["submissions"] == 2
    in_flight.refresh_from_db()
    assert in_flight.attempts == 2
    assert list(in_flight.events.values_list("kind", flat=True)) == ["queued", "sending", "requeued", "sending",
                                                                      "sent"]
    assert Notification.objects.filter(pk__in=ids).exclude(pk=in_flight.pk).filter(attempts__gt=1).count() == 0
