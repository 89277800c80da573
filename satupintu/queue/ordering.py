"""THE fair order of a queue, written down once.

    1. priority visitors (lansia, disabilitas, ibu hamil — UU 25/2009 Pasal 29), by arrival;
    2. then checked-in online bookings, by the start of their booked session, then arrival;
    3. then walk-ins, by arrival.
    Ties break on the ticket number.

`fair_key()` is the same rule in Python (used for positions); tests check the two agree.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from satupintu.queue.models import Ticket

RANK_PRIORITY, RANK_BOOKING, RANK_WALKIN = 0, 1, 2

FAIR_RANK = Case(
    When(priority=True, then=Value(RANK_PRIORITY)),
    When(channel=Ticket.Channel.ONLINE, then=Value(RANK_BOOKING)),
    default=Value(RANK_WALKIN),
    output_field=IntegerField(),
)

# A priority ticket is ordered by arrival only; a booking by its slot then arrival.
FAIR_ORDER = ["fair_rank", F("fair_slot").asc(nulls_last=True), "arrived_at", "seq", "id"]


def fair_ordered(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.annotate(
        fair_rank=FAIR_RANK,
        fair_slot=Case(When(priority=False, then=F("slot_start")), default=Value(None)),
    ).order_by(*FAIR_ORDER)


def fair_key(t: Ticket) -> tuple:
    rank = RANK_PRIORITY if t.priority else RANK_BOOKING if t.channel == Ticket.Channel.ONLINE else RANK_WALKIN
    slot = t.slot_start if (not t.priority and t.slot_start) else None
    return (rank, slot is None, slot or datetime.min.replace(tzinfo=t.arrived_at.tzinfo), t.arrived_at, t.seq, t.pk)


def waiting_for_counter(counter, *, day: date) -> QuerySet[Ticket]:
    """Tickets waiting today for the services this counter handles, in the fair order."""
    qs = Ticket.objects.filter(
        mall_id=counter.mall_id, date=day, status=Ticket.Status.WAITING,
        service__in=counter.services.all(),
    ).filter(Q(only_counter__isnull=True) | Q(only_counter=counter))
    return fair_ordered(qs)
