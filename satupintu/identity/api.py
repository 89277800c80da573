"""Citizen identity API for partner apps (Tangerang LIVE, a province portal) acting for a citizen.

Sign-up → code confirmation → a bearer token; login with phone/e-mail + password → a bearer token.
Tokens are signed (not stored), live 24 hours, and die when the password changes (docs/adr/0032).
Messages are Bahasa Indonesia; `?lang=en` gives English.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from satupintu.core.errors import DomainError
from satupintu.core.idempotency import run_idempotent
from satupintu.identity import selectors, services
from satupintu.identity.models import Consent, OneTimeCode, User

router = Router(tags=["identitas warga / citizen identity"])

TOKEN_SALT = "identity.api-token"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 60 * 60


def _password_stamp(user: User) -> str:
    return salted_hmac(TOKEN_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def token_issue(user: User, *, client: str = "") -> dict:
    token = signing.dumps({"u": str(user.code), "p": _password_stamp(user), "c": client[:60]}, salt=TOKEN_SALT)
    return {"token": token, "token_type": "Bearer", "expires_in": TOKEN_MAX_AGE}


def token_user(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(code=data.get("u"), is_active=True, kind=User.Kind.CITIZEN).first()
    if user is None or not constant_time_compare(_password_stamp(user), data.get("p", "")):
        return None
    return user


class CitizenToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --------------------------------------------------------------------------- schemas

class SignupIn(Schema):
    nik: str
    full_name: str
    birth_date: dt.date
    phone: str
    email: str = ""
    channel: str = "sms"
    password: str
    consent: bool = False


class SignupOut(Schema):
    reference: str
    state: str
    retry_after: int | None = None


class CodeIn(Schema):
    code: str


class TokenOut(Schema):
    token: str
    token_type: str
    expires_in: int


class LoginIn(Schema):
    username: str
    password: str
    client: str = ""


class ResetIn(Schema):
    identifier: str


class ResetOut(Schema):
    reference: str


class ResetConfirmIn(Schema):
    code: str
    password: str


class ProfileOut(Schema):
    code: str
    nik_masked: str
    full_name: str
    birth_date: dt.date
    sex: str
    phone: str | None
    email: str | None
    verified: bool


class MandateOut(Schema):
    code: str
    person_code: str
    full_name: str
    basis: str
    since: dt.datetime
    revoked_at: dt.datetime | None


class KKMemberOut(Schema):
    key: str
    name: str
    nik_masked: str
    birth_date: dt.date
    relationship: str
    is_self: bool
    can_add: bool


class AddMemberIn(Schema):
    key: str


class ErrorOut(Schema):
    error: dict


ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}


# --------------------------------------------------------------------------- sign-up, login, reset

@router.post("/identity/signup", response={202: SignupOut, **ERRORS}, summary="Daftar akun warga / Sign up")
def signup(request, payload: SignupIn):
    """Checks the NIK and input, verifies the claimed identity with Dukcapil and sends a code.
    `state`: `code_sent` (confirm with the code), `registry_pending` (Dukcapil is down: nothing is lost, call
    `/resume` later), or `account_exists` (the identity matched and the NIK has an account: recover it)."""
    result = services.signup_start(**payload.dict(), ip=_ip(request), language=request.LANGUAGE_CODE)
    return Status(202, {"reference": result.reference, "state": result.state, "retry_after": result.retry_after})


@router.post("/identity/signup/{reference}/resume", response={202: SignupOut, **ERRORS},
             summary="Lanjutkan pendaftaran setelah Dukcapil kembali / Resume sign-up")
def signup_resume(request, reference: str):
    result = services.signup_resume(reference=reference)
    return Status(202, {"reference": result.reference, "state": result.state, "retry_after": result.retry_after})


@router.post("/identity/signup/{reference}/resend", response={202: SignupOut, **ERRORS},
             summary="Kirim kode baru / Resend the code")
def signup_resend(request, reference: str):
    otc = services.code_resend(reference=reference, purpose=OneTimeCode.Purpose.SIGNUP, ip=_ip(request))
    return Status(202, {"reference": str(otc.code), "state": "code_sent"})


@router.post("/identity/signup/{reference}/confirm", response={201: TokenOut, **ERRORS},
             summary="Konfirmasi kode dan buat akun / Confirm the code")
def signup_confirm(request, reference: str, payload: CodeIn):
    user = services.signup_confirm(reference=reference, code=payload.code, ip=_ip(request))
    services.login_succeeded(user=user, ip=_ip(request), via="api-signup")
    return Status(201, token_issue(user))


@router.post("/identity/login", response={200: TokenOut, 401: ErrorOut, 429: ErrorOut, 422: ErrorOut},
             summary="Masuk dan dapatkan token / Log in for a token")
def login(request, payload: LoginIn):
    services.login_allowed(identifier=payload.username, ip=_ip(request))
    user = services.login_authenticate(request, identifier=payload.username, password=payload.password)
    if user is None or user.kind != User.Kind.CITIZEN:
        services.login_failed(identifier=payload.username, ip=_ip(request))
        raise DomainError("Nomor HP/e-mail atau kata sandi salah. / Wrong phone/e-mail or password.",
                          code="login_failed", status=401)
    services.login_succeeded(user=user, ip=_ip(request), via=f"api:{payload.client[:40]}")
    return Status(200, token_issue(user, client=payload.client))


@router.post("/identity/password-reset", response={202: ResetOut, **ERRORS},
             summary="Minta kode atur ulang kata sandi / Request a reset code")
def password_reset(request, payload: ResetIn):
    """Always the same answer, whether or not the phone/e-mail has an account."""
    otc = services.password_reset_start(identifier=payload.identifier, ip=_ip(request),
                                        language=request.LANGUAGE_CODE)
    return Status(202, {"reference": str(otc.code)})


@router.post("/identity/password-reset/{reference}/confirm", response={204: None, **ERRORS},
             summary="Atur ulang kata sandi dengan kode / Reset the password")
def password_reset_confirm(request, reference: str, payload: ResetConfirmIn):
    services.password_reset_confirm(reference=reference, code=payload.code, new_password=payload.password,
                                    ip=_ip(request))
    return Status(204, None)


# --------------------------------------------------------------------------- the signed-in citizen

def _person(request):
    person = selectors.person_for_user(request.auth)
    if person is None:
        from satupintu.core.errors import NotFound

        raise NotFound()
    return person


@router.get("/identity/me", response={200: ProfileOut, **ERRORS}, auth=CitizenToken(), summary="Profil / Profile")
def me(request):
    person = _person(request)
    user = request.auth
    return {"code": str(person.code), "nik_masked": person.masked_nik, "full_name": person.full_name,
            "birth_date": person.birth_date, "sex": person.sex, "phone": user.phone, "email": user.email,
            "verified": person.verified_at is not None}


@router.get("/identity/me/family", response={200: list[MandateOut], **ERRORS}, auth=CitizenToken(),
            summary="Orang yang saya wakili / People I act for")
def family(request):
    _person(request)
    return [{"code": str(m.code), "person_code": str(m.subject.code), "full_name": m.subject.full_name,
             "basis": m.basis, "since": m.valid_from, "revoked_at": m.revoked_at}
            for m in selectors.family_mandates(request.auth)]


@router.post("/identity/me/consents/kk-prefill", response={201: dict, **ERRORS}, auth=CitizenToken(),
             summary="Setujui pengambilan data KK / Consent to KK prefill")
def consent_kk(request):
    consent = services.consent_grant(user=request.auth, purpose=Consent.Purpose.KK_PREFILL,
                                     detail={"via": "api"})
    return Status(201, {"code": str(consent.code), "purpose": consent.purpose})


@router.get("/identity/me/kk", response={200: list[KKMemberOut], **ERRORS}, auth=CitizenToken(),
            summary="Anggota KK dari Dukcapil (dengan persetujuan) / KK members (with consent)")
def kk_members(request):
    members = services.family_fetch(user=request.auth, ip=_ip(request))
    return [{"key": m.key, "name": m.name, "nik_masked": m.masked_nik, "birth_date": m.birth_date,
             "relationship": m.relationship, "is_self": m.is_self,
             "can_add": m.is_minor and not m.is_self and not m.already_added} for m in members]


@router.post("/identity/me/family", response={201: MandateOut, **ERRORS}, auth=CitizenToken(),
             summary="Tambahkan anak dari KK / Add a child from the KK")
def family_add(request, payload: AddMemberIn):
    """Accepts an `Idempotency-Key` header: a replay returns the first answer. (Sign-up and code endpoints do not:
    their failed attempts must count towards the limits, so they are never rolled back.)"""

    def action():
        m = services.family_member_add(user=request.auth, key=payload.key, ip=_ip(request))
        return 201, {"code": str(m.code), "person_code": str(m.subject.code), "full_name": m.subject.full_name,
                     "basis": m.basis, "since": m.valid_from.isoformat(),
                     "revoked_at": m.revoked_at.isoformat() if m.revoked_at else None}

    status, body, _replayed = run_idempotent(scope="identity.family_add", owner=str(request.auth.code),
                                             key=request.headers.get("Idempotency-Key"), body=payload.dict(),
                                             action=action)
    return Status(status, body)


@router.get("/identity/me/data", response={200: dict, **ERRORS}, auth=CitizenToken(),
            summary="Data saya: semua data tentang saya / Everything held about me")
def my_data(request):
    person = _person(request)
    services.personal_data_exported(user=request.auth, fmt="api", ip=_ip(request))
    return selectors.personal_data(person)
