"""Writes of the queue domain. Every place is taken and returned by ONE conditional UPDATE
checked for exactly one row, in the same transaction as the row that uses it
(architecture.md, "Quota without overselling"); the CHECK constraints and the partial
unique index in models.py are the backstops.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.models import Closure, Counter, Mall, Service
from satupintu.core.calendar import mall_now, mall_today, national_holidays
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.queue.models import (
    Booking,
    CounterSession,
    QueueEvent,
    QueueSettings,
    Quota,
    QuotaTemplate,
    ServiceGroup,
    Ticket,
    VisitPlan,
)
from satupintu.queue.ordering import waiting_for_counter

# Unambiguous alphabet for short codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
SHORT_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
SHORT_CODE_LENGTH = 6
TOKEN_SALT = "satupintu.queue.booking"  # noqa: S105 - a signing salt, not a secret


# --- time and policy -----------------------------------------------------------------------

def policy(mall: Mall) -> QueueSettings:
    obj = getattr(mall, "_queue_policy", None)
    if obj is None:
        obj, _created = QueueSettings.objects.get_or_create(mall=mall)
        mall._queue_policy = obj
    return obj


def closed_reason(mall: Mall, day: date) -> str:
    """Why the mall is closed that day ('' when open): holiday, closure or no opening hours."""
    closure = Closure.objects.filter(mall=mall, date=day).exclude(kind=Closure.Kind.SPECIAL_HOURS).first()
    if closure:
        return closure.reason
    name = national_holidays(day.year).get(day)
    if name:
        return str(name)
    hours = list(mall.opening_hours.values_list("weekday", flat=True))
    if hours and day.weekday() not in hours:
        return str(_("mal tidak buka pada hari ini"))
    if not hours and day.weekday() >= 5:
        return str(_("mal tidak buka pada akhir pekan"))
    return ""


def session_start(quota: Quota) -> datetime:
    return datetime.combine(quota.date, quota.starts, tzinfo=ZoneInfo(quota.mall.timezone))


def online_opens_at(mall: Mall, day: date) -> datetime:
    p = policy(mall)
    return datetime.combine(day - timedelta(days=p.online_open_days), p.online_open_time,
                            tzinfo=ZoneInfo(mall.timezone))


def online_cutoff(quota: Quota) -> datetime:
    return session_start(quota) - timedelta(minutes=policy(quota.mall).booking_cutoff_minutes)


def _event(mall, action: str, *, booking=None, ticket=None, quota=None, counter=None, actor=None, **data) -> None:
    actor = actor if getattr(actor, "is_authenticated", False) else None
    QueueEvent.objects.create(at=timezone.now(), mall=mall, action=action, booking=booking, ticket=ticket,
                              quota=quota, counter=counter, actor=actor, data=data)


# --- quotas --------------------------------------------------------------------------------

def group_for_service(service: Service) -> ServiceGroup:
    group = service.queue_groups.filter(mall_id=service.mall_id).first()
    if group is None:
        raise DomainError(_("Layanan ini belum memakai antrean. Silakan datang langsung ke loket."),
                          code="service_not_queued", field="service")
    return group


def quotas_ensure(*, group: ServiceGroup, day: date) -> list[Quota]:
    """The day's sessions of a group, created from the manager's templates the first time
    they are needed. An exception for one date is an edit of that date's row (or an extra row
    added in the back office); to drop a session for a date, close it (`is_closed`)."""
    existing = list(Quota.objects.filter(group=group, date=day).select_related("mall", "group"))
    if closed_reason(group.mall, day):
        return existing
    templates = [t for t in QuotaTemplate.objects.filter(group=group) if not t.weekdays or day.weekday() in t.weekdays]
    have = {q.template_id for q in existing} | {q.starts for q in existing}
    rows = [
        Quota(mall_id=group.mall_id, group=group, template=t, date=day, label=t.label, starts=t.starts, ends=t.ends,
              online_capacity=t.online_capacity, online_remaining=t.online_capacity,
              walkin_capacity=t.walkin_capacity, walkin_remaining=t.walkin_capacity,
              priority_capacity=t.priority_capacity, priority_remaining=t.priority_capacity)
        for t in templates if t.pk not in have and t.starts not in have
    ]
    if not rows:  # every template session exists (an exception row added by hand stays as it is)
        return existing
    Quota.objects.bulk_create(rows, ignore_conflicts=True)
    return list(Quota.objects.filter(group=group, date=day).select_related("mall", "group"))


def quota_set_capacity(*, quota: Quota, channel: str, capacity: int, by=None) -> Quota:
    """The manager's exception for one date: change a channel's capacity. Places already
    taken stay taken; the change is refused if it would go below them."""
    if channel not in ("online", "walkin", "priority"):
        raise DomainError(_("Kanal kuota tidak dikenal."), code="invalid_channel", field="channel")
    if capacity < 0:
        raise DomainError(_("Kuota tidak boleh negatif."), code="invalid_capacity", field="capacity")
    cap, rem = f"{channel}_capacity", f"{channel}_remaining"
    with transaction.atomic():
        current = Quota.objects.select_for_update().get(pk=quota.pk)
        taken = getattr(current, cap) - getattr(current, rem)
        if capacity < taken:
            raise Conflict(_("Kuota tidak bisa lebih kecil dari tempat yang sudah terpakai (%(n)s).") % {"n": taken},
                           code="capacity_below_taken", field="capacity")
        Quota.objects.filter(pk=quota.pk).update(**{cap: capacity, rem: capacity - taken})
        _event(current.mall, "quota.capacity_set", quota=current, actor=by, channel=channel, capacity=capacity)
    quota.refresh_from_db()
    return quota


def _take_place(quota_id: int, field: str) -> bool:
    """ONE conditional UPDATE; True if exactly one row changed (a place was taken)."""
    return Quota.objects.filter(pk=quota_id, is_closed=False, **{f"{field}__gt": 0}).update(
        **{field: F(field) - 1}) == 1


def _return_place(quota_id: int, field: str) -> bool:
    capacity = field.replace("_remaining", "_capacity")
    return Quota.objects.filter(pk=quota_id, **{f"{field}__lt": F(capacity)}).update(**{field: F(field) + 1}) == 1


# --- bookings ------------------------------------------------------------------------------

def noshow_blocked_until(*, person, mall: Mall, now: datetime | None = None) -> datetime | None:
    """The mall's policy: `noshow_limit` no-shows within `noshow_window_days` block online
    booking for `noshow_block_days` after the last one."""
    p = policy(mall)
    if not p.noshow_limit:
        return None
    now = now or timezone.now()
    since = mall_today(mall, now) - timedelta(days=p.noshow_window_days)
    days = list(Booking.objects.filter(person=person, mall=mall, status=Booking.Status.NO_SHOW, date__gte=since)
                .order_by("-date").values_list("date", flat=True))
    if len(days) < p.noshow_limit:
        return None
    until = datetime.combine(days[0] + timedelta(days=p.noshow_block_days + 1), datetime.min.time(),
                             tzinfo=ZoneInfo(mall.timezone))
    return until if until > now else None


def _check_bookable(*, quota: Quota, service: Service, now: datetime) -> None:
    mall = quota.mall
    if quota.group_id not in {g.id for g in service.queue_groups.all()}:
        raise DomainError(_("Sesi ini bukan untuk layanan yang Anda pilih."), code="session_mismatch",
                          field="session")
    today = mall_today(mall, now)
    if quota.date < today:
        raise DomainError(_("Tanggal %(d)s sudah lewat. Pilih tanggal hari ini atau sesudahnya.")
                          % {"d": quota.date.isoformat()}, code="date_past", field="date")
    reason = closed_reason(mall, quota.date)
    if reason or quota.is_closed:
        raise DomainError(_("Mal tutup pada tanggal itu (%(r)s). Pilih tanggal lain.")
                          % {"r": reason or quota.note or _("sesi ditutup")}, code="day_closed", field="date")
    opens = online_opens_at(mall, quota.date)
    if now < opens:
        raise DomainError(_("Kuota daring untuk tanggal ini dibuka %(t)s.")
                          % {"t": opens.strftime("%d-%m-%Y %H.%M")}, code="not_open_yet", field="date")
    if now > online_cutoff(quota):
        raise DomainError(_("Pemesanan daring untuk sesi ini sudah ditutup. Pilih sesi lain atau datang langsung."),
                          code="cutoff_passed", field="session")


def _new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def booking_create(*, person, service: Service, quota: Quota, by=None, now: datetime | None = None) -> Booking:
    """Book one online place. Raises DomainError with a clear message and changes nothing
    when the date is past or closed, the session is full, or the person already holds a
    booking for this service that day."""
    now = now or timezone.now()
    full = Conflict(_("Kuota daring sesi ini sudah habis. Pilih sesi atau tanggal lain."), code="session_full",
                    field="session")
    if quota.online_remaining <= 0:  # fast answer from the row just read; not the decision
        raise full
    _check_bookable(quota=quota, service=service, now=now)
    blocked = noshow_blocked_until(person=person, mall=quota.mall, now=now)
    if blocked:
        until = mall_now(quota.mall, blocked).strftime("%d-%m-%Y")
        raise Conflict(_("Pemesanan daring Anda diblokir sampai %(t)s karena beberapa kali tidak hadir. "
                         "Anda tetap bisa datang langsung.") % {"t": until}, code="noshow_blocked")
    duplicate = Conflict(_("Anda sudah punya pemesanan aktif untuk layanan ini pada tanggal itu. "
                           "Batalkan atau ubah jadwal pemesanan itu bila perlu."), code="already_booked")
    if Booking.objects.filter(person=person, service=service, date=quota.date, status__in=Booking.ACTIVE).exists():
        raise duplicate
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                mall_id=quota.mall_id, agency_id=service.agency_id, service=service, quota=quota, person=person,
                date=quota.date, short_code=_new_short_code(), booked_by=by if getattr(by, "pk", None) else None,
            )
            _event(quota.mall, "booking.created", booking=booking, quota=quota, actor=by)
            from satupintu.queue.notify import booking_confirmed

            booking_confirmed(booking)
            # The decision, last: the quota row stays locked only from here to COMMIT, so a
            # hot session serialises on as little work as possible. No place → all of the
            # above rolls back.
            if not _take_place(quota.pk, "online_remaining"):
                raise full
    except IntegrityError as exc:
        if "booking_one_active" in str(exc):
            raise duplicate from exc
        raise Conflict(_("Pemesanan gagal karena bentrok; silakan coba lagi."), code="retry") from exc
    return booking


def booking_cancel(*, booking: Booking, by=None) -> Booking:
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status != Booking.Status.BOOKED:
            raise Conflict(_("Pemesanan ini tidak bisa dibatalkan (status: %(s)s).")
                           % {"s": locked.get_status_display()}, code="not_cancellable")
        Booking.objects.filter(pk=locked.pk).update(status=Booking.Status.CANCELLED, cancelled_at=timezone.now())
        _return_place(locked.quota_id, "online_remaining")
        _event(locked.mall, "booking.cancelled", booking=locked, quota=locked.quota, actor=by)
    booking.refresh_from_db()
    return booking


def booking_reschedule(*, booking: Booking, quota: Quota, by=None, now: datetime | None = None) -> Booking:
    """Move to another session: take the new place and return the old one in one transaction."""
    now = now or timezone.now()
    if quota.pk == booking.quota_id:
        raise DomainError(_("Pilih sesi yang berbeda dari jadwal sekarang."), code="same_session", field="session")
    _check_bookable(quota=quota, service=booking.service, now=now)
    try:
        with transaction.atomic():
            locked = Booking.objects.select_for_update().get(pk=booking.pk)
            if locked.status != Booking.Status.BOOKED:
                raise Conflict(_("Pemesanan ini tidak bisa diubah jadwalnya (status: %(s)s).")
                               % {"s": locked.get_status_display()}, code="not_reschedulable")
            if not _take_place(quota.pk, "online_remaining"):
                raise Conflict(_("Kuota daring sesi ini sudah habis. Pilih sesi atau tanggal lain."),
                               code="session_full", field="session")
            _return_place(locked.quota_id, "online_remaining")
            old = locked.quota_id
            Booking.objects.filter(pk=locked.pk).update(quota=quota, date=quota.date, reminder_sent_at=None)
            _event(locked.mall, "booking.rescheduled", booking=locked, quota=quota, actor=by, from_quota=old)
    except IntegrityError as exc:
        raise Conflict(_("Anda sudah punya pemesanan aktif untuk layanan ini pada tanggal itu."),
                       code="already_booked") from exc
    booking.refresh_from_db()
    return booking


def booking_token(booking: Booking) -> str:
    """What the QR code carries: the booking code signed with the server's key."""
    return signing.dumps(str(booking.code), salt=TOKEN_SALT, compress=True)


def booking_from_scan(text: str) -> Booking:
    """A scanned QR token or a typed short code → the booking. Forged tokens are refused."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Masukkan kode pemesanan (6 karakter) atau pindai kode QR."), code="code_required",
                          field="code")
    if len(text) <= 8:
        code = text.upper().replace(" ", "").replace("-", "")
        booking = Booking.objects.filter(short_code=code).select_related("mall", "service", "quota").first()
        if booking is None:
            raise NotFound(_("Kode pemesanan %(c)s tidak ditemukan. Periksa lagi huruf dan angkanya.") % {"c": code},
                           field="code", code="booking_not_found")
        return booking
    try:
        code = signing.loads(text, salt=TOKEN_SALT)
    except signing.BadSignature as exc:
        raise DomainError(_("Kode QR tidak sah. Ketik kode pemesanan 6 karakter atau tanyakan petugas."),
                          code="qr_invalid", field="code") from exc
    booking = Booking.objects.filter(code=code).select_related("mall", "service", "quota").first()
    if booking is None:
        raise NotFound(_("Pemesanan tidak ditemukan."), code="booking_not_found", field="code")
    return booking


def booking_checkin(*, mall: Mall, scan: str, by=None, now: datetime | None = None) -> Ticket:
    """Arrival: the booking becomes a ticket in today's queue. A reused QR (already
    checked in), another day's booking or another mall's booking is refused."""
    now = now or timezone.now()
    booking = booking_from_scan(scan)
    if booking.mall_id != mall.pk:
        raise NotFound(_("Pemesanan ini untuk mal lain."), code="booking_other_mall", field="code")
    with transaction.atomic():
        locked = Booking.objects.select_for_update().select_related("quota", "service", "mall").get(pk=booking.pk)
        if locked.status == Booking.Status.CHECKED_IN:
            raise Conflict(_("Kode ini sudah dipakai untuk check-in (nomor %(n)s).")
                           % {"n": locked.ticket.number}, code="already_checked_in", field="code")
        if locked.status != Booking.Status.BOOKED:
            raise Conflict(_("Pemesanan ini tidak aktif (status: %(s)s).") % {"s": locked.get_status_display()},
                           code="booking_inactive", field="code")
        today = mall_today(mall, now)
        if locked.date != today:
            raise DomainError(_("Pemesanan ini untuk tanggal %(d)s, bukan hari ini.") % {"d": locked.date.isoformat()},
                              code="wrong_day", field="code")
        Booking.objects.filter(pk=locked.pk).update(status=Booking.Status.CHECKED_IN)
        ticket = _ticket_create(mall=mall, service=locked.service, quota=locked.quota, channel=Ticket.Channel.ONLINE,
                                booking=locked, person=locked.person, slot_start=session_start(locked.quota), now=now)
        _event(mall, "booking.checked_in", booking=locked, ticket=ticket, actor=by)
    return ticket


# --- tickets -------------------------------------------------------------------------------

def ticket_number_next(*, mall: Mall, day: date, letter: str) -> int:
    """The next number of the day for a letter: one INSERT … ON CONFLICT DO UPDATE on the
    mall/day/letter counter row, so two kiosks never print the same number."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO queue_ticketsequence (mall_id, date, letter, last) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (mall_id, date, letter) DO UPDATE SET last = queue_ticketsequence.last + 1 "
            "RETURNING last",
            [mall.pk, day, letter],
        )
        return cur.fetchone()[0]


def _ticket_create(*, mall, service, quota, channel, now, booking=None, person=None, slot_start=None,
                   priority_reason="", plan=None, plan_order=0, status=Ticket.Status.WAITING, group=None) -> Ticket:
    group = group or (quota.group if quota else group_for_service(service))
    day = mall_today(mall, now)
    seq = ticket_number_next(mall=mall, day=day, letter=group.letter)
    ticket = Ticket.objects.create(
        mall=mall, agency_id=service.agency_id, group=group, service=service, quota=quota, booking=booking,
        person=person, plan=plan, plan_order=plan_order, date=day, letter=group.letter, seq=seq,
        number=f"{group.letter}-{seq:03d}", channel=channel, priority=bool(priority_reason),
        priority_reason=priority_reason, slot_start=slot_start, status=status, arrived_at=now,
    )
    _event(mall, "ticket.issued", ticket=ticket, quota=quota, channel=channel, priority=bool(priority_reason))
    return ticket


def _take_walkin_place(*, group: ServiceGroup, priority: bool, now: datetime) -> Quota:
    """A walk-in (or priority) place from today's sessions that have not ended yet; a
    priority visitor falls back to an ordinary walk-in place when priority places are gone."""
    local = mall_now(group.mall, now)
    sessions = [q for q in quotas_ensure(group=group, day=local.date()) if q.ends > local.time() and not q.is_closed]
    fields = ["priority_remaining", "walkin_remaining"] if priority else ["walkin_remaining"]
    for field in fields:
        for quota in sessions:
            if _take_place(quota.pk, field):
                return quota
    if not sessions:
        raise Conflict(_("Tidak ada sesi layanan lagi hari ini untuk layanan ini."), code="no_session_today")
    raise Conflict(_("Kuota datang langsung hari ini sudah habis. Anda bisa memesan untuk hari lain secara daring."),
                   code="walkin_full")


PRIORITY_REASONS = ("lansia", "disabilitas", "ibu_hamil")


def normalize_phone(raw: str) -> str:
    """An Indonesian mobile number as E.164 (+628…), or DomainError. Empty stays empty."""
    digits = "".join(ch for ch in (raw or "") if ch.isdigit())
    if not digits:
        return ""
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not (digits.startswith("628") and 10 <= len(digits) <= 15):
        raise DomainError(_("Nomor HP harus nomor Indonesia yang diawali 08 atau +628, 10–13 angka."),
                          code="invalid_phone", field="phone")
    return "+" + digits


def ticket_walkin(*, mall: Mall, service: Service, priority_reason: str = "", person=None, contact_phone: str = "",
                  by=None, now: datetime | None = None) -> Ticket:
    """A walk-in ticket while walk-in (or priority) places last."""
    return _walkin_one(mall=mall, service=service, priority_reason=priority_reason, person=person,
                       contact_phone=contact_phone, by=by, now=now)


def _walkin_one(*, mall, service, priority_reason, person, contact_phone, by, now, plan=None, plan_order=0,
                status=Ticket.Status.WAITING) -> Ticket:
    now = now or timezone.now()
    if priority_reason and priority_reason not in PRIORITY_REASONS:
        raise DomainError(_("Pilihan prioritas tidak dikenal."), code="invalid_priority", field="priority")
    if service.mall_id != mall.pk:
        raise NotFound(_("Layanan tidak ada di mal ini."), field="service")
    reason = closed_reason(mall, mall_today(mall, now))
    if reason:
        raise DomainError(_("Mal tutup hari ini (%(r)s).") % {"r": reason}, code="day_closed")
    group = group_for_service(service)
    with transaction.atomic():
        quota = _take_walkin_place(group=group, priority=bool(priority_reason), now=now)
        ticket = _ticket_create(mall=mall, service=service, quota=quota, channel=Ticket.Channel.WALKIN, now=now,
                                person=person, priority_reason=priority_reason, plan=plan, plan_order=plan_order,
                                status=status, group=group)
        if contact_phone:
            Ticket.objects.filter(pk=ticket.pk).update(contact_phone=contact_phone)
            ticket.contact_phone = contact_phone
    return ticket


def visit_plan_create(*, mall: Mall, services: list[Service], priority_reason: str = "", person=None,
                      contact_phone: str = "", by=None, now: datetime | None = None) -> VisitPlan:
    """One visit, several agencies: a ticket per service in the order given. Only the first
    waits now; the next one joins its queue when the previous one is finished."""
    now = now or timezone.now()
    if not services:
        raise DomainError(_("Pilih minimal satu layanan."), code="services_required", field="services")
    if len({s.pk for s in services}) != len(services):
        raise DomainError(_("Setiap layanan cukup dipilih satu kali."), code="duplicate_service", field="services")
    contact_phone = normalize_phone(contact_phone)
    with transaction.atomic():
        plan = VisitPlan.objects.create(mall=mall, date=mall_today(mall, now), person=person)
        for i, service in enumerate(services):
            _walkin_one(mall=mall, service=service, priority_reason=priority_reason, person=person,
                        contact_phone=contact_phone, by=by, now=now, plan=plan, plan_order=i,
                        status=Ticket.Status.WAITING if i == 0 else Ticket.Status.PLANNED)
    return plan


# Allowed ticket transitions: action → statuses it may start from (one table, house style 6).
TRANSITIONS: dict[str, set[str]] = {
    "recall": {Ticket.Status.CALLED},
    "serve": {Ticket.Status.CALLED},
    "skip": {Ticket.Status.CALLED},
    "finish": {Ticket.Status.CALLED, Ticket.Status.SERVING},
    "transfer": {Ticket.Status.WAITING, Ticket.Status.CALLED, Ticket.Status.SERVING},
}


def _lock_ticket(ticket: Ticket, action: str) -> Ticket:
    locked = Ticket.objects.select_for_update().select_related("mall").get(pk=ticket.pk)
    if locked.status not in TRANSITIONS[action]:
        raise Conflict(_("Tiket %(n)s tidak bisa diproses (status: %(s)s).")
                       % {"n": locked.number, "s": locked.get_status_display()}, code="invalid_transition")
    return locked


def counter_current_ticket(counter: Counter) -> Ticket | None:
    return (Ticket.objects.filter(counter=counter, status__in=[Ticket.Status.CALLED, Ticket.Status.SERVING])
            .select_related("service").order_by("-called_at").first())


def counter_sign_in(*, counter: Counter, officer) -> CounterSession:
    with transaction.atomic():
        now = timezone.now()
        (CounterSession.objects.filter(officer=officer, ended_at__isnull=True).exclude(counter=counter)
         .update(ended_at=now))
        current = CounterSession.objects.select_for_update().filter(counter=counter, ended_at__isnull=True).first()
        if current and current.officer_id != officer.pk:
            raise Conflict(_("Loket %(n)s sedang dipakai petugas lain. Minta petugas itu keluar dari loket dulu.")
                           % {"n": counter.number}, code="counter_taken")
        if current:
            return current
        session = CounterSession.objects.create(counter=counter, officer=officer, started_at=now)
        _event(counter.mall, "counter.signed_in", counter=counter, actor=officer)
    return session


def counter_sign_out(*, counter: Counter, officer) -> None:
    with transaction.atomic():
        CounterSession.objects.filter(counter=counter, officer=officer, ended_at__isnull=True).update(
            ended_at=timezone.now())
        _event(counter.mall, "counter.signed_out", counter=counter, actor=officer)


def ticket_call_next(*, counter: Counter, by, now: datetime | None = None) -> Ticket | None:
    """Call the next ticket in the fair order (ordering.py). Two officers calling at the same
    moment never get the same ticket: the row is taken with SELECT … FOR UPDATE SKIP LOCKED."""
    now = now or timezone.now()
    with transaction.atomic():
        # One call at a time per counter (a double click must not call two tickets); other
        # counters are not held up. Calling signs the officer in to the counter.
        Counter.objects.select_for_update().filter(pk=counter.pk).first()
        counter_sign_in(counter=counter, officer=by)
        if counter_current_ticket(counter):
            raise Conflict(_("Selesaikan atau lewati tiket yang sedang dipanggil dulu."), code="counter_busy")
        ticket = (waiting_for_counter(counter, day=mall_today(counter.mall, now))
                  .select_for_update(skip_locked=True, of=("self",)).first())
        if ticket is None:
            return None
        Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CALLED, counter=counter, called_at=now,
                                                   called_by=by, call_count=F("call_count") + 1)
        _event(counter.mall, "ticket.called", ticket=ticket, counter=counter, actor=by)
        from satupintu.queue.notify import turn_near_notify

        turn_near_notify(counter=counter, now=now)
    ticket.refresh_from_db()
    return ticket


def ticket_recall(*, ticket: Ticket, by) -> Ticket:
    with transaction.atomic():
        locked = _lock_ticket(ticket, "recall")
        Ticket.objects.filter(pk=locked.pk).update(called_at=timezone.now(), call_count=F("call_count") + 1)
        _event(locked.mall, "ticket.recalled", ticket=locked, counter=locked.counter, actor=by)
    ticket.refresh_from_db()
    return ticket


def ticket_serve(*, ticket: Ticket, by) -> Ticket:
    with transaction.atomic():
        locked = _lock_ticket(ticket, "serve")
        Ticket.objects.filter(pk=locked.pk).update(status=Ticket.Status.SERVING, served_at=timezone.now())
        _event(locked.mall, "ticket.serving", ticket=locked, counter=locked.counter, actor=by)
    ticket.refresh_from_db()
    return ticket


def ticket_skip(*, ticket: Ticket, by) -> Ticket:
    """The citizen did not come after the call: no-show (counts for the booking policy)."""
    with transaction.atomic():
        locked = _lock_ticket(ticket, "skip")
        Ticket.objects.filter(pk=locked.pk).update(status=Ticket.Status.NO_SHOW, finished_at=timezone.now())
        if locked.booking_id:
            Booking.objects.filter(pk=locked.booking_id).update(status=Booking.Status.NO_SHOW)
        _event(locked.mall, "ticket.no_show", ticket=locked, counter=locked.counter, actor=by)
        _advance_plan(locked)
    ticket.refresh_from_db()
    return ticket


def ticket_transfer(*, ticket: Ticket, by, to_service: Service | None = None, to_counter: Counter | None = None
                    ) -> Ticket:
    """Back to waiting for another service (possibly another agency) or one counter. The
    ticket keeps its number and its arrival time, so it does not lose its turn."""
    if to_service is None and to_counter is None:
        raise DomainError(_("Pilih layanan atau loket tujuan."), code="transfer_target_required", field="to")
    with transaction.atomic():
        locked = _lock_ticket(ticket, "transfer")
        service = to_service or locked.service
        if service.mall_id != locked.mall_id or (to_counter and to_counter.mall_id != locked.mall_id):
            raise NotFound(_("Tujuan tidak ada di mal ini."), field="to")
        if to_counter and not to_counter.services.filter(pk=service.pk).exists():
            raise DomainError(_("Loket %(n)s tidak melayani %(s)s.") % {"n": to_counter.number, "s": service.name},
                              code="counter_not_serving", field="to")
        Ticket.objects.filter(pk=locked.pk).update(
            status=Ticket.Status.WAITING, service=service, agency_id=service.agency_id, only_counter=to_counter,
            counter=None, called_at=None, served_at=None, turn_near_sent_at=None)
        _event(locked.mall, "ticket.transferred", ticket=locked, counter=locked.counter, actor=by,
               to_service=service.public_code, to_counter=to_counter.number if to_counter else None)
    ticket.refresh_from_db()
    return ticket


def ticket_finish(*, ticket: Ticket, by, outcome: str = Ticket.Outcome.COMPLETED, related_type: str = "",
                  related_code: str = "") -> Ticket:
    if outcome not in Ticket.Outcome.values:
        raise DomainError(_("Hasil layanan tidak dikenal."), code="invalid_outcome", field="outcome")
    with transaction.atomic():
        locked = _lock_ticket(ticket, "finish")
        now = timezone.now()
        Ticket.objects.filter(pk=locked.pk).update(
            status=Ticket.Status.DONE, finished_at=now, served_at=locked.served_at or locked.called_at or now,
            outcome=outcome, related_type=related_type[:40], related_code=related_code[:64])
        _event(locked.mall, "ticket.finished", ticket=locked, counter=locked.counter, actor=by, outcome=outcome,
               related_type=related_type, related_code=related_code)
        _advance_plan(locked)
        if outcome == Ticket.Outcome.COMPLETED:
            from satupintu.survey.offer import survey_offer

            survey_offer(mall=locked.mall, agency=locked.agency, service=locked.service, related_type="ticket",
                         related_code=str(locked.code), person=locked.person, phone=locked.contact_phone)
    ticket.refresh_from_db()
    return ticket


def _advance_plan(ticket: Ticket) -> None:
    """The next ticket of a visit plan joins its queue once this one is done."""
    if not ticket.plan_id:
        return
    nxt = (Ticket.objects.filter(plan_id=ticket.plan_id, status=Ticket.Status.PLANNED, plan_order__gt=ticket.plan_order)
           .order_by("plan_order").first())
    if nxt:
        Ticket.objects.filter(pk=nxt.pk, status=Ticket.Status.PLANNED).update(status=Ticket.Status.WAITING,
                                                                              arrived_at=timezone.now())
        _event(ticket.mall, "ticket.plan_next", ticket=nxt)


# --- end of day, reminders -----------------------------------------------------------------

def bookings_close_day(*, mall: Mall, day: date) -> int:
    """Bookings of a past day never checked in become no-shows (the place is not returned)."""
    with transaction.atomic():
        ids = list(Booking.objects.filter(mall=mall, date=day, status=Booking.Status.BOOKED)
                   .select_for_update(skip_locked=True).values_list("id", flat=True))
        Booking.objects.filter(pk__in=ids, status=Booking.Status.BOOKED).update(status=Booking.Status.NO_SHOW)
        for booking in Booking.objects.filter(pk__in=ids):
            _event(mall, "booking.no_show", booking=booking)
    return len(ids)
