"""Messages to citizens through the outbox (notifications app): the reminder the day
before and "giliran Anda sebentar lagi". Each is claimed by a conditional UPDATE of the
row's `*_sent_at` so it is written exactly once, whatever runs twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from satupintu.notifications.services import notification_enqueue, person_destination
from satupintu.queue.models import Booking, Ticket


def booking_reminders_send(*, now: datetime | None = None) -> int:
    """Reminders for tomorrow's bookings (in each mall's zone), once per booking."""
    from satupintu.queue.services import mall_today, session_start

    now = now or timezone.now()
    sent = 0
    candidates = (Booking.objects.filter(status=Booking.Status.BOOKED, reminder_sent_at__isnull=True,
                                         date__gte=(now - timedelta(days=1)).date(),
                                         date__lte=(now + timedelta(days=2)).date())
                  .select_related("mall", "service", "quota", "person__account"))
    for booking in candidates:
        if booking.date != mall_today(booking.mall, now) + timedelta(days=1):
            continue
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
                continue
            dest = person_destination(booking.person)
            if dest is None:
                continue
            start = session_start(booking.quota)
            notification_enqueue(
                channel=dest[0], destination=dest[1], template="queue.booking_reminder",
                context={"service": booking.service.name, "mall": booking.mall.name,
                         "date": booking.date.isoformat(), "time": start.strftime("%H.%M"),
                         "short_code": booking.short_code},
                person=booking.person, mall=booking.mall, related=booking,
                dedupe_key=f"queue.booking_reminder:{booking.code}:{booking.date}")
            sent += 1
    return sent


def booking_confirmed(booking: Booking) -> None:
    from satupintu.queue.services import session_start

    dest = person_destination(booking.person)
    if dest is None:
        return
    notification_enqueue(
        channel=dest[0], destination=dest[1], template="queue.booking_confirmed",
        context={"service": booking.service.name, "mall": booking.mall.name, "date": booking.date.isoformat(),
                 "time": session_start(booking.quota).strftime("%H.%M"), "short_code": booking.short_code},
        person=booking.person, mall=booking.mall, related=booking,
        dedupe_key=f"queue.booking_confirmed:{booking.code}")


def turn_near_notify(*, counter, now: datetime) -> int:
    """After a call: tell the people now within the mall's threshold, once per ticket."""
    from satupintu.queue.ordering import waiting_for_counter
    from satupintu.queue.services import mall_today, policy

    threshold = policy(counter.mall).turn_near_threshold
    if not threshold:
        return 0
    sent = 0
    for ticket in waiting_for_counter(counter, day=mall_today(counter.mall, now)).select_related(
            "person__account", "service")[:threshold]:
        dest = person_destination(ticket.person) if ticket.person_id else None
        if dest is None and ticket.contact_phone:
            dest = ("sms", ticket.contact_phone)
        if dest is None:
            continue
        if not Ticket.objects.filter(pk=ticket.pk, turn_near_sent_at__isnull=True).update(turn_near_sent_at=now):
            continue
        notification_enqueue(
            channel=dest[0], destination=dest[1], template="queue.turn_near",
            context={"number": ticket.number, "service": ticket.service.name, "mall": counter.mall.name},
            person=ticket.person, mall=counter.mall, related=ticket, dedupe_key=f"queue.turn_near:{ticket.code}")
        sent += 1
    return sent
