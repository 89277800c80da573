"""Demo accounts (identity). Passwords are the published demo password."""

from __future__ import annotations

from satupintu.demo import DEMO_PASSWORD, Login
from satupintu.identity.models import User


def _ensure(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, **extra)
    return user


def load(stdout):
    _ensure("admin@demo.satupintu.id", "Admin Demo SatuPintu", kind=User.Kind.OFFICER, is_staff=True,
            is_superuser=True)
    from satupintu.identity import officer_demo

    return [Login("Admin back office / superuser", "admin@demo.satupintu.id", DEMO_PASSWORD,
                  "/backoffice/ — " + officer_demo.totp_note("admin@demo.satupintu.id")),
            *officer_demo.load(stdout)]
