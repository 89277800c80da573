"""Officer sessions: second factor first, and they expire.

An officer who has signed in with a password but not yet with TOTP (or has no confirmed
device yet) can reach only the TOTP pages, sign-out and static files. Officer sessions end
after OFFICER_IDLE_TIMEOUT seconds without a request and OFFICER_SESSION_MAX_AGE after
sign-in, whichever comes first (docs/adr/0040)."""

from __future__ import annotations

import time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_STARTED = "officer_started"
SESSION_SEEN = "officer_seen"


def _officer_timezone(user) -> str:
    tz = (user.memberships.filter(is_active=True).order_by("id").values_list("mall__timezone", flat=True).first())
    return tz or settings.DEFAULT_MALL_TIMEZONE


def _is_officer_session(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "kind", "") == "officer")


class OfficerSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _open_paths(self) -> tuple[str, ...]:
        return (
            reverse("identity:officer_verify"), reverse("identity:officer_enrol"), reverse("identity:logout"),
            reverse("identity:officer_login"), reverse("set_language"), settings.STATIC_URL, "/healthz", "/ping",
        )

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not _is_officer_session(user):
            return self.get_response(request)
        response = self._guard(request, user)
        if response is not None:
            return response
        # officers read times in their mall's zone (WIB/WITA/WIT); storage stays UTC
        timezone.activate(ZoneInfo(_officer_timezone(user)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def _guard(self, request, user):
        now = time.time()
        session = request.session
        idle = getattr(settings, "OFFICER_IDLE_TIMEOUT", 30 * 60)
        absolute = getattr(settings, "OFFICER_SESSION_MAX_AGE", 8 * 60 * 60)
        started = session.get(SESSION_STARTED, now)
        seen = session.get(SESSION_SEEN, now)
        if now - seen > idle or now - started > absolute:
            logout(request)
            messages.info(request, _("Sesi Anda berakhir karena terlalu lama tidak aktif atau sudah lebih dari "
                                     "8 jam. Silakan masuk lagi."))
            return redirect(f"{reverse('identity:officer_login')}?{urlencode({'next': request.get_full_path()})}")
        session[SESSION_STARTED] = started
        session[SESSION_SEEN] = now
        # no persistent cookie (set_expiry would make one): on a shared counter PC, closing the
        # browser must end the session; idle and absolute limits are enforced here, server-side
        if not user.is_verified() and not request.path.startswith(self._open_paths()):
            from satupintu.identity.officer_services import totp_confirmed_device

            target = "identity:officer_verify" if totp_confirmed_device(user) else "identity:officer_enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return None
