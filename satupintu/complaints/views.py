from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.catalogue.models import Mall
from satupintu.complaints import selectors
from satupintu.complaints.access import (
    ANSWER_ROLES,
    access_complaint_by_tracking,
    access_complaint_for_officer,
    complainant_visible_to,
)
from satupintu.complaints.forms import AnswerForm, ComplaintForm, RatingForm, TrackForm
from satupintu.complaints.links import resolve_link
from satupintu.complaints.models import Complaint
from satupintu.complaints.services import complaint_acknowledge, complaint_answer, complaint_file, complaint_rate
from satupintu.core.calendar import mall_today
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.views import not_found
from satupintu.identity.access import is_officer, person_of


def _apply_domain_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def complaint_new(request, mall):
    mall_obj = Mall.objects.filter(slug=mall).first()
    if mall_obj is None:
        return not_found(request)
    link = resolve_link(request.user, request.GET.get("jenis", ""), request.GET.get("kode", ""))
    if link is not None and link.mall.id != mall_obj.id:
        link = None
    today = mall_today(mall_obj)
    initial = {"service_date": today}
    if link:
        initial.update({"agency": link.agency, "service": link.service, "related_reference": link.reference,
                        "service_date": link.service_date or today})
    person = person_of(request.user)
    form = ComplaintForm(request.POST or None, mall=mall_obj, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = complaint_file(
                mall=mall_obj, agency=data["agency"], service=data["service"], category=data["category"],
                description=data["description"], service_date=data["service_date"],
                related_reference=data["related_reference"], amount_demanded=data["amount_demanded"],
                related_type=link.type if link else "", related_code=link.code if link else "",
                counter=link.counter if link else None, officer=link.officer if link else None,
                complainant=None if data["anonymous"] else person, anonymous=data["anonymous"] or person is None,
                confidential=data["confidential"], contact=data["contact"], filed_by=request.user,
                channel=Complaint.Channel.OFFICER if is_officer(request.user) else Complaint.Channel.WEB,
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, _("Pengaduan Anda diterima. Simpan kode lacak %(code)s untuk mengikuti "
                                        "perkembangannya.") % {"code": complaint.tracking_code})
            return redirect("complaints:status", tracking=complaint.tracking_code)
    return render(request, "complaints/new.html", {"form": form, "mall": mall_obj, "link": link, "person": person})


def complaint_track(request):
    form = TrackForm(request.GET or None)
    if request.GET and form.is_valid():
        try:
            complaint = access_complaint_by_tracking(form.cleaned_data["kode"])
        except NotFound:
            form.add_error("kode", _("Kode lacak tidak ditemukan. Periksa lagi huruf dan angkanya."))
        else:
            return redirect("complaints:status", tracking=complaint.tracking_code)
    return render(request, "complaints/track.html", {"form": form})


def complaint_status(request, tracking):
    try:
        complaint = access_complaint_by_tracking(tracking)
    except NotFound:
        return not_found(request)
    return render(request, "complaints/status.html", {
        "complaint": complaint, "events": selectors.public_events(complaint), "rating_form": RatingForm(),
    })


@require_POST
def complaint_rate_view(request, tracking):
    try:
        complaint = access_complaint_by_tracking(tracking)
    except NotFound:
        return not_found(request)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            complaint_rate(complaint=complaint, rating=form.cleaned_data["rating"],
                           comment=form.cleaned_data["comment"], by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Terima kasih, penilaian Anda tersimpan."))
        return redirect("complaints:status", tracking=complaint.tracking_code)
    return render(request, "complaints/status.html", {
        "complaint": complaint, "events": selectors.public_events(complaint), "rating_form": form,
    }, status=400)


def _officer_only(request):
    return request.user.is_authenticated and is_officer(request.user)


@login_required
def officer_inbox(request):
    if not _officer_only(request):
        return not_found(request)
    status = request.GET.get("status") or None
    if status not in (None, *Complaint.Status.values):
        status = None
    complaints = selectors.complaints_for_officer(request.user, status=status)[:200]
    return render(request, "complaints/officer_inbox.html", {
        "complaints": complaints, "status": status, "statuses": Complaint.Status.choices,
        "today": timezone.localdate(timezone=ZoneInfo(settings.DEFAULT_MALL_TIMEZONE)),
    })


@login_required
def officer_detail(request, code):
    try:
        complaint = access_complaint_for_officer(request.user, code)
    except (NotFound, ValueError):
        return not_found(request)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            access_complaint_for_officer(request.user, code, roles=ANSWER_ROLES)
            if action == "acknowledge":
                complaint_acknowledge(complaint=complaint, by=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("Pengaduan ditandai sedang ditindaklanjuti."))
                return redirect("complaints:officer_detail", code=complaint.code)
            if action == "answer" and form.is_valid():
                complaint_answer(complaint=complaint, by=request.user, answer=form.cleaned_data["answer"])
                messages.success(request, _("Jawaban terkirim ke pelapor."))
                return redirect("complaints:officer_detail", code=complaint.code)
        except NotFound:
            return not_found(request)
        except DomainError as exc:
            _apply_domain_error(form, exc)
    return render(request, "complaints/officer_detail.html", {
        "complaint": complaint, "form": form, "events": complaint.events.all(),
        "show_identity": complainant_visible_to(complaint, request.user),
    })


def mall_pick(request):
    malls = Mall.objects.order_by("name")
    if malls.count() == 1:
        return redirect(reverse("complaints:new", args=[malls.first().slug]))
    return render(request, "complaints/pick_mall.html", {"malls": malls})
