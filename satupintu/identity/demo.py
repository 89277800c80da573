"""Demo accounts (identity). Passwords are the published demo password.

The demo citizen is a well-known resident of the Dukcapil simulator (simulators/dukcapil.py): Siti Rahayu,
mother in KK A with two children. Raka Pratama is already added to her account under a family mandate;
Ayu Lestari is left for the visitor to add from "Keluarga"."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from satupintu.core.crypto import blind_index
from satupintu.demo import DEMO_PASSWORD, Login
from satupintu.identity.models import Consent, Mandate, Person, User

DEMO_CITIZEN_PHONE = "+6281200000001"
DEMO_CITIZEN_EMAIL = "siti.rahayu@demo.satupintu.id"
SITI = {"nik": "3671015203880001", "name": "Siti Rahayu", "birth_date": dt.date(1988, 3, 12), "sex": "P",
        "birth_place": "Tangerang"}
RAKA = {"nik": "3671010907150003", "name": "Raka Pratama", "birth_date": dt.date(2015, 7, 9), "sex": "L",
        "birth_place": "Tangerang"}
KK_A = "3671012010100004"


def _ensure(email: str, full_name: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, **extra)
    return user


def _person(data: dict, account: User | None = None) -> Person:
    person = Person.objects.filter(nik_index=blind_index(data["nik"], context="nik")).first()
    if person is None:
        person = Person(full_name=data["name"], birth_date=data["birth_date"], sex=data["sex"],
                        birth_place=data["birth_place"], verified_at=timezone.now(), verified_by="dukcapil")
        person.set_nik(data["nik"])
        person.set_kk_number(KK_A)
    if account is not None and person.account_id is None:
        person.account = account
    person.save()
    return person


def load(stdout):
    admin = _ensure("admin@demo.satupintu.id", "Admin Demo SatuPintu", kind=User.Kind.OFFICER, is_staff=True,
                    is_superuser=True)
    from satupintu.identity import officer_demo

    officer_logins = officer_demo.load(stdout)
    siti_user = User.objects.filter(phone=DEMO_CITIZEN_PHONE).first() or _ensure(
        DEMO_CITIZEN_EMAIL, SITI["name"], kind=User.Kind.CITIZEN, phone=DEMO_CITIZEN_PHONE)
    siti = _person(SITI, siti_user)
    for purpose in (Consent.Purpose.REGISTRY_VERIFICATION, Consent.Purpose.NOTIFICATIONS):
        Consent.objects.get_or_create(person=siti, purpose=purpose, withdrawn_at=None,
                                      defaults={"detail": {"demo": True}})
    raka = _person(RAKA)
    Mandate.objects.get_or_create(actor=siti_user, subject=raka, basis=Mandate.Basis.FAMILY, revoked_at=None,
                                  defaults={"evidence": f"NIK dalam KK yang sama (KK {KK_A[:4]}********{KK_A[-4:]})"})
    from satupintu.core.models import AuditEvent
    from satupintu.identity.services import person_data_access_record

    if not AuditEvent.objects.filter(action="person.data_viewed", subject_person=str(siti.code)).exists():
        # so that "Data saya → Siapa yang melihat data Anda" shows one entry in the demo
        officer = User.objects.filter(email="verifikator.disdukcapil@demo.satupintu.id").first() or admin
        person_data_access_record(officer=officer, person=siti, purpose="Contoh: pemeriksaan berkas KIA (data demo)")
    return [
        Login("Admin back office / superuser", "admin@demo.satupintu.id", DEMO_PASSWORD,
              "/backoffice/ — " + officer_demo.totp_note("admin@demo.satupintu.id")),
        *officer_logins,
        Login("Warga (citizen) — Siti Rahayu, NIK 3671015203880001, ibu dari Raka dan Ayu",
              "0812 0000 0001", DEMO_PASSWORD, "/akun/ — tambahkan Ayu dari /akun/keluarga/, lihat /data-saya/"),
    ]
