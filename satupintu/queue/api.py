"""Queue API for partner apps: places left, book, cancel, reschedule, my bookings, my
ticket's position. Messages are in Bahasa Indonesia; `?lang=en` (or the language cookie) gives English."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from satupintu.core.errors import DomainError, NotFound
from satupintu.core.idempotency import run_idempotent
from satupintu.identity.access import person_of, persons_actor_may_act_for
from satupintu.identity.models import Person
from satupintu.queue import selectors, services
from satupintu.queue.estimate import ticket_estimate
from satupintu.queue.models import Booking

router = Router(tags=["antrean / queue"])


class PlacesQuery(Schema):
    mall: str = Field(..., max_length=60, description="kode mal, mis. kota-tangerang")
    service: str = Field(..., max_length=80, description="kode layanan, mis. KTPEL_HILANG_RUSAK")
    start: date | None = Field(None, description="tanggal awal (default hari ini)")
    days: int = Field(7, ge=1, le=14)


class SessionOut(Schema):
    code: str
    label: str
    starts: str
    ends: str
    online_capacity: int
    online_left: int
    walkin_left: int
    priority_left: int
    state: str = Field(..., description="open | not_open_yet | cutoff_passed | closed")
    opens_at: str


class DayOut(Schema):
    date: str
    closed_reason: str
    sessions: list[SessionOut]


class BookingIn(Schema):
    session: uuid.UUID = Field(..., description="kode sesi dari /queue/places")
    service: str = Field(..., max_length=80)
    person: uuid.UUID | None = Field(None, description="kode orang yang diwakili (kuasa); kosong = diri sendiri")


class RescheduleIn(Schema):
    session: uuid.UUID


class BookingOut(Schema):
    code: str
    short_code: str
    status: str
    mall: str
    service: str
    service_name: str
    date: str
    session: str
    starts: str
    ends: str
    qr_token: str | None
    ticket: str | None


class PositionOut(Schema):
    number: str
    status: str
    service: str
    counter: str | None
    ahead: int
    wait_seconds: int
    median_service_seconds: int
    open_counters: int
    method: str


def booking_out(b: Booking) -> dict:
    ticket = getattr(b, "ticket", None) if b.status == Booking.Status.CHECKED_IN else None
    return {"code": str(b.code), "short_code": b.short_code, "status": b.status, "mall": b.mall.slug,
            "service": b.service.public_code, "service_name": b.service.name, "date": b.date.isoformat(),
            "session": str(b.quota.code), "starts": b.quota.starts.strftime("%H:%M"),
            "ends": b.quota.ends.strftime("%H:%M"),
            "qr_token": services.booking_token(b) if b.status == Booking.Status.BOOKED else None,
            "ticket": str(ticket.code) if ticket else None}


@router.get("/queue/places", response=list[DayOut], summary="Sisa kuota per sesi / places left per session")
def places(request, q: Query[PlacesQuery]):
    mall = selectors.mall_get(q.mall)
    service = selectors.queued_service_get(mall, q.service)
    today = services.mall_today(mall)
    if q.start and not (today - timedelta(days=31) <= q.start <= today + timedelta(days=90)):
        raise DomainError(_("Tanggal awal harus antara 31 hari lalu dan 90 hari ke depan."), code="start_out_of_range",
                          field="start", status=422)
    return selectors.places(mall=mall, group=services.group_for_service(service), days=q.days, start=q.start)


def _acting_person(request, code) -> Person:
    if code is None:
        person = person_of(request.user)
        if person is None:
            raise DomainError(_("Akun Anda belum terhubung dengan NIK. Lengkapi data diri dulu."),
                              code="no_person", status=403)
        return person
    person = Person.objects.filter(code=code, id__in=persons_actor_may_act_for(request.user)).first()
    if person is None:
        raise NotFound(field="person")
    return person


@router.post("/queue/bookings", response={201: BookingOut}, auth=django_auth,
             summary="Pesan antrean / book a place",
             description="Satu pemesanan aktif per orang per layanan per hari. Kirim header `Idempotency-Key` "
                         "agar pengiriman ulang tidak membuat pemesanan ganda.")
def booking_create(request, payload: BookingIn):
    quota = selectors.quota_get(payload.session)
    service = selectors.queued_service_get(quota.mall, payload.service)
    person = _acting_person(request, payload.person)

    def action():
        booking = services.booking_create(person=person, service=service, quota=quota, by=request.user)
        return 201, booking_out(booking)

    status, body, _replayed = run_idempotent(
        scope="queue.booking_create", owner=str(request.user.code), key=request.headers.get("Idempotency-Key"),
        body=payload.dict(), action=action)
    return Status(status, body)


@router.get("/queue/bookings", response=list[BookingOut], auth=django_auth,
            summary="Pemesanan saya / my bookings")
def my_bookings(request):
    return [booking_out(b) for b in selectors.person_bookings(persons_actor_may_act_for(request.user))]


@router.post("/queue/bookings/{code}/cancel", response=BookingOut, auth=django_auth,
             summary="Batalkan pemesanan / cancel a booking")
def booking_cancel(request, code: uuid.UUID):
    booking = selectors.booking_for_user(request.user, code)
    return booking_out(services.booking_cancel(booking=booking, by=request.user))


@router.post("/queue/bookings/{code}/reschedule", response=BookingOut, auth=django_auth,
             summary="Ubah jadwal / reschedule a booking")
def booking_reschedule(request, code: uuid.UUID, payload: RescheduleIn):
    booking = selectors.booking_for_user(request.user, code)
    quota = selectors.quota_get(payload.session)
    return booking_out(services.booking_reschedule(booking=booking, quota=quota, by=request.user))


@router.get("/queue/tickets/{code}", response=PositionOut, summary="Posisi tiket / my ticket's position",
            description="Kode tiket tercetak di tiket (QR). Perkiraan = orang di depan × median waktu layanan "
                        "20 tiket terakhir ÷ loket yang buka.")
def ticket_position(request, code: uuid.UUID):
    ticket = selectors.ticket_get(code)
    return {"number": ticket.number, "status": ticket.status, "service": ticket.service.name,
            "counter": ticket.counter.number if ticket.counter else None, **ticket_estimate(ticket),
            "method": "ahead × median(last N service times) ÷ open counters"}
