"""Booking rules through the services: places, bad input, QR, no-show policy, reminders."""

from datetime import timedelta

import pytest
from django.core import signing

from satupintu.catalogue.models import Closure, Service
from satupintu.core.errors import DomainError
from satupintu.notifications.models import Notification
from satupintu.queue import services
from satupintu.queue.models import Booking, QueueEvent, Quota
from tests.fixtures.queue import make_citizen


def ktp(mall):
    return Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK")


def session(mall, day, label="Pagi"):
    group = services.group_for_service(ktp(mall))
    return next(q for q in services.quotas_ensure(group=group, day=day) if q.label == label)


def snapshot():
    return (list(Quota.objects.values_list("id", "online_remaining", "walkin_remaining", "priority_remaining")),
            Booking.objects.count(), list(Booking.objects.values_list("id", "status")))


@pytest.mark.django_db
def test_booking_takes_one_place_and_writes_event_and_confirmation(queue_mall, citizen, booking_day):
    user, person = citizen
    quota = session(queue_mall, booking_day)
    booking = services.booking_create(person=person, service=ktp(queue_mall), quota=quota, by=user)
    quota.refresh_from_db()
    assert quota.online_remaining == quota.online_capacity - 1
    assert len(booking.short_code) == 6 and set(booking.short_code) <= set(services.SHORT_CODE_ALPHABET)
    assert QueueEvent.objects.filter(booking=booking, action="booking.created").exists()
    note = Notification.objects.get(template="queue.booking_confirmed")
    assert note.destination == user.phone and note.context["short_code"] == booking.short_code


@pytest.mark.django_db
def test_full_session_second_booking_past_and_closed_day_are_refused_and_change_nothing(queue_mall, booking_day):
    service = ktp(queue_mall)
    quota = session(queue_mall, booking_day)
    people = [make_citizen()[1] for _ in range(quota.online_capacity + 1)]
    for p in people[:-1]:
        services.booking_create(person=p, service=service, quota=quota)
    other = session(queue_mall, booking_day, "Siang")
    past = session(queue_mall, services.mall_today(queue_mall) - timedelta(days=1))
    before = snapshot()
    with pytest.raises(DomainError) as full:
        services.booking_create(person=people[-1], service=service, quota=quota)
    assert full.value.code == "session_full"
    with pytest.raises(DomainError) as second:
        services.booking_create(person=people[0], service=service, quota=other)
    assert second.value.code == "already_booked"
    with pytest.raises(DomainError) as old:
        services.booking_create(person=people[-1], service=service, quota=past)
    assert old.value.code == "date_past"
    Closure.objects.create(mall=queue_mall, date=booking_day, reason="Hari jadi kota")
    with pytest.raises(DomainError) as closed:
        services.booking_create(person=people[-1], service=service, quota=other)
    assert closed.value.code == "day_closed" and "Hari jadi kota" in str(closed.value.message)
    assert snapshot() == before


@pytest.mark.django_db
def test_online_places_open_seven_days_ahead(queue_mall):
    _, person = make_citizen()
    far = services.mall_today(queue_mall) + timedelta(days=9)
    with pytest.raises(DomainError) as exc:
        services.booking_create(person=person, service=ktp(queue_mall), quota=session(queue_mall, far))
    assert exc.value.code == "not_open_yet"


@pytest.mark.django_db
def test_database_backstops_refuse_negative_places_and_double_active_booking(queue_mall, citizen, booking_day):
    from django.db import IntegrityError, transaction

    quota = session(queue_mall, booking_day)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(online_remaining=-1)
    _, person = citizen
    b = services.booking_create(person=person, service=ktp(queue_mall), quota=quota)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(mall=queue_mall, agency=b.agency, service=b.service, quota=quota, person=person,
                               date=b.date, short_code="XXXXXX")


@pytest.mark.django_db
def test_cancel_and_reschedule_return_the_place(queue_mall, citizen, booking_day):
    _, person = citizen
    pagi, siang = session(queue_mall, booking_day), session(queue_mall, booking_day, "Siang")
    b = services.booking_create(person=person, service=ktp(queue_mall), quota=pagi)
    services.booking_reschedule(booking=b, quota=siang)
    pagi.refresh_from_db(), siang.refresh_from_db()
    assert (pagi.online_remaining, siang.online_remaining) == (pagi.online_capacity, siang.online_capacity - 1)
    services.booking_cancel(booking=b)
    siang.refresh_from_db()
    assert siang.online_remaining == siang.online_capacity and b.status == Booking.Status.CANCELLED
    with pytest.raises(DomainError):
        services.booking_cancel(booking=b)
    siang.refresh_from_db()
    assert siang.online_remaining == siang.online_capacity
    # a cancelled booking no longer blocks a new one
    services.booking_create(person=person, service=ktp(queue_mall), quota=pagi)


@pytest.mark.django_db
def test_three_no_shows_block_online_booking(queue_mall, booking_day):
    _, person = make_citizen()
    service = ktp(queue_mall)
    today = services.mall_today(queue_mall)
    for i in range(1, 4):
        q = session(queue_mall, today - timedelta(days=i))
        Booking.objects.create(mall=queue_mall, agency=service.agency, service=service, quota=q, person=person,
                               date=q.date, short_code=f"NS{i}AAA", status=Booking.Status.NO_SHOW)
    with pytest.raises(DomainError) as exc:
        services.booking_create(person=person, service=service, quota=session(queue_mall, booking_day))
    assert exc.value.code == "noshow_blocked"


@pytest.mark.django_db
def test_close_day_marks_unattended_bookings_no_show(queue_mall, citizen, booking_day):
    _, person = citizen
    b = services.booking_create(person=person, service=ktp(queue_mall), quota=session(queue_mall, booking_day))
    assert services.bookings_close_day(mall=queue_mall, day=booking_day) == 1
    b.refresh_from_db()
    assert b.status == Booking.Status.NO_SHOW


@pytest.mark.django_db
def test_checkin_by_qr_or_code_once_and_forged_qr_refused(queue_mall, citizen):
    _, person = citizen
    today = services.mall_today(queue_mall)
    quota = session(queue_mall, today, "Siang")
    b = Booking.objects.create(mall=queue_mall, agency=ktp(queue_mall).agency, service=ktp(queue_mall), quota=quota,
                               person=person, date=today, short_code="ACD347")
    forged = signing.dumps(str(b.code), salt="something-else")
    with pytest.raises(DomainError) as exc:
        services.booking_checkin(mall=queue_mall, scan=forged)
    assert exc.value.code == "qr_invalid"
    with pytest.raises(DomainError):
        services.booking_checkin(mall=queue_mall, scan=services.booking_token(b)[:-2] + "xx")
    ticket = services.booking_checkin(mall=queue_mall, scan=services.booking_token(b))
    assert ticket.number.startswith(f"{ticket.letter}-") and ticket.channel == "online" and ticket.slot_start
    b.refresh_from_db()
    assert b.status == Booking.Status.CHECKED_IN
    with pytest.raises(DomainError) as again:
        services.booking_checkin(mall=queue_mall, scan="acd-347")
    assert again.value.code == "already_checked_in" and ticket.number in str(again.value.message)


@pytest.mark.django_db
def test_checkin_on_the_wrong_day_is_refused(queue_mall, citizen, booking_day):
    _, person = citizen
    b = services.booking_create(person=person, service=ktp(queue_mall), quota=session(queue_mall, booking_day))
    with pytest.raises(DomainError) as exc:
        services.booking_checkin(mall=queue_mall, scan=b.short_code)
    assert exc.value.code == "wrong_day"
    b.refresh_from_db()
    assert b.status == Booking.Status.BOOKED


@pytest.mark.django_db
def test_reminder_is_written_once_for_tomorrows_bookings(queue_mall, citizen):
    from satupintu.queue.notify import booking_reminders_send

    _, person = citizen
    tomorrow = services.mall_today(queue_mall) + timedelta(days=1)
    services.booking_create(person=person, service=ktp(queue_mall), quota=session(queue_mall, tomorrow, "Siang"))
    assert booking_reminders_send() == 1
    assert booking_reminders_send() == 0
    assert Notification.objects.filter(template="queue.booking_reminder").count() == 1


@pytest.mark.django_db
def test_templates_fill_missing_sessions_but_respect_edited_rows(queue_mall, booking_day):
    from datetime import time

    group = services.group_for_service(ktp(queue_mall))
    pagi, siang = services.quotas_ensure(group=group, day=booking_day)
    Quota.objects.filter(pk=siang.pk).update(starts=time(13, 0), label="Siang (diundur)")
    assert len(services.quotas_ensure(group=group, day=booking_day)) == 2
    later = booking_day + timedelta(days=1)
    Quota.objects.create(mall=queue_mall, group=group, date=later, label="Ekstra", starts=time(16, 0),
                         ends=time(17, 0), online_capacity=3, online_remaining=3)
    labels = sorted(q.label for q in services.quotas_ensure(group=group, day=later))
    assert labels == ["Ekstra", "Pagi", "Siang"]
