"""Every sign-in, failed sign-in and sign-out is an audit event (connected in apps.ready)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q
from django.dispatch import receiver

from satupintu.core.audit import audit_record
from satupintu.core.crypto import blind_index


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="satupintu.audit.login")
def audit_login(sender, request, user, **kwargs):
    audit_record(action="auth.login", actor=user, obj=user, ip=_ip(request),
                 data={"kind": user.kind, "path": getattr(request, "path", "")})


@receiver(user_logged_out, dispatch_uid="satupintu.audit.logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="auth.logout", actor=user, obj=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="satupintu.audit.login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """The identifier typed is personal data and the trail is permanent: store its blind index
    (enough to count attempts per account) and name the account when one matches."""
    from satupintu.identity.backends import normalize_login
    from satupintu.identity.models import User

    identifier = normalize_login(credentials.get("username") or credentials.get("email") or "")
    user = User.objects.filter(Q(email__iexact=identifier) | Q(phone=identifier)).first() if identifier else None
    audit_record(action="auth.login_failed", obj=user, ip=_ip(request),
                 data={"login_index": blind_index(identifier, context="login") if identifier else "",
                       "account": str(user.code) if user else "", "path": getattr(request, "path", "")})


def axes_username(request, credentials) -> str:
    """What django-axes stores and counts as the "username": the blind index of the identifier
    typed. People type their NIK or phone number into login fields; axes keeps that value in
    its tables, so it gets the keyed hash (same value each time, so lockout still works)."""
    from satupintu.identity.backends import normalize_login

    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("email") or ""
    if not raw and request is not None:
        raw = request.POST.get("username", "")
    identifier = normalize_login(raw)
    return blind_index(identifier, context="login") if identifier else ""
