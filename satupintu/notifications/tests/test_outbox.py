"""The outbox with in-memory providers: enqueue, deliver, retry, give up, recover."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from satupintu.integrations.messaging import PermanentProviderError, RetryableProviderError
from satupintu.notifications.admin import mask_destination, masked_context
from satupintu.notifications.models import Notification, NotificationEvent
from satupintu.notifications.services import (
    backoff_seconds,
    notification_deliver,
    notification_enqueue,
    notification_enqueue_for_person,
    notification_enqueue_for_user,
    notification_sweep,
)

OTP = {"code": "482913", "minutes": 5, "purpose": "login"}
pytestmark = pytest.mark.django_db


def kinds(notification) -> list[str]:
    return list(notification.events.values_list("kind", flat=True))


def test_delivered_on_commit_by_the_preferred_channel(make_citizen, fake_providers,
                                                      django_capture_on_commit_callbacks):
    person = make_citizen(channel="whatsapp", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 1
    assert notification.provider_message_id == "fake-whatsapp-1"
    [message] = fake_providers["whatsapp"].sent
    assert message.to == person.account.phone and "482913" in message.body and "Valid for 5 minutes" in message.body
    assert message.idempotency_key == str(notification.idempotency_key)
    assert kinds(notification) == ["queued", "sending", "sent"]
    assert fake_providers["sms"].sent == []


def test_one_time_code_is_encrypted_in_the_row_and_erased_once_sent(make_citizen, fake_providers,
                                                                     django_capture_on_commit_callbacks):
    person = make_citizen()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
    stored = Notification.objects.get(pk=notification.pk).context
    assert "482913" not in str(stored) and "$enc" in stored["code"]
    assert masked_context(notification)["code"] == "••••••"
    for callback in callbacks:
        callback()
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.context["code"] == ""
    assert "482913" in fake_providers["sms"].sent[0].body


def test_channel_falls_back_to_the_address_the_person_has(make_citizen):
    no_phone = make_citizen(channel="sms", phone=None, email="siti@example.id")
    assert notification_enqueue_for_person(person=no_phone, template="identity.otp", context=OTP).channel == "email"
    no_email = make_citizen(channel="email", email=None)
    row = notification_enqueue_for_person(person=no_email, template="identity.otp", context=OTP)
    assert (row.channel, row.destination) == ("sms", no_email.account.phone)
    nothing = make_citizen(phone=None, email=None)
    assert notification_enqueue_for_person(person=nothing, template="identity.otp", context=OTP) is None


def test_officer_warnings_go_by_email(db):
    from satupintu.identity.models import User

    officer = User.objects.create_user(email="verifikator@example.id", full_name="Budi", kind="officer",
                                       phone="+6281299990001")
    row = notification_enqueue_for_user(user=officer, template="application.deadline_warning",
                                        context={"reference": "MPP-1", "service_name": "KTP-el",
                                                 "due_date": "2026-12-24"})
    assert (row.channel, row.destination, row.person) == ("email", "verifikator@example.id", None)


def test_dedupe_key_makes_one_row_per_business_event(db):
    first = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                                 context={"text": "a"}, dedupe_key="app-1:approved")
    again = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                                 context={"text": "a"}, dedupe_key="app-1:approved")
    assert first.pk == again.pk and Notification.objects.filter(dedupe_key="app-1:approved").count() == 1


def test_a_nik_is_refused_and_nothing_is_written(db):
    for context in [{"text": "NIK Anda 3671012345678901"}, {"text": "x", "nik": "1"},
                    {"text": {"id": "no KK 3671012345678901", "en": "x"}}]:
        with pytest.raises(ValueError, match="NIK"):
            notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                                 context=context)
    with pytest.raises(ValueError, match="channel"):
        notification_enqueue(channel="fax", destination="x", template="notifications.test", context={"text": "x"})
    assert not Notification.objects.exists()


def test_a_template_contract_mismatch_fails_the_row_not_the_callers_transaction(fake_providers, caplog):
    missing = notification_enqueue(channel="sms", destination="+6281234567890", template="identity.otp",
                                   context={"minutes": 5, "purpose": "login"})
    unknown = notification_enqueue(channel="sms", destination="+6281234567890", template="application.gone",
                                   context={"x": 1})
    assert "missing context ['code']" in caplog.text and "'application.gone' does not exist" in caplog.text
    missing = notification_deliver(notification_id=missing.pk)
    unknown = notification_deliver(notification_id=unknown.pk)
    assert missing.status == "failed" and "needs context ['code']" in missing.last_error
    assert unknown.status == "failed" and "unknown notification template" in unknown.last_error
    assert fake_providers["sms"].sent == []


def test_retryable_error_schedules_a_retry_with_backoff_then_succeeds(fake_providers, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    fake_providers["sms"].fail_next(RetryableProviderError("sms: HTTP 503", code="http_503"))
    row = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                               context={"text": "a"})
    before = timezone.now()
    row = notification_deliver(notification_id=row.pk)
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert before + datetime.timedelta(seconds=15) <= row.next_attempt_at <= before + datetime.timedelta(seconds=31)
    # not due yet: a duplicate task does nothing
    assert notification_deliver(notification_id=row.pk) is None
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    row = notification_deliver(notification_id=row.pk)
    assert row.status == "sent" and row.attempts == 2 and row.last_error == ""
    assert kinds(row) == ["queued", "sending", "retry", "sending", "sent"]
    assert len(fake_providers["sms"].sent) == 1
    # delivered rows are never sent again
    assert notification_deliver(notification_id=row.pk) is None


def test_rate_limit_waits_at_least_retry_after(fake_providers):
    fake_providers["sms"].fail_next(RetryableProviderError("429", code="rate_limited", retry_after=900))
    row = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                               context={"text": "a"})
    row = notification_deliver(notification_id=row.pk)
    assert row.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=899)


def test_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 100
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = {backoff_seconds(attempt) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered


def test_gives_up_after_max_attempts(fake_providers, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    fake_providers["email"].fail_next(*[RetryableProviderError("smtp: timeout", code="timeout")] * 3)
    row = notification_enqueue(channel="email", destination="a@example.id", template="notifications.test",
                               context={"text": "a"})
    for _ in range(3):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
        row = notification_deliver(notification_id=row.pk)
    assert row.status == "failed" and row.attempts == 3 and row.next_attempt_at is None
    assert "gave up after 3 attempts" in row.events.last().detail
    assert fake_providers["email"].sent == []


def test_permanent_error_fails_at_once(fake_providers):
    fake_providers["sms"].fail_next(PermanentProviderError("sms: invalid_number", code="invalid_number"))
    row = notification_enqueue(channel="sms", destination="+6280000000000", template="notifications.test",
                               context={"text": "a"})
    row = notification_deliver(notification_id=row.pk)
    assert (row.status, row.attempts) == ("failed", 1) and "invalid_number" in row.last_error


def test_no_whatsapp_falls_back_to_sms_once(make_citizen, fake_providers, django_capture_on_commit_callbacks):
    person = make_citizen(channel="whatsapp")
    fake_providers["whatsapp"].fail_next(PermanentProviderError("whatsapp: no", code="not_on_whatsapp"))
    with django_capture_on_commit_callbacks(execute=True):
        row = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
    row.refresh_from_db()
    assert row.status == "failed" and "fallback" in kinds(row)
    copy = Notification.objects.get(dedupe_key=f"fallback:{row.idempotency_key}")
    assert copy.channel == "sms" and copy.status == "sent" and copy.person == person
    assert "482913" in fake_providers["sms"].sent[0].body


def test_sweeper_recovers_a_row_left_sending_by_a_dead_worker(fake_providers, settings,
                                                              django_capture_on_commit_callbacks):
    row = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                               context={"text": "a"})
    # a worker claimed it and died before recording anything
    Notification.objects.filter(pk=row.pk).update(status="sending", attempts=1,
                                                  next_attempt_at=timezone.now() + datetime.timedelta(seconds=60))
    assert notification_sweep() == 0  # lease still running: maybe the worker is just slow
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_sweep(now=timezone.now() + datetime.timedelta(seconds=61)) == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2
    assert kinds(row)[-3:] == ["requeued", "sending", "sent"]


def test_sweeper_re_enqueues_due_rows_whose_task_was_lost(fake_providers, settings,
                                                           django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 60
    row = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                               context={"text": "a"})  # its on-commit task never ran
    assert notification_sweep() == 0  # young rows have their own task
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_sweep(now=timezone.now() + datetime.timedelta(seconds=61)) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert notification_sweep(now=timezone.now() + datetime.timedelta(days=1)) == 0


def test_a_late_result_from_a_worker_that_lost_its_lease_is_ignored(fake_providers):
    from satupintu.notifications import services

    row = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                               context={"text": "a"})
    stale = services._claim(row.pk)
    Notification.objects.filter(pk=row.pk).update(attempts=2)  # another worker took over
    assert services._finish(stale, status="failed") is False
    assert Notification.objects.get(pk=row.pk).status == "sending"


def test_sweep_command_runs(fake_providers, capsys):
    from django.core.management import call_command

    call_command("notifications_sweep")
    assert NotificationEvent.objects.filter(kind="requeued").count() == 0


def test_admin_masks_destinations_and_secrets(admin_client, make_citizen):
    person = make_citizen()
    row = notification_enqueue_for_person(person=person, template="identity.otp", context=OTP)
    assert mask_destination("+6281234567890") == "+6281****890"
    assert mask_destination("siti@example.id") == "s***@example.id"
    listing = admin_client.get("/backoffice/notifications/notification/?status__exact=pending")
    assert listing.status_code == 200 and person.account.phone not in listing.content.decode()
    detail = admin_client.get(f"/backoffice/notifications/notification/{row.pk}/change/").content.decode()
    assert "••••••" in detail and "482913" not in detail and row.context["code"]["$enc"] not in detail


def test_codes_jump_the_queue_and_retries_wait_in_the_task_queue(settings, fake_providers,
                                                                  django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": settings.TASKS["default"]["QUEUES"]}}
    with django_capture_on_commit_callbacks(execute=True):
        otp = notification_enqueue(channel="sms", destination="+6281234567890", template="identity.otp",
                                   context=OTP)
        reminder = notification_enqueue(channel="sms", destination="+6281234567891", template="notifications.test",
                                        context={"text": "a"})
    tasks = {task.args_kwargs["args"][0]: task for task in DBTaskResult.objects.filter(queue_name="notifications")}
    assert tasks[otp.pk].priority == 50 and tasks[reminder.pk].priority == 0
    assert DBTaskResult.objects.ready().first().args_kwargs["args"] == [otp.pk]  # the worker's pick order

    fake_providers["sms"].fail_next(RetryableProviderError("sms: HTTP 502", code="http_502"))
    with django_capture_on_commit_callbacks(execute=True):
        row = notification_deliver(notification_id=reminder.pk)
    [retry] = DBTaskResult.objects.filter(args_kwargs__args=[reminder.pk]).exclude(pk=tasks[reminder.pk].pk)
    assert retry.run_after == row.next_attempt_at


def test_selectors_find_what_was_sent_to_a_person_and_about_an_object(make_citizen, catalogue):
    from satupintu.notifications.selectors import notifications_for, notifications_for_person

    person, other = make_citizen(), make_citizen()
    mine = notification_enqueue_for_person(person=person, template="notifications.test", context={"text": "a"},
                                           related=catalogue)
    notification_enqueue_for_person(person=other, template="notifications.test", context={"text": "b"})
    assert list(notifications_for_person(person=person)) == [mine]
    assert list(notifications_for(related=catalogue)) == [mine]


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_the_same_row_send_it_once():
    import threading
    import time

    from django.db import connection

    from satupintu.integrations.sms import FakeSmsClient
    from satupintu.notifications.providers import use_clients

    class SlowFake(FakeSmsClient):
        def send(self, message):
            time.sleep(0.3)
            return super().send(message)

    fake = SlowFake()
    # written directly: notification_enqueue would deliver it at once (ImmediateBackend, autocommit)
    row = Notification.objects.create(channel="sms", destination="+6281234567890", template="notifications.test",
                                      context={"text": "a"})
    results = []

    def worker():
        try:
            results.append(notification_deliver(notification_id=row.pk))
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    with use_clients(sms=fake):
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(fake.sent) == 1, results
    assert sorted(r.status if r else "skipped" for r in results) == ["sent", "skipped", "skipped", "skipped"]


def test_a_row_that_keeps_killing_its_worker_is_given_up(fake_providers, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    row = Notification.objects.create(channel="sms", destination="+6281234567890", template="identity.otp",
                                      context={"code": "1", "minutes": 5, "purpose": "login"},
                                      status="sending", attempts=3, next_attempt_at=timezone.now())
    assert notification_deliver(notification_id=row.pk) is None
    row.refresh_from_db()
    assert row.status == "failed" and row.context["code"] == "" and fake_providers["sms"].sent == []


def test_an_adapter_bug_is_retried_not_left_hanging(fake_providers):
    fake_providers["sms"].fail_next(KeyError("oops"))
    row = notification_enqueue(channel="sms", destination="+6281234567890", template="notifications.test",
                               context={"text": "a"})
    row = notification_deliver(notification_id=row.pk)
    assert row.status == "pending" and "KeyError" in row.last_error and row.next_attempt_at


def test_an_unknown_template_fails_the_row(fake_providers):
    row = Notification.objects.create(channel="sms", destination="+6281234567890", template="gone.template",
                                      context={})
    row = notification_deliver(notification_id=row.pk)
    assert row.status == "failed" and "render" in row.last_error


def test_a_gateway_on_a_private_address_is_a_permanent_error(settings):
    from satupintu.integrations.messaging import OutboundMessage
    from satupintu.integrations.sms import SmsClient

    with pytest.raises(PermanentProviderError, match="refused"):
        SmsClient(base_url="http://10.1.2.3:8102", api_key="k").send(
            OutboundMessage(to="+6281234567890", body="x", idempotency_key="k"))
