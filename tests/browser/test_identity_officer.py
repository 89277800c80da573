"""An officer signs in with password and TOTP in a real browser, is refused without the
second factor, sees only their agency; every page axe-clean."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.identity.models import Mandate, Person, Role, User
from tests.fixtures.identity_officer import PASSWORD, totp_now

pytestmark = pytest.mark.browser


def _password(page, email: str) -> None:
    page.goto("/petugas/masuk/")
    page.get_by_label("E-mail petugas").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Lanjut").click()


def test_officer_signs_in_with_totp_and_sees_only_their_agency(page, live_catalogue, officer, assert_accessible):
    from datetime import date

    verifier = officer(Role.VERIFIER, "DISDUKCAPIL")
    dukcapil_desk = officer(Role.FRONT_DESK, "DISDUKCAPIL")
    polres_desk = officer(Role.FRONT_DESK, "POLRES_METRO_TNG_KOTA")
    citizen = User.objects.create_user(email="warga.browser@contoh.test", password=None, full_name="Warga")
    person = Person(account=citizen, full_name="Warga", birth_date=date(1950, 1, 1))
    person.set_nik("3671010101500001")
    person.save()
    for desk in (dukcapil_desk, polres_desk):
        m = desk.memberships.get()
        Mandate.objects.create(actor=desk, subject=person, basis=Mandate.Basis.ASSISTED_DIGITAL, evidence="x",
                               mall=m.mall, agency=m.agency)

    page.goto("/petugas/masuk/")
    assert_accessible(page)
    _password(page, verifier.email)
    page.wait_for_url("**/petugas/masuk/kode/**")
    assert_accessible(page)

    # without the second factor nothing else opens
    page.goto("/petugas/")
    assert "/petugas/masuk/kode/" in page.url
    device = TOTPDevice.objects.get(user=verifier)
    wrong = "000000" if totp_now(device) != "000000" else "111111"
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(wrong)
    page.get_by_role("button", name="Masuk").click()
    assert page.locator(".error-summary").get_by_text("Kode salah atau sudah kedaluwarsa").is_visible()
    assert_accessible(page)
    page.goto("/petugas/")
    assert "/petugas/masuk/kode/" in page.url

    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the device for a second; skip the wait
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(totp_now(device))
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/petugas/")
    assert page.locator("h1").inner_text() == "Beranda petugas"
    roles = page.locator("#my-memberships").inner_text()
    assert "Verifikator" in roles
    table = page.locator("#mandates").inner_text()
    assert dukcapil_desk.full_name in table and polres_desk.full_name not in table
    assert_accessible(page)
    assert not page.js_errors


def test_new_officer_enrols_with_the_qr_code_first(page, live_catalogue, officer, assert_accessible):
    newcomer = officer(Role.FRONT_DESK, "DISDUKCAPIL", device=False)
    _password(page, newcomer.email)
    page.wait_for_url("**/petugas/masuk/daftar-autentikator/**")
    assert page.locator("svg.segno").count() == 1
    assert_accessible(page)
    page.goto("/petugas/warga/")
    assert "/daftar-autentikator/" in page.url
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    page.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(totp_now(device))
    page.get_by_role("button", name="Aktifkan").click()
    page.wait_for_url("**/petugas/**")
    page.goto("/petugas/warga/")
    assert page.locator("h1").inner_text() == "Cari warga dengan NIK"
    assert_accessible(page)
