"""Officer screens: sign-in with TOTP, the officer's home, officer management, looking up a
citizen at the counter and acting for them (assisted digital)."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from satupintu.catalogue.models import Agency, Mall
from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError, NotFound
from satupintu.identity import officer_services as svc
from satupintu.identity.access import (
    AGENCY_ROLES,
    access_active_mandates,
    access_membership,
    access_person,
    agency_scope,
    is_officer,
    memberships,
)
from satupintu.identity.models import Mandate, Membership, Person, Role
from satupintu.identity.officer_forms import (
    AssistedMandateForm,
    OfficerCreateForm,
    OfficerLoginForm,
    PersonLookupForm,
    TokenForm,
)

LOOKUP_SALT = "satupintu.officer.person-lookup"
LOOKUP_MAX_AGE = 15 * 60
MANAGER_ROLES = {Role.AGENCY_ADMIN, Role.MALL_MANAGER}


def _next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default or reverse("identity:officer_home")


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def officer_required(view):
    """Signed in as an officer with a verified second factor; anyone else goes to sign-in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not is_officer(user) or not user.is_verified():
            return redirect(f"{reverse('identity:officer_login')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- sign-in

@never_cache
def officer_login(request):
    form = OfficerLoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        return redirect(f"{reverse('identity:officer_verify')}?{urlencode({'next': _next(request)})}")
    return render(request, "identity/officer/login.html", {"form": form, "next": _next(request, "")})


def _pending_officer(request):
    user = request.user
    if not is_officer(user):
        return None
    return user


@never_cache
def officer_verify(request):
    user = _pending_officer(request)
    if user is None:
        return redirect("identity:officer_login")
    device = svc.totp_confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('identity:officer_enrol')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            wait = (why or {}).get("locked_until")
            seconds = max(1, int((wait - timezone.now()).total_seconds())) if wait else 60
            form.add_error("token", _("Terlalu banyak kode salah. Coba lagi dalam %(s)s detik.") % {"s": seconds})
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            audit_record(action="auth.otp_success", actor=user, obj=user, ip=_ip(request))
            return redirect(_next(request))
        else:
            audit_record(action="auth.otp_failure", actor=user, obj=user, ip=_ip(request))
            form.add_error("token", _("Kode salah atau sudah kedaluwarsa. Masukkan kode yang sedang tampil "
                                      "di aplikasi autentikator (berganti tiap 30 detik)."))
    return render(request, "identity/officer/verify.html", {"form": form, "next": _next(request, "")})


@never_cache
def officer_enrol(request):
    user = _pending_officer(request)
    if user is None:
        return redirect("identity:officer_login")
    if svc.totp_confirmed_device(user):
        return redirect(f"{reverse('identity:officer_verify')}?{urlencode({'next': _next(request)})}")
    device = svc.totp_enrolment_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = svc.totp_enrolment_confirm(user=user, device=device, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", str(exc.message))
        else:
            otp_login(request, device)
            messages.success(request, _("Autentikasi dua langkah aktif. Mulai sekarang, setiap kali masuk Anda "
                                        "memasukkan kode dari aplikasi autentikator."))
            return redirect(_next(request))
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_inline(scale=4, title=_("Kode QR untuk aplikasi autentikator"))
    secret = _base32(device.bin_key)
    return render(request, "identity/officer/enrol.html",
                  {"form": form, "qr_svg": qr, "secret": secret, "next": _next(request, "")})


def _base32(key: bytes) -> str:
    import base64

    raw = base64.b32encode(key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes lockout page: says plainly when the officer can try again."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request) or timedelta(minutes=15)
    until = timezone.localtime(timezone.now() + cool_off, timezone=_tz())
    minutes = max(1, int(cool_off.total_seconds() // 60))
    return render(request, "identity/officer/locked.html",
                  {"minutes": minutes, "until": until.strftime("%H.%M")}, status=429)


def _tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.DEFAULT_MALL_TIMEZONE)


# --------------------------------------------------------------------------- officer home

@officer_required
def officer_home(request):
    user = request.user
    my = memberships(user).select_related("mall", "agency").order_by("mall__name", "agency__name")
    mandates = (Mandate.objects.filter(agency_scope(user, AGENCY_ROLES | {Role.MALL_MANAGER, Role.AUDITOR}))
                .filter(basis=Mandate.Basis.ASSISTED_DIGITAL)
                .select_related("agency", "actor").order_by("-created_at")[:50])
    return render(request, "identity/officer/home.html", {
        "memberships": my, "mandates": mandates,
        "can_lookup": memberships(user, AGENCY_ROLES).exists(),
        "can_manage": memberships(user, MANAGER_ROLES).exists(),
    })


# --------------------------------------------------------------------------- officer management

def _target_key(mall: Mall, agency: Agency | None) -> str:
    return f"{mall.code}:{agency.code if agency else ''}"


def _target_label(mall: Mall, agency: Agency | None) -> str:
    return f"{mall.name} — {agency.name}" if agency else f"{mall.name} — {_('tingkat mal')}"


@officer_required
def officer_staff(request):
    user = request.user
    if not memberships(user, MANAGER_ROLES | {Role.AUDITOR}).exists():
        raise Http404()
    targets = svc.manageable_targets(user)
    by_key = {_target_key(m, a): (m, a) for m, a in targets}
    form = OfficerCreateForm(request.POST or None, targets=[(k, _target_label(*v)) for k, v in by_key.items()])
    created = None
    if request.method == "POST" and form.is_valid():
        mall, agency = by_key[form.cleaned_data["membership"]]
        try:
            officer, password = svc.officer_create(by=user, email=form.cleaned_data["email"],
                                                   full_name=form.cleaned_data["full_name"], mall=mall,
                                                   agency=agency, role=form.cleaned_data["role"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            created = {"officer": officer, "password": password}
            form = OfficerCreateForm(targets=[(k, _target_label(*v)) for k, v in by_key.items()])
    rows = (Membership.objects.filter(agency_scope(user, MANAGER_ROLES | {Role.AUDITOR}))
            .select_related("user", "agency", "mall").order_by("agency__name", "user__full_name"))
    return render(request, "identity/officer/staff.html", {
        "form": form if targets else None, "rows": rows, "created": created,
        "can_revoke": memberships(user, MANAGER_ROLES).exists()})


@officer_required
@require_POST
def officer_membership_revoke(request, code):
    try:
        membership = access_membership(request.user, code, roles=MANAGER_ROLES)
        svc.membership_revoke(by=request.user, membership=membership)
    except NotFound:
        raise Http404()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Peran %(role)s untuk %(name)s dicabut.") % {
            "role": membership.get_role_display(), "name": membership.user.full_name})
    return redirect("identity:officer_staff")


@officer_required
@require_POST
def officer_totp_reset(request, code):
    """Lost phone: an administrator of the officer's agency (or the mall manager) removes their
    authenticator; the officer enrols a new one at next sign-in."""
    try:
        membership = access_membership(request.user, code, roles=MANAGER_ROLES)
        if membership.user_id == request.user.pk:
            raise NotFound()
    except NotFound:
        raise Http404()
    svc.totp_reset(by=request.user, user=membership.user)
    messages.success(request, _("Autentikator %(name)s diatur ulang. Saat masuk berikutnya, petugas memasang "
                                "autentikator baru.") % {"name": membership.user.full_name})
    return redirect("identity:officer_staff")


# --------------------------------------------------------------------------- citizens at the counter

def _lookup_memberships(user) -> list[tuple[str, str]]:
    return [(str(m.code), f"{m.get_role_display()} — {m.agency.name} ({m.mall.name})")
            for m in memberships(user, AGENCY_ROLES).select_related("agency", "mall")]


@officer_required
def officer_person_lookup(request):
    user = request.user
    choices = _lookup_memberships(user)
    if not choices:
        raise Http404()
    form = PersonLookupForm(request.POST or None, memberships=choices)
    if request.method == "POST" and form.is_valid():
        membership = memberships(user, AGENCY_ROLES).get(code=form.cleaned_data["membership"])
        try:
            person = svc.officer_person_lookup(officer=user, membership=membership, nik=form.cleaned_data["nik"],
                                               purpose=form.cleaned_data["purpose"], ip=_ip(request))
        except DomainError as exc:
            form.add_error("nik" if exc.status == 404 else exc.field, str(exc.message))
        else:
            ticket = signing.dumps({"p": str(person.code), "u": user.pk, "m": str(membership.code)}, salt=LOOKUP_SALT)
            return render(request, "identity/officer/person.html", {
                "person": person, "membership": membership, "purpose": form.cleaned_data["purpose"],
                "mandate_form": AssistedMandateForm(initial={"ticket": ticket}),
                "mandates": person.mandates_given.filter(Q(agency=membership.agency)).order_by("-created_at")[:10],
            })
    return render(request, "identity/officer/lookup.html", {"form": form})


@officer_required
@require_POST
def officer_mandate_create(request):
    user = request.user
    form = AssistedMandateForm(request.POST)
    try:
        ticket = signing.loads(request.POST.get("ticket", ""), salt=LOOKUP_SALT, max_age=LOOKUP_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("Data warga sudah terlalu lama dibuka. Cari warga itu lagi dengan NIK-nya."))
        return redirect("identity:officer_person_lookup")
    if ticket.get("u") != user.pk:
        raise Http404()
    membership = memberships(user, AGENCY_ROLES).filter(code=ticket["m"]).first()
    person = Person.objects.filter(code=ticket["p"]).first()
    if membership is None or person is None:
        raise Http404()
    if not form.is_valid():
        return render(request, "identity/officer/person.html", {
            "person": person, "membership": membership, "mandate_form": form, "mandates": []}, status=400)
    mandate = svc.mandate_assisted_create(officer=user, membership=membership, person=person,
                                          evidence=form.cleaned_data["evidence"])
    messages.success(request, _("Mandat bantuan dicatat. Anda dapat bertindak atas nama %(name)s sampai %(until)s; "
                                "setiap tindakan mencatat nama Anda dan nama warga.") % {
        "name": person.full_name,
        "until": timezone.localtime(mandate.valid_until, _tz()).strftime("%H.%M")})
    return redirect("identity:officer_person", code=person.code)


@officer_required
def officer_person(request, code):
    """A citizen's record, for an officer whose agency holds an active mandate for them. Every
    opening is a read of personal data, recorded under the membership that gives access."""
    user = request.user
    try:
        person = access_person(user, code)
    except NotFound:
        raise Http404()
    in_scope = (access_active_mandates().filter(subject=person).filter(agency_scope(user, AGENCY_ROLES))
                .order_by("-created_at"))
    own_mandate = in_scope.filter(actor=user).first()
    basis = own_mandate or in_scope.first()
    membership = memberships(user, AGENCY_ROLES).get(agency_id=basis.agency_id, mall_id=basis.mall_id)
    svc.officer_person_read_record(officer=user, person=person, membership=membership,
                                   purpose=_("Melayani warga dengan mandat bantuan"), ip=_ip(request))
    return render(request, "identity/officer/person.html", {
        "person": person, "membership": membership, "active_mandate": own_mandate, "mandate_form": None,
        "mandates": person.mandates_given.filter(agency_id=membership.agency_id).order_by("-created_at")[:10]})


@officer_required
@require_POST
def officer_mandate_revoke(request, code):
    from satupintu.identity.access import access_mandate

    try:
        mandate = access_mandate(request.user, code)
    except NotFound:
        raise Http404()
    if mandate.actor_id != request.user.pk and not memberships(request.user, MANAGER_ROLES).exists():
        raise Http404()
    svc.mandate_revoke(by=request.user, mandate=mandate)
    messages.success(request, _("Mandat dicabut."))
    return redirect("identity:officer_home")
