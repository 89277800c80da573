"""Daily rollup for dashboards: per service group (places offered and used per channel),
per service, per counter and per agency (waiting time, service time, no-shows)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Sum

from satupintu.queue.models import Booking, DailyStat, Quota, Ticket


def _pct(values: list[float], q: float) -> int | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))])


def daily_rollup(*, mall, day: date) -> int:
    """Recompute the day's rows (idempotent: replaces what was there)."""
    rows: list[DailyStat] = []
    sums = Quota.objects.filter(mall=mall, date=day).values("group_id", "group__letter", "group__name").annotate(
        oc=Sum("online_capacity"), orem=Sum("online_remaining"), wc=Sum("walkin_capacity"),
        wrem=Sum("walkin_remaining"), pc=Sum("priority_capacity"), prem=Sum("priority_remaining"))
    for s in sums:
        rows.append(DailyStat(mall=mall, date=day, dimension="group", key=s["group__letter"], label=s["group__name"],
                              online_offered=s["oc"], online_used=s["oc"] - s["orem"], walkin_offered=s["wc"],
                              walkin_used=s["wc"] - s["wrem"], priority_offered=s["pc"],
                              priority_used=s["pc"] - s["prem"]))
    tickets = list(Ticket.objects.filter(mall=mall, date=day).select_related("service", "counter", "agency"))
    buckets: dict[tuple[str, str], list[Ticket]] = defaultdict(list)
    labels: dict[tuple[str, str], tuple[str, int | None]] = {}
    for t in tickets:
        for dim, key, label in (("service", t.service.public_code, t.service.name),
                                ("agency", t.agency.slug, t.agency.name),
                                ("counter", t.counter.number if t.counter else "", str(t.counter or ""))):
            if key:
                buckets[(dim, key)].append(t)
                labels[(dim, key)] = (label, t.agency_id if dim != "counter" else None)
    booking_noshows = Booking.objects.filter(mall=mall, date=day, status=Booking.Status.NO_SHOW)
    for (dim, key), group in buckets.items():
        waits = [(t.called_at - t.arrived_at).total_seconds() for t in group if t.called_at]
        serv = [(t.finished_at - (t.served_at or t.called_at)).total_seconds()
                for t in group if t.status == Ticket.Status.DONE and t.finished_at]
        no_shows = sum(1 for t in group if t.status == Ticket.Status.NO_SHOW)
        if dim == "service":
            no_shows += booking_noshows.filter(service__public_code=key, ticket__isnull=True).count()
        rows.append(DailyStat(
            mall=mall, date=day, dimension=dim, key=key, label=labels[(dim, key)][0][:300],
            agency_id=labels[(dim, key)][1], tickets=len(group),
            served=sum(1 for t in group if t.status == Ticket.Status.DONE), no_shows=no_shows,
            online_used=sum(1 for t in group if t.channel == Ticket.Channel.ONLINE),
            walkin_used=sum(1 for t in group if t.channel == Ticket.Channel.WALKIN and not t.priority),
            priority_used=sum(1 for t in group if t.priority),
            wait_median_s=round(statistics.median(waits)) if waits else None, wait_p90_s=_pct(waits, 0.9),
            service_median_s=round(statistics.median(serv)) if serv else None))
    with transaction.atomic():
        DailyStat.objects.filter(mall=mall, date=day).delete()
        DailyStat.objects.bulk_create(rows)
    return len(rows)
