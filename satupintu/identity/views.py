"""Citizen pages: sign up, confirm the code, log in, reset the password, family, "Data saya", privacy
notice. Each view parses, calls a service, and answers (house style 3)."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satupintu.core.errors import DomainError
from satupintu.identity import selectors, services
from satupintu.identity.forms import (
    CodeForm,
    CorrectionForm,
    KKConsentForm,
    LoginForm,
    ResetConfirmForm,
    ResetStartForm,
    SignupForm,
    add_domain_error,
)
from satupintu.identity.models import Consent, OneTimeCode, User

BACKEND = "satupintu.identity.backends.LoginBackend"
CHANNEL_LABELS = {"sms": "SMS", "whatsapp": "WhatsApp", "email": "e-mail"}


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def citizen_required(view):
    """A signed-in user with a person record; others go to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = selectors.person_for_user(request.user)
        if person is None:
            return redirect(f"{reverse('identity:login')}?next={request.path}")
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- sign-up

def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.signup_start(
                nik=d["nik"], full_name=d["full_name"], birth_date=d["birth_date"], phone=d["phone"],
                email=d["email"], channel=d["channel"], password=d["password"], consent=d["consent"],
                ip=client_ip(request), language=get_language() or "id")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("identity:signup_next", reference=result.reference)
    return render(request, "identity/signup.html", {"form": form}, status=400 if form.errors else 200)


def signup_next(request, reference):
    """Where a sign-up stands: enter the code, wait for the registry, or recover an existing account."""
    otc = OneTimeCode.objects.filter(code=reference, purpose=OneTimeCode.Purpose.SIGNUP).first()
    if otc is None:
        raise Http404
    state = otc.payload.get("state")
    if state == "registry_pending":
        return render(request, "identity/signup_pending.html", {"reference": reference}, status=503)
    if state == "account_exists":
        return render(request, "identity/signup_account_exists.html", {})
    if state != "code_sent":
        messages.info(request, _("Pendaftaran ini sudah selesai atau berakhir. Silakan masuk atau daftar lagi."))
        return redirect("identity:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.signup_confirm(reference=reference, code=form.cleaned_data["code"], ip=client_ip(request))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            auth_login(request, user, backend=BACKEND)
            services.login_succeeded(user=user, ip=client_ip(request), via="signup")
            messages.success(request, _("Akun Anda sudah dibuat dan Anda sudah masuk."))
            return redirect("identity:account")
    return render(request, "identity/code.html", {"form": form, "otc": otc, "reference": reference,
                                                  "destination": services.destination_masked(otc),
                                                  "channel": CHANNEL_LABELS.get(otc.channel, otc.channel),
                                                  "resend_url": reverse("identity:signup_resend", args=[reference])},
                  status=400 if form.errors else 200)


@require_POST
def signup_resume(request, reference):
    try:
        services.signup_resume(reference=reference)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("identity:signup_next", reference=reference)


@require_POST
def signup_resend(request, reference):
    return _resend(request, reference, OneTimeCode.Purpose.SIGNUP, "identity:signup_next")


def _resend(request, reference, purpose, next_name):
    try:
        services.code_resend(reference=reference, purpose=purpose, ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Kode baru sudah dikirim. Kode lama tidak berlaku lagi."))
    return redirect(next_name, reference=reference)


# --------------------------------------------------------------------------- login, logout, reset

def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        identifier, ip = form.cleaned_data["username"], client_ip(request)
        try:
            services.login_allowed(identifier=identifier, ip=ip)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            user = services.login_authenticate(request, identifier=identifier, password=form.cleaned_data["password"])
            if user is None:
                services.login_failed(identifier=identifier, ip=ip)
                form.add_error(None, _("Nomor HP/e-mail atau kata sandi salah. Periksa lagi, atau pilih 'Lupa kata "
                                       "sandi'."))
            elif user.kind == User.Kind.OFFICER and _officer_login_url():
                # officers sign in with TOTP on their own page (officer_urls.py); no half sign-in here
                return redirect(_officer_login_url())
            else:
                auth_login(request, user, backend=BACKEND)
                services.login_succeeded(user=user, ip=ip)
                default = "identity:account" if selectors.person_for_user(user) else "catalogue:home"
                return redirect(next_url or reverse(default))
    return render(request, "identity/login.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


def _officer_login_url() -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("identity:officer_login")
    except NoReverseMatch:
        return ""


def reset_start(request):
    form = ResetStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otc = services.password_reset_start(identifier=form.cleaned_data["identifier"], ip=client_ip(request),
                                                language=get_language() or "id")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("identity:reset_confirm", reference=otc.code)
    return render(request, "identity/reset_start.html", {"form": form}, status=400 if form.errors else 200)


def reset_confirm(request, reference):
    otc = OneTimeCode.objects.filter(code=reference, purpose=OneTimeCode.Purpose.RESET).first()
    if otc is None:
        raise Http404
    form = ResetConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_confirm(reference=reference, code=form.cleaned_data["code"],
                                            new_password=form.cleaned_data["password"], ip=client_ip(request))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Kata sandi sudah diganti. Silakan masuk dengan kata sandi baru."))
            return redirect("identity:login")
    return render(request, "identity/reset_confirm.html",
                  {"form": form, "otc": otc, "resend_url": reverse("identity:reset_resend", args=[reference])},
                  status=400 if form.errors else 200)


@require_POST
def reset_resend(request, reference):
    return _resend(request, reference, OneTimeCode.Purpose.RESET, "identity:reset_confirm")


# --------------------------------------------------------------------------- account, family

@citizen_required
def account(request):
    return render(request, "identity/account.html", {"person": request.person,
                                                     "mandates": selectors.family_mandates(request.user)})


@citizen_required
def family(request):
    person = request.person
    has_consent = selectors.has_consent(person, Consent.Purpose.KK_PREFILL)
    consent_form = KKConsentForm(request.POST or None) if not has_consent else None
    members, error = [], None
    if consent_form is not None and request.method == "POST" and consent_form.is_valid():
        services.consent_grant(user=request.user, purpose=Consent.Purpose.KK_PREFILL)
        return redirect("identity:family")
    if has_consent:
        try:
            members = services.family_fetch(user=request.user, ip=client_ip(request))
        except DomainError as exc:
            error = exc.message
    return render(request, "identity/family.html", {
        "person": person, "consent_form": consent_form, "members": members, "error": error,
        "mandates": selectors.family_mandates(request.user)}, status=400 if consent_form and consent_form.errors
        else 200)


@require_POST
@citizen_required
def family_add(request):
    try:
        mandate = services.family_member_add(user=request.user, key=request.POST.get("member", ""),
                                             ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s ditambahkan. Anda sekarang dapat mengurus layanan atas namanya.")
                         % {"name": mandate.subject.full_name})
    return redirect("identity:family")


@require_POST
@citizen_required
def mandate_revoke(request, code):
    try:
        services.mandate_revoke(user=request.user, mandate_code=code, ip=client_ip(request))
    except DomainError:
        raise Http404
    messages.success(request, _("Mandat dicabut."))
    return redirect("identity:my_data" if request.POST.get("back") == "data" else "identity:family")


@require_POST
@citizen_required
def consent_withdraw(request, code):
    try:
        services.consent_withdraw(user=request.user, consent_code=code)
    except DomainError:
        raise Http404
    messages.success(request, _("Persetujuan ditarik."))
    return redirect("identity:my_data")


# --------------------------------------------------------------------------- Data saya

def _my_data_context(request) -> dict:
    person = request.person
    sections = [(s, s.rows(person)) for s in selectors.data_sections()]
    return {
        "person": person, "user_account": request.user,
        "mandates": selectors.family_mandates(request.user), "mandates_given": selectors.mandates_given(person),
        "consents": selectors.consents(person), "notifications": selectors.notifications_sent(person),
        "access_log": selectors.data_access_log(person), "activity": selectors.account_activity(person),
        "corrections": person.correction_requests.order_by("-created_at"), "sections": sections,
    }


@citizen_required
def my_data(request):
    return render(request, "identity/my_data.html", _my_data_context(request))


@citizen_required
def my_data_json(request):
    services.personal_data_exported(user=request.user, fmt="json", ip=client_ip(request))
    body = json.dumps(selectors.personal_data(request.person), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-saya.json"'
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
def my_data_pdf(request):
    from weasyprint import HTML

    services.personal_data_exported(user=request.user, fmt="pdf", ip=client_ip(request))
    data = selectors.personal_data(request.person)
    html = render_to_string("identity/my_data_pdf.html",
                            {"created": data["dibuat_pada"], "sections": selectors.personal_data_titled(data)},
                            request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="data-saya.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@citizen_required
def correction(request):
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request_create(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Permintaan perbaikan sudah kami terima. Jawabannya tampil di Data saya."))
            return redirect("identity:my_data")
    return render(request, "identity/correction.html", {"form": form}, status=400 if form.errors else 200)


def privacy(request):
    return render(request, "identity/privacy.html", {})
