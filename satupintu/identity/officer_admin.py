"""The back office (Django admin at /backoffice/) needs a staff officer who has passed TOTP.

Its own login form is replaced by the officer sign-in (password, then TOTP), so there is one
way in, counted by django-axes and recorded in the audit trail."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class BackofficeSite(OTPAdminSite):
    site_header = "SatuPintu — Back office"
    site_title = "SatuPintu"
    index_title = "Pengelolaan"

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "kind", "") == "officer"
                    and user.is_verified())

    def login(self, request, extra_context=None):
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('identity:officer_login')}?{urlencode({'next': target})}")
