from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from satupintu.identity.models import User


def normalize_login(identifier: str) -> str:
    """E-mail as lower case; an Indonesian phone number in any common form → E.164."""
    identifier = (identifier or "").strip()
    if "@" in identifier:
        return identifier.lower()
    digits = "".join(ch for ch in identifier if ch.isdigit())
    if identifier.startswith("+"):
        return "+" + digits
    if digits.startswith("62"):
        return "+" + digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    if digits.startswith("8"):
        return "+62" + digits
    return identifier


class LoginBackend(ModelBackend):
    """Sign in with e-mail or phone number and password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = normalize_login(username or kwargs.get("email") or "")
        if not identifier or password is None:
            return None
        user = User.objects.filter(Q(email__iexact=identifier) | Q(phone=identifier)).first()
        if user is None:
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
