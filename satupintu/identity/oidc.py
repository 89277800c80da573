"""Sign-in through a national or regional SSO (INApas, a Pemda SSO) with OpenID Connect.

Authorization code flow with PKCE (S256), `state` against CSRF on the callback, `nonce`
against ID-token replay; the ID token's signature is checked against the provider's JWKS,
and its issuer, audience and expiry. The `nik` claim is matched to a Person through the
blind index — the NIK itself is never stored in clear nor looked up in clear (docs/adr/0042).
Configured from the environment: OIDC_ENABLED, OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.
All outbound HTTP goes through core.http.http_client.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import time
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satupintu.core.audit import audit_record
from satupintu.core.crypto import blind_index
from satupintu.core.errors import DomainError
from satupintu.core.http import TransportError, http_client
from satupintu.identity.models import Person, User

SESSION_KEY = "oidc_pending"
PENDING_MAX_AGE = 10 * 60
LEEWAY = 30
_DISCOVERY_TTL = 3600
_cache: dict[str, tuple[float, dict]] = {}


class OIDCError(DomainError):
    pass


def _get_json(url: str) -> dict:
    with http_client() as client:
        response = client.get(url)
    if response.status_code != 200:
        raise OIDCError(gettext_lazy("Layanan SSO tidak dapat dihubungi. Coba lagi beberapa saat lagi."),
                        code="oidc_unavailable", status=503)
    return _json(response)


def _json(response) -> dict:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise OIDCError(gettext_lazy("Layanan SSO memberi jawaban yang tidak dapat dibaca. Coba lagi nanti."),
                        code="oidc_bad_response", status=502)
    return data


def _cached(url: str, *, refresh: bool = False) -> dict:
    hit = _cache.get(url)
    if hit and not refresh and time.time() - hit[0] < _DISCOVERY_TTL:
        return hit[1]
    data = _get_json(url)
    _cache[url] = (time.time(), data)
    return data


def discovery() -> dict:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    config = _cached(f"{issuer}/.well-known/openid-configuration")
    if config.get("issuer", "").rstrip("/") != issuer:
        raise OIDCError(gettext_lazy("Konfigurasi SSO tidak cocok (issuer berbeda)."), code="oidc_config")
    return config


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def authorization_url(request) -> str:
    """Remember state, nonce and the PKCE verifier in the session; return where to send the browser."""
    config = discovery()
    verifier = secrets.token_urlsafe(64)
    pending = {
        "state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32), "verifier": verifier,
        "redirect_uri": request.build_absolute_uri(reverse("identity:oidc_callback")),
        "next": _safe_next(request, request.GET.get("next", "")), "at": time.time(),
    }
    request.session[SESSION_KEY] = pending
    params = {
        "response_type": "code", "client_id": settings.OIDC_CLIENT_ID, "redirect_uri": pending["redirect_uri"],
        "scope": "openid profile email nik", "state": pending["state"], "nonce": pending["nonce"],
        "code_challenge": _b64url(hashlib.sha256(verifier.encode()).digest()), "code_challenge_method": "S256",
    }
    return f"{config['authorization_endpoint']}?{urlencode(params)}"


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def exchange_code(code: str, pending: dict) -> dict:
    config = discovery()
    with http_client() as client:
        response = client.post(config["token_endpoint"], data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": pending["redirect_uri"],
            "client_id": settings.OIDC_CLIENT_ID, "client_secret": settings.OIDC_CLIENT_SECRET,
            "code_verifier": pending["verifier"],
        })
    if response.status_code != 200:
        raise OIDCError(gettext_lazy("SSO menolak permintaan masuk. Silakan mulai lagi."), code="oidc_token")
    return _json(response)


def verify_id_token(id_token: str, *, nonce: str) -> dict:
    """Signature (JWKS, by kid; one JWKS refresh for a provider's key rollover), issuer,
    audience, expiry and nonce. Any failure is one refusal; the reason goes to the audit trail."""
    config = discovery()
    try:
        header = jwt.get_unverified_header(id_token)
    except jwt.PyJWTError as exc:
        raise OIDCError(gettext_lazy("Token SSO tidak sah."), code="oidc_token_invalid",
                        details={"reason": str(exc)}) from exc
    key = None
    for refresh in (False, True):
        keys = jwt.PyJWKSet.from_dict(_cached(config["jwks_uri"], refresh=refresh)).keys
        key = next((k for k in keys if k.key_id == header.get("kid")), None)
        if key is not None:
            break
    if key is None:
        raise OIDCError(gettext_lazy("Token SSO tidak sah."), code="oidc_token_invalid",
                        details={"reason": "unknown kid"})
    algorithms = config.get("id_token_signing_alg_values_supported") or ["RS256"]
    try:
        claims = jwt.decode(id_token, key.key, algorithms=[a for a in algorithms if a != "none"],
                            audience=settings.OIDC_CLIENT_ID, issuer=config["issuer"], leeway=LEEWAY,
                            options={"require": ["exp", "iat", "iss", "aud", "sub"]})
    except jwt.PyJWTError as exc:
        raise OIDCError(gettext_lazy("Token SSO tidak sah."), code="oidc_token_invalid",
                        details={"reason": str(exc)}) from exc
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OIDCError(gettext_lazy("Token SSO tidak sah."), code="oidc_token_invalid",
                        details={"reason": "nonce mismatch"})
    return claims


@transaction.atomic
def oidc_account_for(claims: dict) -> User:
    """The citizen account for a verified `nik` claim: the existing one, or a new citizen
    account (the provider has proved the identity; verified_by='oidc')."""
    nik = str(claims.get("nik", ""))
    if len(nik) != 16 or not nik.isdigit():
        raise OIDCError(gettext_lazy("SSO tidak mengirim NIK yang sah; masuk dengan SSO tidak dapat dilanjutkan."),
                        code="oidc_no_nik")
    person = Person.objects.select_for_update().filter(nik_index=blind_index(nik, context="nik")).first()
    if person is not None and person.account_id:
        user = person.account
        if user.kind != User.Kind.CITIZEN or not user.is_active:
            raise OIDCError(gettext_lazy("Akun ini tidak dapat masuk dengan SSO."), code="oidc_not_citizen")
        return user
    if person is None:
        try:
            birth = dt.date.fromisoformat(str(claims.get("birthdate", "")))
        except ValueError:
            raise OIDCError(gettext_lazy("SSO tidak mengirim tanggal lahir; masuk dengan SSO tidak dapat dilanjutkan."),
                            code="oidc_no_birthdate")
        person = Person(full_name=str(claims.get("name", ""))[:200], birth_date=birth,
                        verified_at=timezone.now(), verified_by="oidc")
        person.set_nik(nik)
    email = str(claims.get("email") or "").lower() or None
    if email and User.objects.filter(email__iexact=email).exists():
        email = None  # never take over another account's e-mail
    user = User.objects.create_user(email=email, password=None, full_name=person.full_name, kind=User.Kind.CITIZEN)
    try:
        with transaction.atomic():
            person.account = user
            person.save()
    except IntegrityError:
        raise OIDCError(gettext_lazy("Masuk dengan SSO sedang diproses. Coba lagi."), code="oidc_race", status=409)
    audit_record(action="person.create_from_oidc", actor=user, obj=person, subject_person=str(person.code),
                 data={"issuer": claims.get("iss"), "sub": claims.get("sub")})
    return user


# --------------------------------------------------------------------------- views

def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404()


def oidc_start(request):
    _enabled()
    try:
        return redirect(authorization_url(request))
    except (OIDCError, TransportError) as exc:
        messages.error(request, getattr(exc, "message", None) or _("Layanan SSO tidak dapat dihubungi. "
                                                                   "Coba lagi beberapa saat lagi."))
        return redirect("identity:login")


def oidc_callback(request):
    _enabled()
    pending = request.session.pop(SESSION_KEY, None)
    state = request.GET.get("state", "")
    try:
        if not pending or time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
            raise OIDCError(gettext_lazy("Permintaan masuk dengan SSO sudah kedaluwarsa. Silakan mulai lagi."),
                            code="oidc_expired")
        if not state or not secrets.compare_digest(state, pending["state"]):
            raise OIDCError(gettext_lazy("Permintaan masuk dengan SSO tidak cocok. Silakan mulai lagi."),
                            code="oidc_state")
        if request.GET.get("error"):
            raise OIDCError(gettext_lazy("Masuk dengan SSO dibatalkan atau ditolak."), code="oidc_denied")
        tokens = exchange_code(request.GET.get("code", ""), pending)
        claims = verify_id_token(tokens.get("id_token", ""), nonce=pending["nonce"])
        user = oidc_account_for(claims)
    except OIDCError as exc:
        audit_record(action="auth.oidc_failed", ip=request.META.get("REMOTE_ADDR"),
                     data={"code": exc.code, **exc.details})
        messages.error(request, str(exc.message))
        return redirect("identity:login")
    except TransportError:
        messages.error(request, _("Layanan SSO tidak dapat dihubungi. Coba lagi beberapa saat lagi."))
        return redirect("identity:login")
    auth_login(request, user, backend="satupintu.identity.backends.LoginBackend")
    request.session["auth_method"] = "oidc"
    return redirect(pending.get("next") or "/")
