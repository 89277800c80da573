"""Writes for complaints. Each state change writes a ComplaintEvent and an audit event in
the same transaction, and (on commit) an outbox notification to the complainant."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.catalogue.models import Agency, Counter, Mall, Service, Tenancy
from satupintu.complaints.models import Complaint, ComplaintEvent, ComplaintSettings
from satupintu.core.audit import audit_record
from satupintu.core.calendar import add_working_days, mall_closures, mall_today
from satupintu.core.errors import DomainError

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
MIN_DESCRIPTION = 20
MAX_DESCRIPTION = 5000


def complaint_settings(mall: Mall) -> ComplaintSettings:
    found = ComplaintSettings.objects.filter(mall=mall).first()
    return found or ComplaintSettings(mall=mall)


def _tracking_code() -> str:
    return "ADU-" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def _event(complaint: Complaint, kind: str, *, actor=None, note: str = "", public: bool = True) -> ComplaintEvent:
    return ComplaintEvent.objects.create(complaint=complaint, kind=kind, actor=actor if getattr(
        actor, "is_authenticated", False) else None, note=note, public=public)


def _notify(complaint: Complaint, kind: str) -> None:
    """Tell the complainant through the outbox: by their chosen channel when identified, else at
    the contact an anonymous complainant left (if any)."""
    from satupintu.notifications.services import notification_enqueue, person_destination

    person = complaint.complainant
    if person is not None:
        choice = person_destination(person)
    elif complaint.contact:
        choice = ("email" if "@" in complaint.contact else "sms", complaint.contact)
    else:
        choice = None
    if choice is None:
        return
    notification_enqueue(
        channel=choice[0], destination=choice[1], template="complaint.status_changed",
        context={"tracking_code": complaint.tracking_code, "status": complaint.status, "event": kind,
                 "agency": str(complaint.agency)},
        person=person, mall=complaint.mall, related=complaint,
        dedupe_key=f"complaint:{complaint.code}:{kind}",
    )


def _resolve_agency(*, mall: Mall, agency: Agency | None, service: Service | None,
                    counter: Counter | None) -> Agency:
    if service is not None:
        if service.mall_id != mall.id:
            raise DomainError(_("Layanan itu tidak ada di mal ini."), code="service_not_in_mall", field="service")
        agency = agency or service.agency
    if counter is not None:
        if counter.mall_id != mall.id:
            raise DomainError(_("Loket itu tidak ada di mal ini."), code="counter_not_in_mall", field="counter")
        agency = agency or counter.tenancy.agency
    if agency is None:
        raise DomainError(_("Pilih instansi yang Anda adukan."), code="agency_required", field="agency")
    if not Tenancy.objects.filter(mall=mall, agency=agency).exists():
        raise DomainError(_("Instansi itu tidak melayani di mal ini."), code="agency_not_in_mall", field="agency")
    return agency


@transaction.atomic
def complaint_file(*, mall: Mall, category: str, description: str, service_date: date,
                   agency: Agency | None = None, service: Service | None = None, counter: Counter | None = None,
                   officer=None, related_type: str = "", related_code: str = "", related_reference: str = "",
                   complainant=None, filed_by=None, anonymous: bool = False, confidential: bool = False,
                   contact: str = "", amount_demanded: int | None = None, channel: str = Complaint.Channel.WEB,
                   today: date | None = None) -> Complaint:
    today = today or mall_today(mall)
    description = (description or "").strip()
    if category not in Complaint.Category.values:
        raise DomainError(_("Pilih kategori pengaduan."), code="category_invalid", field="category")
    if len(description) < MIN_DESCRIPTION:
        raise DomainError(
            _("Uraian terlalu pendek: tulis paling sedikit %(n)d karakter tentang apa yang terjadi.")
            % {"n": MIN_DESCRIPTION}, code="description_too_short", field="description")
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(_("Uraian terlalu panjang (maksimal %(n)d karakter).") % {"n": MAX_DESCRIPTION},
                          code="description_too_long", field="description")
    cfg = complaint_settings(mall)
    if service_date > today:
        raise DomainError(_("Tanggal layanan tidak boleh di masa depan."), code="service_date_future",
                          field="service_date")
    if service_date < today - timedelta(days=cfg.accept_within_days):
        raise DomainError(
            _("Pengaduan dapat diajukan paling lambat %(n)d hari setelah layanan (UU 25/2009 Pasal 42); layanan "
              "Anda tanggal %(d)s.") % {"n": cfg.accept_within_days, "d": service_date.strftime("%d-%m-%Y")},
            code="too_late", field="service_date")
    if category == Complaint.Category.ILLEGAL_FEE and not (related_code or counter or service or officer):
        raise DomainError(_("Untuk pengaduan pungutan liar, sebutkan layanan, loket, atau nomor transaksi yang "
                            "bersangkutan."), code="illegal_fee_needs_transaction", field="related_reference")
    if amount_demanded is not None and amount_demanded < 0:
        raise DomainError(_("Jumlah tidak boleh negatif."), code="amount_invalid", field="amount_demanded")
    if anonymous:
        complainant = None
    elif complainant is None and channel != Complaint.Channel.API:
        anonymous = True  # nobody signed in: the tracking code is the only key
    agency = _resolve_agency(mall=mall, agency=agency, service=service, counter=counter)
    closures = mall_closures(mall.id)
    ack_due = add_working_days(today, cfg.acknowledge_within_days, closures)
    complaint = Complaint.objects.create(
        mall=mall, agency=agency, service=service, counter=counter, officer=officer, related_type=related_type,
        related_code=related_code, related_reference=related_reference, category=category,
        description=description, amount_demanded=amount_demanded, service_date=service_date,
        complainant=complainant, filed_by=filed_by if getattr(filed_by, "is_authenticated", False) else None,
        anonymous=anonymous, confidential=confidential, contact=contact.strip(), tracking_code=_tracking_code(),
        channel=channel, acknowledge_due=ack_due,
        answer_due=add_working_days(ack_due, cfg.answer_within_days, closures),
    )
    _event(complaint, "filed", actor=filed_by)
    audit_record(action="complaint.file", actor=filed_by, obj=complaint, mall_id=mall.id, agency_id=agency.id,
                 subject_person=str(complainant.code) if complainant else "",
                 data={"category": category, "anonymous": anonymous, "confidential": confidential})
    _notify(complaint, "filed")
    if cfg.forward_to_lapor:
        transaction.on_commit(lambda: _schedule_forward(complaint.pk))
    return complaint


def _schedule_forward(complaint_id: int) -> None:
    from satupintu.complaints.tasks import forward_complaint

    forward_complaint.enqueue(complaint_id)


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def complaint_acknowledge(*, complaint: Complaint, by, note: str = "") -> Complaint:
    complaint = _lock(complaint)
    if complaint.status != Complaint.Status.RECEIVED:
        raise DomainError(_("Pengaduan ini sudah ditanggapi."), code="already_acknowledged")
    complaint.status = Complaint.Status.ACKNOWLEDGED
    complaint.acknowledged_at = timezone.now()
    complaint.save(update_fields=["status", "acknowledged_at", "updated_at"])
    _event(complaint, "acknowledged", actor=by, note=note.strip())
    audit_record(action="complaint.acknowledge", actor=by, obj=complaint, mall_id=complaint.mall_id,
                 agency_id=complaint.agency_id)
    _notify(complaint, "acknowledged")
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, by, answer: str) -> Complaint:
    complaint = _lock(complaint)
    answer = (answer or "").strip()
    if complaint.status not in (Complaint.Status.RECEIVED, Complaint.Status.ACKNOWLEDGED):
        raise DomainError(_("Pengaduan ini sudah dijawab."), code="already_answered")
    if len(answer) < MIN_DESCRIPTION:
        raise DomainError(_("Jawaban terlalu pendek: jelaskan tindak lanjutnya (paling sedikit %(n)d karakter).")
                          % {"n": MIN_DESCRIPTION}, code="answer_too_short", field="answer")
    now = timezone.now()
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at = now
    complaint.status = Complaint.Status.ANSWERED
    complaint.answer = answer
    complaint.answered_at = now
    complaint.answered_by = by
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by", "acknowledged_at", "updated_at"])
    _event(complaint, "answered", actor=by, note=answer)
    audit_record(action="complaint.answer", actor=by, obj=complaint, mall_id=complaint.mall_id,
                 agency_id=complaint.agency_id)
    _notify(complaint, "answered")
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "", by=None) -> Complaint:
    complaint = _lock(complaint)
    if complaint.status != Complaint.Status.ANSWERED:
        raise DomainError(_("Jawaban dapat dinilai setelah instansi menjawab, dan hanya sekali."),
                          code="cannot_rate_now")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Pilih nilai 1 sampai 5."), code="rating_invalid", field="rating")
    complaint.rating = rating
    complaint.rating_comment = (comment or "").strip()[:2000]
    complaint.status = Complaint.Status.CLOSED
    complaint.save(update_fields=["rating", "rating_comment", "status", "updated_at"])
    _event(complaint, "rated", actor=by, note=f"{rating}/5")
    audit_record(action="complaint.rate", actor=by, obj=complaint, mall_id=complaint.mall_id,
                 agency_id=complaint.agency_id, data={"rating": rating})
    return complaint


def complaint_escalate_overdue(*, today: date | None = None) -> list[Complaint]:
    """Escalate (once) complaints past a deadline to the mall's managers."""
    from satupintu.identity.models import Membership, Role
    from satupintu.notifications.services import notification_enqueue_for_user

    overdue = Complaint.objects.filter(escalated_at__isnull=True).filter(
        status__in=[Complaint.Status.RECEIVED, Complaint.Status.ACKNOWLEDGED]
    ).select_related("mall", "agency")
    escalated = []
    for complaint in overdue:
        day = today or mall_today(complaint.mall)
        late_ack = complaint.status == Complaint.Status.RECEIVED and complaint.acknowledge_due < day
        late_answer = complaint.answer_due < day
        if not (late_ack or late_answer):
            continue
        with transaction.atomic():
            locked = _lock(complaint)
            if locked.escalated_at is not None:
                continue
            locked.escalated_at = timezone.now()
            locked.save(update_fields=["escalated_at", "updated_at"])
            reason = "acknowledge_overdue" if late_ack else "answer_overdue"
            _event(locked, "escalated", note=reason, public=False)
            audit_record(action="complaint.escalate", obj=locked, mall_id=locked.mall_id,
                         agency_id=locked.agency_id, data={"reason": reason})
            managers = Membership.objects.filter(mall=locked.mall, role=Role.MALL_MANAGER,
                                                 is_active=True).select_related("user")
            for membership in managers:
                notification_enqueue_for_user(
                    user=membership.user, template="complaint.status_changed",
                    context={"tracking_code": locked.tracking_code, "status": locked.status, "event": "escalated",
                             "agency": str(locked.agency)},
                    mall=locked.mall, related=locked,
                    dedupe_key=f"complaint:{locked.code}:escalated:{membership.user_id}",
                )
            escalated.append(locked)
    return escalated


def complaint_forward(*, complaint_id: int, client=None) -> Complaint:
    """Forward to SP4N-LAPOR! (idempotent: the tracking code is the provider's key)."""
    from satupintu.integrations.lapor.client import ComplaintPayload, LaporError, get_client

    client = client or get_client()
    complaint = Complaint.objects.select_related("mall__region", "agency").get(pk=complaint_id)
    if complaint.lapor_id:
        return complaint
    payload = ComplaintPayload(
        reference=complaint.tracking_code, category=complaint.category,
        title=f"{complaint.get_category_display()} — {complaint.agency.name}"[:200],
        body=complaint.description, agency_name=complaint.agency.name, region_code=complaint.mall.region.code,
        service_date=complaint.service_date.isoformat(), anonymous=complaint.anonymous,
        confidential=complaint.confidential,
    )
    try:
        result = client.forward(payload)
    except LaporError as exc:
        kind = "retryable" if exc.retryable else "permanent"
        Complaint.objects.filter(pk=complaint.pk).update(lapor_error=f"{kind}: {exc}")
        raise
    with transaction.atomic():
        complaint = _lock(complaint)
        complaint.lapor_id = result.lapor_id
        complaint.lapor_status = result.status
        complaint.lapor_synced_at = timezone.now()
        complaint.lapor_error = ""
        complaint.save(update_fields=["lapor_id", "lapor_status", "lapor_synced_at", "lapor_error", "updated_at"])
        _event(complaint, "forwarded_lapor", note=result.lapor_id)
    return complaint


def complaint_sync_lapor(*, complaint: Complaint, client=None) -> Complaint:
    from satupintu.integrations.lapor.client import get_client

    client = client or get_client()
    if not complaint.lapor_id:
        return complaint
    result = client.status(complaint.lapor_id)
    with transaction.atomic():
        locked = _lock(complaint)
        if result.status != locked.lapor_status:
            locked.lapor_status = result.status
            _event(locked, "lapor_status", note=result.status)
        locked.lapor_synced_at = timezone.now()
        locked.save(update_fields=["lapor_status", "lapor_synced_at", "updated_at"])
    return locked
