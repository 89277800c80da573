"""Tickets: numbering, walk-in places, the fair order, counter actions, visit plans."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from satupintu.catalogue.models import Counter, Service
from satupintu.core.errors import DomainError
from satupintu.notifications.models import Notification
from satupintu.queue import services
from satupintu.queue.models import Booking, Ticket
from satupintu.queue.ordering import fair_key, waiting_for_counter
from tests.fixtures.queue import make_citizen, make_officer


def svc(mall, code="KTPEL_HILANG_RUSAK"):
    return Service.objects.get(mall=mall, public_code=code)


def counter_for(service):
    return Counter.objects.filter(services=service).first()


def booked_ticket(mall, *, slot_label="Pagi", now=None):
    _, person = make_citizen()
    today = services.mall_today(mall)
    group = services.group_for_service(svc(mall))
    quota = next(q for q in services.quotas_ensure(group=group, day=today) if q.label == slot_label)
    b = Booking.objects.create(mall=mall, agency=svc(mall).agency, service=svc(mall), quota=quota, person=person,
                               date=today, short_code=services._new_short_code())
    return services.booking_checkin(mall=mall, scan=b.short_code, now=now)


@pytest.mark.django_db
def test_numbers_run_per_day_and_letter(queue_mall):
    a1 = services.ticket_walkin(mall=queue_mall, service=svc(queue_mall))
    a2 = services.ticket_walkin(mall=queue_mall, service=svc(queue_mall, "KK_BARU"))
    other = services.ticket_walkin(mall=queue_mall, service=Service.objects.filter(
        mall=queue_mall, agency__slug="SAMSAT").first())
    assert (a1.number, a2.number) == (f"{a1.letter}-001", f"{a1.letter}-002")
    assert other.letter != a1.letter and other.number == f"{other.letter}-001"


@pytest.mark.django_db
def test_walkin_places_run_out_and_priority_falls_back_to_walkin(queue_mall):
    from satupintu.queue.models import Quota

    group = services.group_for_service(svc(queue_mall))
    today = services.mall_today(queue_mall)
    sessions = services.quotas_ensure(group=group, day=today)
    now_t = services.mall_now(queue_mall).time()
    live = [q for q in sessions if q.ends > now_t]
    total_walkin = sum(q.walkin_capacity for q in live)
    total_prio = sum(q.priority_capacity for q in live)
    for _ in range(total_prio):
        assert services.ticket_walkin(mall=queue_mall, service=svc(queue_mall), priority_reason="lansia").priority
    t = services.ticket_walkin(mall=queue_mall, service=svc(queue_mall), priority_reason="ibu_hamil")
    assert t.priority and Quota.objects.get(pk=t.quota_id).walkin_remaining == t.quota.walkin_capacity - 1
    for _ in range(total_walkin - 1):
        services.ticket_walkin(mall=queue_mall, service=svc(queue_mall))
    count = Ticket.objects.count()
    with pytest.raises(DomainError) as exc:
        services.ticket_walkin(mall=queue_mall, service=svc(queue_mall))
    assert exc.value.code == "walkin_full" and Ticket.objects.count() == count


@pytest.mark.django_db
def test_fair_order_priority_then_bookings_by_slot_then_walkins_by_arrival(queue_mall):
    base = timezone.now()
    w1 = services.ticket_walkin(mall=queue_mall, service=svc(queue_mall), now=base)
    late_booking = booked_ticket(queue_mall, slot_label="Siang", now=base + timedelta(seconds=1))
    early_booking = booked_ticket(queue_mall, slot_label="Pagi", now=base + timedelta(seconds=2))
    w2 = services.ticket_walkin(mall=queue_mall, service=svc(queue_mall), now=base + timedelta(seconds=3))
    prio = services.ticket_walkin(mall=queue_mall, service=svc(queue_mall), priority_reason="disabilitas",
                                  now=base + timedelta(seconds=4))
    expected = [prio, early_booking, late_booking, w1, w2]
    counter = counter_for(svc(queue_mall))
    in_db = list(waiting_for_counter(counter, day=services.mall_today(queue_mall)))
    assert [t.number for t in in_db] == [t.number for t in expected]
    assert [t.number for t in sorted(in_db, key=fair_key)] == [t.number for t in expected]


@pytest.mark.django_db
def test_counter_flow_call_recall_serve_transfer_finish_and_skip(queue_mall):
    service = svc(queue_mall)
    counter = counter_for(service)
    officer = make_officer(queue_mall, service.agency)
    services.counter_sign_in(counter=counter, officer=officer)
    t1 = services.ticket_walkin(mall=queue_mall, service=service)
    t2 = booked_ticket(queue_mall)
    called = services.ticket_call_next(counter=counter, by=officer)
    assert called == t2 and called.status == "called" and called.counter == counter  # booking before walk-in
    with pytest.raises(DomainError):
        services.ticket_call_next(counter=counter, by=officer)
    assert services.ticket_recall(ticket=called, by=officer).call_count == 2
    services.ticket_skip(ticket=called, by=officer)
    assert Booking.objects.get(ticket=called).status == Booking.Status.NO_SHOW
    nxt = services.ticket_call_next(counter=counter, by=officer)
    assert nxt == t1
    services.ticket_serve(ticket=nxt, by=officer)
    samsat = Service.objects.filter(mall=queue_mall, agency__slug="SAMSAT").first()
    moved = services.ticket_transfer(ticket=nxt, by=officer, to_service=samsat)
    assert moved.status == "waiting" and moved.agency == samsat.agency and moved.number == t1.number
    samsat_counter = counter_for(samsat)
    again = services.ticket_call_next(counter=samsat_counter, by=officer)
    assert again == t1
    done = services.ticket_finish(ticket=again, by=officer, outcome="application", related_type="application",
                                  related_code="MPP-3671-2026-000123")
    assert done.status == "done" and done.related_code == "MPP-3671-2026-000123" and done.finished_at
    with pytest.raises(DomainError):
        services.ticket_finish(ticket=done, by=officer)
    assert services.ticket_call_next(counter=counter, by=officer) is None


@pytest.mark.django_db(transaction=True)
def test_two_officers_calling_at_once_never_get_the_same_ticket(live_queue_mall):
    mall = live_queue_mall
    service = svc(mall)
    first = counter_for(service)
    second = Counter.objects.create(mall=mall, tenancy=first.tenancy, number="99", label="tambahan")
    second.services.add(service)
    officers = [make_officer(mall, service.agency) for _ in range(2)]
    for _ in range(2):
        services.ticket_walkin(mall=mall, service=service)
    barrier = threading.Barrier(2)
    got: list = []

    def call(counter, officer):
        try:
            barrier.wait()
            got.append(services.ticket_call_next(counter=counter, by=officer))
        finally:
            connection.close()

    threads = [threading.Thread(target=call, args=(c, o)) for c, o in zip([first, second], officers, strict=True)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len({t.pk for t in got if t}) == 2


@pytest.mark.django_db
def test_visit_plan_next_ticket_joins_queue_after_first_is_finished(queue_mall):
    from satupintu.queue.estimate import plan_estimate

    dukcapil, samsat = svc(queue_mall), Service.objects.filter(mall=queue_mall, agency__slug="SAMSAT").first()
    plan = services.visit_plan_create(mall=queue_mall, services=[dukcapil, samsat])
    first, second = plan.tickets.order_by("plan_order")
    assert (first.status, second.status) == ("waiting", "planned")
    est = plan_estimate([first, second])
    assert est["total_seconds"] > 0 and est["parts"][1]["wait_seconds"] >= est["parts"][0]["wait_seconds"]
    officer = make_officer(queue_mall, dukcapil.agency)
    t = services.ticket_call_next(counter=counter_for(dukcapil), by=officer)
    services.ticket_finish(ticket=t, by=officer)
    second.refresh_from_db()
    assert second.status == "waiting"


@pytest.mark.django_db
def test_turn_near_message_once_per_ticket(queue_mall):
    service = svc(queue_mall)
    counter = counter_for(service)
    officer = make_officer(queue_mall, service.agency)
    tickets = [booked_ticket(queue_mall) for _ in range(5)]
    services.ticket_call_next(counter=counter, by=officer)
    near = Notification.objects.filter(template="queue.turn_near")
    assert sorted(n.context["number"] for n in near) == sorted(t.number for t in tickets[1:4])
    services.ticket_finish(ticket=tickets[0], by=officer)
    services.ticket_call_next(counter=counter, by=officer)
    near = Notification.objects.filter(template="queue.turn_near")
    assert near.count() == 4 and near.filter(context__number=tickets[4].number).count() == 1


@pytest.mark.django_db
def test_daily_rollup_counts_places_and_times(queue_mall):
    from satupintu.queue.models import DailyStat
    from satupintu.queue.stats import daily_rollup

    service = svc(queue_mall)
    officer = make_officer(queue_mall, service.agency)
    counter = counter_for(service)
    booked_ticket(queue_mall)
    services.ticket_walkin(mall=queue_mall, service=service)
    t = services.ticket_call_next(counter=counter, by=officer)
    services.ticket_finish(ticket=t, by=officer)
    t2 = services.ticket_call_next(counter=counter, by=officer)
    services.ticket_skip(ticket=t2, by=officer)
    today = services.mall_today(queue_mall)
    assert daily_rollup(mall=queue_mall, day=today) == daily_rollup(mall=queue_mall, day=today)
    row = DailyStat.objects.get(dimension="service", key=service.public_code)
    assert (row.tickets, row.served, row.no_shows, row.online_used, row.walkin_used) == (2, 1, 1, 1, 1)
    grp = DailyStat.objects.get(dimension="group", key=t.letter)
    assert grp.walkin_used == 1 and grp.online_offered == 10
    assert DailyStat.objects.get(dimension="counter", key=counter.number).served == 1



@pytest.mark.django_db
def test_walkin_phone_gets_turn_near_sms_and_bad_phone_is_refused(queue_mall):
    service = svc(queue_mall)
    with pytest.raises(DomainError) as exc:
        services.visit_plan_create(mall=queue_mall, services=[service], contact_phone="12345")
    assert exc.value.code == "invalid_phone" and Ticket.objects.count() == 0
    services.ticket_walkin(mall=queue_mall, service=service)
    plan = services.visit_plan_create(mall=queue_mall, services=[service], contact_phone="0812-3456-7890")
    officer = make_officer(queue_mall, service.agency)
    services.ticket_call_next(counter=counter_for(service), by=officer)
    note = Notification.objects.get(template="queue.turn_near")
    assert note.destination == "+6281234567890" and note.channel == "sms"
    assert note.context["number"] == plan.tickets.get().number


@pytest.mark.django_db
def test_daily_tasks_and_board_zone(queue_mall):
    from satupintu.queue.models import DailyStat
    from satupintu.queue.selectors import board
    from satupintu.queue.tasks import close_and_roll_up, send_booking_reminders

    service = svc(queue_mall)
    counter = counter_for(service)
    Counter.objects.filter(pk=counter.pk).update(zone="Lantai 1")
    t = services.ticket_walkin(mall=queue_mall, service=service)
    services.ticket_call_next(counter=counter, by=make_officer(queue_mall, service.agency))
    assert [c["number"] for c in board(mall=queue_mall, zone="Lantai 1")["calls"]] == [t.number]
    assert board(mall=queue_mall, zone="Lantai 2")["calls"] == []
    assert send_booking_reminders.enqueue().return_value == 0
    today = services.mall_today(queue_mall).isoformat()
    assert close_and_roll_up.enqueue(queue_mall.pk, today).return_value > 0
    assert DailyStat.objects.filter(dimension="counter", key=counter.number).exists()


@pytest.mark.django_db
def test_calling_signs_in_and_a_counter_has_one_officer(queue_mall):
    from satupintu.queue.models import CounterSession

    service = svc(queue_mall)
    counter = counter_for(service)
    first, second = make_officer(queue_mall, service.agency), make_officer(queue_mall, service.agency)
    services.ticket_walkin(mall=queue_mall, service=service)
    services.ticket_call_next(counter=counter, by=first)
    assert CounterSession.objects.get(counter=counter, ended_at__isnull=True).officer == first
    with pytest.raises(DomainError) as exc:
        services.ticket_call_next(counter=counter, by=second)
    assert exc.value.code == "counter_taken"
