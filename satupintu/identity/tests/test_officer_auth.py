"""Officer sign-in: password, then TOTP; enrolment first if there is no device; lockout;
session limits; every attempt in the audit trail."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.core.models import AuditEvent
from satupintu.identity.models import Role, User
from tests.fixtures.identity_officer import PASSWORD, totp_now

pytestmark = pytest.mark.usefixtures("catalogue")


def _password_step(c: Client, user, password=PASSWORD):
    return c.post("/petugas/masuk/", {"username": user.email, "password": password})


def test_password_alone_does_not_open_anything(officer):
    user = officer(Role.VERIFIER, "DISDUKCAPIL")
    c = Client()
    response = _password_step(c, user)
    assert response.status_code == 302 and response["Location"].startswith("/petugas/masuk/kode/")
    for path in ["/petugas/", "/petugas/warga/", "/backoffice/", "/mal/kota-tangerang/"]:
        response = c.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/petugas/masuk/kode/"), path


def test_totp_code_signs_in_and_wrong_code_does_not(officer):
    user = officer(Role.VERIFIER, "DISDUKCAPIL")
    c = Client()
    _password_step(c, user)
    response = c.post("/petugas/masuk/kode/", {"token": "000000" if totp_now(user.totpdevice_set.get()) != "000000"
                                                else "111111"})
    assert response.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in response.content.decode()
    assert c.get("/petugas/").status_code == 302
    device = TOTPDevice.objects.get(user=user)
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the device briefly
    device.throttling_failure_timestamp = None
    device.save()
    response = c.post("/petugas/masuk/kode/", {"token": totp_now(device)})
    assert response.status_code == 302
    page = c.get("/petugas/")
    assert page.status_code == 200
    assert "Verifikator" in page.content.decode()
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert "auth.login" in actions and "auth.otp_failure" in actions and "auth.otp_success" in actions


def test_officer_without_device_must_enrol_first(officer):
    user = officer(Role.FRONT_DESK, "DISDUKCAPIL", device=False)
    c = Client()
    response = _password_step(c, user)
    response = c.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith("/petugas/masuk/daftar-autentikator/")
    assert c.get("/petugas/warga/")["Location"].startswith("/petugas/masuk/daftar-autentikator/")
    page = c.get("/petugas/masuk/daftar-autentikator/")
    body = page.content.decode()
    assert "<svg" in body and 'class="segno"' in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = c.post("/petugas/masuk/daftar-autentikator/", {"token": "12345"})
    assert "Kode harus 6 angka" in wrong.content.decode()
    response = c.post("/petugas/masuk/daftar-autentikator/", {"token": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert c.get("/petugas/").status_code == 200


def test_citizen_cannot_use_officer_sign_in(db):
    User.objects.create_user(email="warga@uji.satupintu.id", password=PASSWORD, full_name="Warga")
    response = Client().post("/petugas/masuk/", {"username": "warga@uji.satupintu.id", "password": PASSWORD})
    assert response.status_code == 200
    assert "hanya untuk petugas" in response.content.decode()


def test_backoffice_needs_otp_verified_staff(officer, officer_client):
    staff = officer(Role.MALL_MANAGER, None, is_staff=True)
    c = Client()
    _password_step(c, staff)
    assert c.get("/backoffice/")["Location"].startswith("/petugas/masuk/kode/")
    c = officer_client(staff)
    assert c.get("/backoffice/").status_code == 200
    root = officer(Role.MALL_MANAGER, None, is_staff=True, is_superuser=True)
    c_root = officer_client(root)
    for url in ["/backoffice/identity/membership/", "/backoffice/identity/mandate/", "/backoffice/identity/user/"]:
        assert c_root.get(url).status_code == 200, url
    # removing an officer's device in the back office is audited, without the secret
    victim = officer(Role.FRONT_DESK, "DISDUKCAPIL")
    device = TOTPDevice.objects.get(user=victim)
    response = c_root.post(f"/backoffice/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="admin.totp_device_delete", object_code=str(victim.code))
    assert event.actor_id == root.pk and device.key not in str(event.data)
    # a verified officer who is not staff is sent to sign in, not shown the back office
    plain = officer(Role.VERIFIER, "DISDUKCAPIL")
    c2 = officer_client(plain)
    assert c2.get("/backoffice/").status_code == 302


def test_lockout_after_repeated_failures_says_when_to_try_again(officer, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    user = officer(Role.VERIFIER, "DISDUKCAPIL")
    c = Client()
    for _ in range(2):
        response = _password_step(c, user, password="salah-salah")
        assert response.status_code == 200
        assert "E-mail atau kata sandi salah" in response.content.decode()
    response = _password_step(c, user, password="salah-salah")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Coba lagi setelah pukul" in body and "15 menit lagi" in body
    import re
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    shown = re.search(r"pukul (\d\d)\.(\d\d) WIB", body)
    expected = datetime.now(ZoneInfo("Asia/Jakarta")) + timedelta(minutes=15)
    delta = (int(shown[1]) * 60 + int(shown[2])) - (expected.hour * 60 + expected.minute)
    assert delta % 1440 in (0, 1, 1439), (shown[0], expected)  # the time in WIB, within a minute
    # now even the right password is refused until the cool-off ends
    response = _password_step(c, user)
    assert response.status_code == 429
    # a colleague at the same counter (same address) is not locked out with them
    colleague = officer(Role.FRONT_DESK, "DISDUKCAPIL")
    assert _password_step(Client(), colleague).status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed", object_code=str(user.code)).count() >= 3
    failed = AuditEvent.objects.filter(action="auth.login_failed").last()
    assert user.email not in str(failed.data)  # the identifier typed is kept as a blind index only
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get()
    assert attempt.username and user.email not in attempt.username  # axes too stores only the index


def test_officer_session_ends_when_idle(officer, officer_client, settings):
    user = officer(Role.VERIFIER, "DISDUKCAPIL")
    c = officer_client(user)
    assert c.get("/petugas/").status_code == 200
    session = c.session
    session["officer_seen"] = time.time() - settings.OFFICER_IDLE_TIMEOUT - 5
    session.save()
    response = c.get("/petugas/")
    assert response.status_code == 302 and response["Location"].startswith("/petugas/masuk/?next=")
    assert "_auth_user_id" not in c.session


def test_officer_session_ends_after_absolute_limit_even_when_active(officer, officer_client, settings):
    user = officer(Role.VERIFIER, "DISDUKCAPIL")
    c = officer_client(user)
    session = c.session
    session["officer_started"] = time.time() - settings.OFFICER_SESSION_MAX_AGE - 5
    session.save()
    response = c.get("/petugas/")
    assert response.status_code == 302 and response["Location"].startswith("/petugas/masuk/")


def test_guessing_totp_codes_is_throttled(officer):
    user = officer(Role.VERIFIER, "DISDUKCAPIL")
    c = Client()
    _password_step(c, user)
    device = TOTPDevice.objects.get(user=user)
    wrong = "000000" if totp_now(device) != "000000" else "111111"
    c.post("/petugas/masuk/kode/", {"token": wrong})
    # straight after a failure even the right code waits: a guesser gets a handful of tries a minute
    response = c.post("/petugas/masuk/kode/", {"token": totp_now(device)})
    assert "Terlalu banyak kode salah. Coba lagi dalam" in response.content.decode()
    assert c.get("/petugas/").status_code == 302
