"""Queue pages: public places, booking, kiosk, ticket, counter console, display board."""

from __future__ import annotations

from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.catalogue.models import Service
from satupintu.core.errors import DomainError, NotFound
from satupintu.identity.access import is_officer, memberships, person_of
from satupintu.queue import selectors, services
from satupintu.queue.estimate import plan_estimate, ticket_estimate
from satupintu.queue.models import Booking, Ticket


def not_found_as_404(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


def _officer_mall(request, mall):
    """Kiosks run on a device signed in by mall staff in the morning (any role in that mall):
    otherwise anyone could drain today's walk-in places from home."""
    if not is_officer(request.user) or not memberships(request.user).filter(mall=mall).exists():
        raise NotFound()


# --- public: places, booking ---------------------------------------------------------------

@not_found_as_404
def mall_queue(request, mall):
    mall = selectors.mall_get(mall)
    groups = mall.queue_groups.prefetch_related("services").order_by("letter")
    return render(request, "queue/mall.html", {"mall": mall, "groups": groups})


@not_found_as_404
def places(request, mall, service):
    mall = selectors.mall_get(mall)
    service = selectors.queued_service_get(mall, service)
    days = selectors.places(mall=mall, group=services.group_for_service(service))
    template = "queue/_places.html" if request.headers.get("HX-Request") else "queue/places.html"
    return render(request, template, {"mall": mall, "service": service, "days": days})


def places_json(request, mall, service):
    """A light JSON for screens and partners (no login)."""
    try:
        mall_obj = selectors.mall_get(mall)
        svc = selectors.queued_service_get(mall_obj, service)
    except NotFound as exc:
        raise Http404 from exc
    return JsonResponse({"mall": mall_obj.slug, "service": svc.public_code,
                         "days": selectors.places(mall=mall_obj, group=services.group_for_service(svc))})


@require_POST
@login_required
@not_found_as_404
def book(request, mall, service):
    mall = selectors.mall_get(mall)
    service = selectors.queued_service_get(mall, service)
    person = person_of(request.user)
    try:
        if person is None:
            raise DomainError(_("Akun Anda belum terhubung dengan NIK. Lengkapi data diri dulu."), code="no_person")
        quota = selectors.quota_get(request.POST.get("session") or "00000000-0000-0000-0000-000000000000")
        booking = services.booking_create(person=person, service=service, quota=quota, by=request.user)
    except DomainError as exc:
        days = selectors.places(mall=mall, group=services.group_for_service(service))
        return render(request, "queue/places.html", {"mall": mall, "service": service, "days": days,
                                                     "error": exc.message}, status=exc.status)
    messages.success(request, _("Pemesanan berhasil. Simpan kode QR atau kode singkat Anda."))
    return redirect("queue:booking", code=booking.code)


@login_required
def my_bookings(request):
    from satupintu.identity.access import persons_actor_may_act_for

    bookings = selectors.person_bookings(persons_actor_may_act_for(request.user))
    return render(request, "queue/my_bookings.html", {"bookings": bookings})


@login_required
@not_found_as_404
def booking_detail(request, code):
    booking = selectors.booking_for_user(request.user, code)
    qr = segno.make(services.booking_token(booking), error="m").svg_inline(scale=5, title=_("Kode QR pemesanan"))
    other = [q for d in selectors.places(mall=booking.mall, group=booking.quota.group, start=booking.date, days=1)
             for q in d["sessions"] if q["code"] != str(booking.quota.code) and q["state"] == "open"]
    return render(request, "queue/booking.html", {"booking": booking, "qr": qr, "other_sessions": other,
                                                  "active": booking.status == Booking.Status.BOOKED})


@require_POST
@login_required
@not_found_as_404
def booking_action(request, code, action):
    if action not in ("batal", "ubah"):
        raise Http404
    booking = selectors.booking_for_user(request.user, code)
    try:
        if action == "batal":
            services.booking_cancel(booking=booking, by=request.user)
            messages.success(request, _("Pemesanan dibatalkan; tempatnya kembali tersedia untuk orang lain."))
        else:
            quota = selectors.quota_get(request.POST.get("session") or "00000000-0000-0000-0000-000000000000")
            services.booking_reschedule(booking=booking, quota=quota, by=request.user)
            messages.success(request, _("Jadwal pemesanan diubah."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("queue:booking", code=booking.code)


# --- ticket ---------------------------------------------------------------------------------

def _fee(service: Service) -> str:
    """The official fee from the catalogue, or GRATIS; unknown fees are not invented."""
    from satupintu.catalogue.templatetags.catalogue_tags import rupiah

    amounts = [f.get("amount") for f in service.fees]
    if service.is_free or (amounts and all(a == 0 for a in amounts)):
        return _("GRATIS")
    if not service.fees:
        return _("Biaya: tanyakan di loket")
    parts = [f"{f.get('label') or ''} {rupiah(f['amount']) if f.get('amount') is not None else f.get('text', '')}"
             .strip() for f in service.fees]
    return "; ".join(p for p in parts if p)


@not_found_as_404
def ticket(request, code):
    ticket = selectors.ticket_get(code)
    plan = list(ticket.plan.tickets.select_related("service").order_by("plan_order")) if ticket.plan_id else []
    ctx = {"ticket": ticket, "estimate": ticket_estimate(ticket), "fee": _fee(ticket.service),
           "plan": plan, "plan_estimate": plan_estimate(plan) if plan else None,
           "paper": "58" if request.GET.get("kertas") == "58" else "80",
           "qr": segno.make(request.build_absolute_uri(reverse("queue:ticket", args=[ticket.code])))
           .svg_inline(scale=2, title=_("Pantau antrean"))}
    if ticket.status == Ticket.Status.DONE:
        from satupintu.survey.offer import survey_url_of

        ctx["survey_url"] = survey_url_of(related_type="ticket", related_code=str(ticket.code))
    template = "queue/_ticket_status.html" if request.headers.get("HX-Request") else "queue/ticket.html"
    return render(request, template, ctx)


# --- kiosk ----------------------------------------------------------------------------------

@login_required
@not_found_as_404
def kiosk(request, mall):
    mall = selectors.mall_get(mall)
    _officer_mall(request, mall)
    groups = mall.queue_groups.prefetch_related("services").order_by("letter")
    return render(request, "queue/kiosk.html", {"mall": mall, "groups": groups, "error": None})


@require_POST
@login_required
@not_found_as_404
def kiosk_action(request, mall, action):
    if action not in ("checkin", "ambil"):
        raise Http404
    mall = selectors.mall_get(mall)
    _officer_mall(request, mall)
    try:
        if action == "checkin":
            ticket = services.booking_checkin(mall=mall, scan=request.POST.get("code", ""), by=request.user)
        else:
            codes = request.POST.getlist("service")
            chosen = [selectors.queued_service_get(mall, c) for c in codes]
            plan = services.visit_plan_create(mall=mall, services=chosen, by=request.user,
                                              priority_reason=request.POST.get("priority", ""),
                                              contact_phone=request.POST.get("phone", "")[:30])
            ticket = plan.tickets.order_by("plan_order").first()
    except DomainError as exc:
        groups = mall.queue_groups.prefetch_related("services").order_by("letter")
        return render(request, "queue/kiosk.html", {"mall": mall, "groups": groups, "error": exc.message,
                                                    "action": action}, status=exc.status)
    return redirect(f"{reverse('queue:ticket', args=[ticket.code])}?kios={mall.slug}")


# --- counter console -----------------------------------------------------------------------

@login_required
def counters(request):
    if not is_officer(request.user):
        raise Http404
    return render(request, "queue/counters.html", {"counters": selectors.counters_for_officer(request.user)})


def _console_context(counter):
    day = services.mall_today(counter.mall)
    from satupintu.queue.ordering import waiting_for_counter

    waiting = list(waiting_for_counter(counter, day=day).select_related("service")[:50])
    targets = Service.objects.filter(mall=counter.mall, queue_groups__isnull=False).select_related("agency") \
        .order_by("agency__name", "name")
    return {"counter": counter, "current": services.counter_current_ticket(counter), "waiting": waiting,
            "targets": targets, "other_counters": counter.mall.counters.exclude(pk=counter.pk).order_by("number"),
            "outcomes": Ticket.Outcome.choices}


@login_required
@not_found_as_404
def counter(request, code):
    counter = selectors.counter_for_officer(request.user, code)
    template = "queue/_console.html" if request.headers.get("HX-Request") else "queue/counter.html"
    return render(request, template, _console_context(counter))


@require_POST
@login_required
@not_found_as_404
def counter_action(request, code, action):
    counter = selectors.counter_for_officer(request.user, code)
    user = request.user
    try:
        current = services.counter_current_ticket(counter)
        if action == "masuk":
            services.counter_sign_in(counter=counter, officer=user)
        elif action == "keluar":
            services.counter_sign_out(counter=counter, officer=user)
        elif action == "panggil":
            if services.ticket_call_next(counter=counter, by=user) is None:
                messages.info(request, _("Tidak ada yang menunggu untuk loket ini."))
        elif current is None:
            raise DomainError(_("Belum ada tiket yang dipanggil di loket ini."), code="no_current")
        elif action == "ulang":
            services.ticket_recall(ticket=current, by=user)
        elif action == "layani":
            services.ticket_serve(ticket=current, by=user)
        elif action == "lewati":
            services.ticket_skip(ticket=current, by=user)
        elif action == "selesai":
            services.ticket_finish(ticket=current, by=user, outcome=request.POST.get("outcome", "completed"),
                                   related_type=request.POST.get("related_type", ""),
                                   related_code=request.POST.get("related_code", "").strip())
        elif action == "alihkan":
            to_service = Service.objects.filter(mall=counter.mall, public_code=request.POST.get("to_service")).first()
            to_counter = counter.mall.counters.filter(number=request.POST.get("to_counter") or None).first()
            services.ticket_transfer(ticket=current, by=user, to_service=to_service, to_counter=to_counter)
        else:
            raise NotFound()
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("queue:counter", code=counter.code)


# --- display board --------------------------------------------------------------------------

@not_found_as_404
def board(request, mall):
    mall = selectors.mall_get(mall)
    zone = request.GET.get("zona", "")[:60]
    return render(request, "queue/board.html", {"mall": mall, "zone": zone,
                                                "data": selectors.board(mall=mall, zone=zone)})


def board_json(request, mall):
    try:
        mall_obj = selectors.mall_get(mall)
    except NotFound as exc:
        raise Http404 from exc
    response = JsonResponse(selectors.board(mall=mall_obj, zone=request.GET.get("zona", "")[:60]))
    response["Cache-Control"] = "no-store"
    return response
