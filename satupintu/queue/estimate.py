"""Estimated waiting time — the stated method.

    wait = people ahead × median service time ÷ open counters

* people ahead: tickets waiting before this one in the fair order (ordering.py) for the
  counters that serve this ticket's service;
* median service time: of the last N finished tickets of that service (N = the mall's
  `rolling_window`, default 20), from being called/served to finished; the mall's default
  (10 minutes) until there is data. The median, not the mean, so one long case does not
  throw everybody's estimate;
* open counters: counters serving the service with an officer signed in (at least 1).

A person being served now is not counted: on average half their time is left, which the
method ignores on purpose (it errs on the short side by at most half a service).
"""

from __future__ import annotations

import statistics
from datetime import date

from django.db.models import Q

from satupintu.queue.models import CounterSession, Ticket


def estimate_wait_seconds(*, ahead: int, durations: list[float], open_counters: int, default_s: float) -> int:
    median = statistics.median(durations) if durations else default_s
    return round(ahead * median / max(1, open_counters))


def recent_service_durations(service_id: int, *, n: int) -> list[float]:
    rows = (Ticket.objects.filter(service_id=service_id, status=Ticket.Status.DONE, finished_at__isnull=False)
            .order_by("-finished_at").values_list("served_at", "called_at", "finished_at")[:n])
    return [(fin - (srv or cal)).total_seconds() for srv, cal, fin in rows if (srv or cal)]


def open_counters_for(service_id: int, *, mall_id: int) -> int:
    return (CounterSession.objects.filter(ended_at__isnull=True, counter__mall_id=mall_id,
                                          counter__services__id=service_id)
            .values("counter_id").distinct().count())


def tickets_ahead(ticket: Ticket, *, day: date | None = None) -> int:
    from satupintu.queue.ordering import fair_key

    if ticket.status != Ticket.Status.WAITING:
        return 0
    from satupintu.catalogue.models import Counter

    counters = Counter.objects.filter(mall_id=ticket.mall_id, services__id=ticket.service_id, is_active=True)
    services = set(counters.values_list("services__id", flat=True)) | {ticket.service_id}
    qs = Ticket.objects.filter(mall_id=ticket.mall_id, date=day or ticket.date, status=Ticket.Status.WAITING,
                               service_id__in=services).filter(
        Q(only_counter__isnull=True) | Q(only_counter__in=counters))
    mine = fair_key(ticket)
    return sum(1 for t in qs if t.pk != ticket.pk and fair_key(t) < mine)


def ticket_estimate(ticket: Ticket) -> dict:
    from satupintu.queue.services import policy

    p = policy(ticket.mall)
    ahead = tickets_ahead(ticket)
    durations = recent_service_durations(ticket.service_id, n=p.rolling_window)
    counters = open_counters_for(ticket.service_id, mall_id=ticket.mall_id)
    default_s = p.default_service_minutes * 60
    wait = estimate_wait_seconds(ahead=ahead, durations=durations, open_counters=counters, default_s=default_s)
    median = statistics.median(durations) if durations else default_s
    return {"ahead": ahead, "wait_seconds": wait if ticket.status == Ticket.Status.WAITING else 0,
            "median_service_seconds": round(median), "open_counters": counters}


def plan_estimate(tickets: list[Ticket]) -> dict:
    """One visit, several services: waits and service times added up in order. A later
    ticket's own queue moves while the earlier ones are served, so its wait counts only
    for what is left of it then."""
    total = 0.0
    parts = []
    for t in tickets:
        est = ticket_estimate(t) if t.status == Ticket.Status.WAITING else None
        if t.status == Ticket.Status.PLANNED:
            from satupintu.queue.services import policy

            p = policy(t.mall)
            durations = recent_service_durations(t.service_id, n=p.rolling_window)
            counters = open_counters_for(t.service_id, mall_id=t.mall_id)
            queue_ahead = Ticket.objects.filter(mall_id=t.mall_id, date=t.date, status=Ticket.Status.WAITING,
                                                service_id=t.service_id).count()
            default_s = p.default_service_minutes * 60
            own_wait = estimate_wait_seconds(ahead=queue_ahead, durations=durations, open_counters=counters,
                                             default_s=default_s)
            wait = max(0.0, own_wait - total)
            median = statistics.median(durations) if durations else default_s
        elif est:
            wait, median = est["wait_seconds"], est["median_service_seconds"]
        else:
            wait, median = 0, 0
        if t.status in (Ticket.Status.DONE, Ticket.Status.NO_SHOW):
            parts.append({"number": t.number, "wait_seconds": 0})
            continue
        parts.append({"number": t.number, "wait_seconds": round(total + wait)})
        total += wait + median
    return {"parts": parts, "total_seconds": round(total)}
