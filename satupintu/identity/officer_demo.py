"""Demo officers of MPP Kota Tangerang, each with a TOTP device on one PUBLISHED demo secret.

The secret below is public (it is in this file and in the README): demo only. In production
every officer enrols their own device at first sign-in. `manage.py demo_totp EMAIL` prints the
current code and the otpauth URI to add to an authenticator app."""

from __future__ import annotations

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.catalogue.models import Agency, Mall
from satupintu.demo import DEMO_PASSWORD, Login
from satupintu.identity.models import Membership, Role, User

DEMO_TOTP_KEY = b"satupintu-demo-totp!"  # 20 bytes, published: demo only
DEMO_TOTP_SECRET_B32 = base64.b32encode(DEMO_TOTP_KEY).decode()  # type into an authenticator app
MALL = "kota-tangerang"

# email, name, role, agency slug (None = mall-level role)
OFFICERS = [
    ("pengelola.tangerang@demo.satupintu.id", "Hendra Pengelola", Role.MALL_MANAGER, None),
    ("admin.disdukcapil@demo.satupintu.id", "Dewi Admin Disdukcapil", Role.AGENCY_ADMIN, "DISDUKCAPIL"),
    ("loket.disdukcapil@demo.satupintu.id", "Budi Loket Disdukcapil", Role.FRONT_DESK, "DISDUKCAPIL"),
    ("verifikator.disdukcapil@demo.satupintu.id", "Sari Verifikator Disdukcapil", Role.VERIFIER, "DISDUKCAPIL"),
    ("penyetuju.disdukcapil@demo.satupintu.id", "Agus Penyetuju Disdukcapil", Role.APPROVER, "DISDUKCAPIL"),
    ("loket.polres@demo.satupintu.id", "Rudi Loket Polres", Role.FRONT_DESK, "POLRES_METRO_TNG_KOTA"),
    ("auditor.tangerang@demo.satupintu.id", "Maya Auditor", Role.AUDITOR, None),
]


def totp_note(email: str) -> str:
    return (f"/petugas/masuk/, lalu kode TOTP dari `.venv/bin/python manage.py demo_totp {email}` "
            f"(atau kunci {DEMO_TOTP_SECRET_B32} di aplikasi autentikator)")


def ensure_demo_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, name="demo").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY.hex(), confirmed=True)
    return device


@transaction.atomic
def load(stdout) -> list[Login]:
    mall = Mall.objects.filter(slug=MALL).first()
    logins: list[Login] = []
    admin = User.objects.filter(email="admin@demo.satupintu.id").first()
    if admin is not None:
        ensure_demo_device(admin)
    if mall is None:
        return logins
    for email, name, role, agency_slug in OFFICERS:
        agency = Agency.objects.get(slug=agency_slug) if agency_slug else None
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name,
                                            kind=User.Kind.OFFICER)
        Membership.objects.get_or_create(user=user, mall=mall, agency=agency, role=role)
        ensure_demo_device(user)
        where = agency.short_name or agency.slug if agency else mall.name
        logins.append(Login(f"{Role(role).label} — {where}", email, DEMO_PASSWORD, totp_note(email)))
    stdout.write(f"demo officers: {len(OFFICERS)}; TOTP secret (published, demo only): {DEMO_TOTP_SECRET_B32}")
    return logins
