"""Reads of the queue domain."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from satupintu.catalogue.models import Counter, Mall, Service
from satupintu.core.errors import NotFound
from satupintu.queue.models import Booking, Quota, ServiceGroup, Ticket
from satupintu.queue.services import (
    closed_reason,
    mall_today,
    online_cutoff,
    online_opens_at,
    quotas_ensure,
)


def mall_get(slug: str) -> Mall:
    mall = Mall.objects.filter(slug=slug).first()
    if mall is None:
        raise NotFound()
    return mall


def queued_service_get(mall: Mall, public_code: str) -> Service:
    service = (Service.objects.filter(mall=mall, public_code=public_code, queue_groups__isnull=False)
               .select_related("agency", "mall").first())
    if service is None:
        raise NotFound()
    return service


def quota_get(code) -> Quota:
    quota = Quota.objects.filter(code=code).select_related("mall", "group").first()
    if quota is None:
        raise NotFound(field="session")
    return quota


def places(*, mall: Mall, group: ServiceGroup, days: int = 7, start: date | None = None) -> list[dict]:
    """Places left per session for the coming days, with whether online booking is open."""
    now = timezone.now()
    start = start or mall_today(mall, now)
    result = []
    for i in range(days):
        day = start + timedelta(days=i)
        reason = closed_reason(mall, day)
        sessions = []
        for q in ([] if reason else quotas_ensure(group=group, day=day)):
            opens = online_opens_at(mall, day)
            state = ("closed" if q.is_closed else "not_open_yet" if now < opens
                     else "cutoff_passed" if now > online_cutoff(q) else "open")
            sessions.append({"code": str(q.code), "label": q.label, "starts": q.starts.strftime("%H:%M"),
                             "ends": q.ends.strftime("%H:%M"), "online_capacity": q.online_capacity,
                             "online_left": q.online_remaining, "walkin_left": q.walkin_remaining,
                             "priority_left": q.priority_remaining, "state": state,
                             "opens_at": opens.isoformat()})
        result.append({"date": day.isoformat(), "closed_reason": reason, "sessions": sessions})
    return result


def person_bookings(person_ids) -> list[Booking]:
    return list(Booking.objects.filter(person_id__in=person_ids).select_related("service", "quota", "mall")
                .order_by("-date", "quota__starts")[:100])


def booking_for_user(user, code) -> Booking:
    from satupintu.identity.access import get_in_scope

    qs = Booking.objects.filter(code=code).select_related("service", "quota", "mall", "person")
    return get_in_scope(qs, user, person_field="person")


def ticket_get(code) -> Ticket:
    """Tickets are reached by their unguessable code (the printed QR / link)."""
    ticket = Ticket.objects.filter(code=code).select_related("mall", "service", "counter", "group").first()
    if ticket is None:
        raise NotFound()
    return ticket


def board(*, mall: Mall, zone: str = "", recent: int = 8) -> dict:
    """What the display board shows: latest calls, waiting per service group."""
    today = mall_today(mall)
    qs = Ticket.objects.filter(mall=mall, date=today)
    if zone:
        qs = qs.filter(Q(counter__zone=zone) | Q(group__zone=zone))
    calls = (qs.filter(called_at__isnull=False, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING,
                                                            Ticket.Status.DONE])
             .select_related("counter", "service").order_by("-called_at")[:recent])
    waiting = (qs.filter(status=Ticket.Status.WAITING).values("group__letter", "group__name")
               .annotate(n=Count("id")).order_by("group__letter"))
    return {
        "mall": mall.name,
        "calls": [{"id": f"{t.code}:{t.call_count}", "number": t.number,
                   "counter": t.counter.number if t.counter else "",
                   "service": t.service.name, "called_at": t.called_at.isoformat(),
                   "active": t.status == Ticket.Status.CALLED} for t in calls],
        "waiting": [{"letter": w["group__letter"], "name": w["group__name"], "count": w["n"]} for w in waiting],
        "server_time": timezone.now().isoformat(),
    }


def counters_for_officer(user) -> list[Counter]:
    from satupintu.identity.access import memberships
    from satupintu.identity.models import Role

    scope = Q(pk__in=[])
    for m in memberships(user, roles=[Role.FRONT_DESK, Role.AGENCY_ADMIN, Role.MALL_MANAGER]):
        if m.role == Role.MALL_MANAGER:
            scope |= Q(mall_id=m.mall_id)
        else:
            scope |= Q(mall_id=m.mall_id, tenancy__agency_id=m.agency_id)
    return list(Counter.objects.filter(scope, is_active=True).select_related("mall", "tenancy__agency")
                .order_by("mall", "number"))


def counter_for_officer(user, code) -> Counter:
    for counter in counters_for_officer(user):
        if str(counter.code) == str(code):
            return counter
    raise NotFound()
