"""A new citizen in a real browser, against the Dukcapil simulator process: sign up with a simulator NIK,
confirm the code, log in, add a child from the KK, and see in "Data saya" an officer access the test caused.
Every page is checked with axe-core. Plus wrong NIKs, wrong codes, and the registry going down."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from tests.fixtures.identity_citizen import DEMO_PASSWORD, otp_from_outbox

pytestmark = pytest.mark.browser

AGUS = {"nik": "3671081405850002", "name": "Agus Setiawan", "birth_date": "1985-05-14"}
PHONE_TYPED, PHONE = "0812-3333-4444", "+6281233334444"


def set_mode(url: str, mode: str) -> None:
    req = urllib.request.Request(f"{url}/_control", data=json.dumps({"mode": mode}).encode(), method="POST")
    urllib.request.urlopen(req, timeout=5).read()


def fill_signup(page, *, nik=AGUS["nik"], name=AGUS["name"]):
    page.goto("/daftar/")
    page.get_by_label("NIK").fill(nik)
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Tanggal lahir").fill(AGUS["birth_date"])
    page.get_by_label("Nomor HP").fill(PHONE_TYPED)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_label("Saya setuju data di atas diperiksa").check()
    page.get_by_role("button", name="Periksa data dan kirim kode").click()


def test_citizen_signs_up_adds_child_and_sees_officer_access(page, live_catalogue, simulators, assert_accessible):
    simulators["dukcapil"]
    page.goto("/daftar/")
    assert_accessible(page)
    fill_signup(page, name="agus  SETIAWAN")
    assert page.locator("h1").inner_text() == "Masukkan kode"
    assert_accessible(page)
    # a wrong code first: a clear message, no account
    code = otp_from_outbox(PHONE)
    prefix, digits = code.split("-")
    page.get_by_label("Kode dari pesan").fill(f"{prefix}-{(int(digits) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Konfirmasi").click()
    assert "Kode salah" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Kode dari pesan").fill(code)
    page.get_by_role("button", name="Konfirmasi").click()
    assert page.locator("h1").inner_text().startswith("Halo")
    assert "3671********0002" in page.content() and AGUS["nik"] not in page.content()
    assert_accessible(page)

    # log out and in again with the phone number as typed on a KTP form
    page.get_by_role("button", name="Keluar").click()
    page.goto("/masuk/")
    page.get_by_label("Nomor HP atau e-mail").fill("0812 3333 4444")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    assert page.locator("h1").inner_text().startswith("Halo")

    # add the child from the KK (the registry simulator's family B)
    page.get_by_role("link", name=re.compile("Keluarga")).click()
    assert_accessible(page)
    page.get_by_label(re.compile("Saya setuju SatuPintu mengambil")).check()
    page.get_by_role("button", name="Setuju dan ambil data KK").click()
    assert page.get_by_text("Nurul Hidayah").is_visible()
    assert page.get_by_text("Berusia 17 tahun ke atas").first.is_visible()
    page.get_by_role("button", name="Tambahkan Bima Saputra").click()
    assert page.get_by_text("Bima Saputra ditambahkan").is_visible()
    assert_accessible(page)

    # an officer of Disdukcapil reads Agus's data; the citizen sees it
    from satupintu.identity.models import Person
    from satupintu.identity.services import person_data_access_record
    from tests.fixtures.identity_citizen import make_officer

    officer = make_officer(name="Rina Petugas Disdukcapil")
    person = Person.objects.get(account__phone=PHONE)
    person_data_access_record(officer=officer, person=person, purpose="Memeriksa berkas perubahan KK")
    page.goto("/data-saya/")
    access = page.locator("table").first.inner_text()
    assert "Rina Petugas Disdukcapil" in access and "Memeriksa berkas perubahan KK" in access
    assert "Bima Saputra" in page.content()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh semua (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["profil"]["nik"] == AGUS["nik"] and data["akses_petugas"][0]["petugas"] == "Rina Petugas Disdukcapil"
    page.goto("/privasi/")
    assert_accessible(page)
    assert not page.js_errors


def test_wrong_nik_and_unmatched_identity_create_nothing(page, live_catalogue, simulators, assert_accessible):
    from satupintu.identity.models import User

    simulators["dukcapil"]
    fill_signup(page, nik="367108140585000")
    summary = page.locator(".error-summary").inner_text()
    assert "NIK harus 16 angka; yang Anda masukkan 15 angka" in summary
    assert_accessible(page)
    fill_signup(page, nik="3671081405850000")
    assert "tidak boleh 0000" in page.locator(".error-summary").inner_text()
    fill_signup(page, name="Agus Salim")
    assert "tidak cocok dengan data kependudukan" in page.locator(".error-summary").inner_text()
    assert not User.objects.filter(phone=PHONE).exists()


def test_registry_down_sign_up_kept_and_continued(page, live_catalogue, simulators):
    url = simulators["dukcapil"]
    set_mode(url, "down")
    try:
        fill_signup(page)
        assert page.locator("h1").inner_text() == "Dukcapil sedang tidak dapat dihubungi"
        assert page.get_by_text("Data pendaftaran Anda sudah tersimpan").is_visible()
    finally:
        set_mode(url, "ok")
    page.get_by_role("button", name="Coba lanjutkan pendaftaran").click()
    assert page.locator("h1").inner_text() == "Masukkan kode"
    page.get_by_label("Kode dari pesan").fill(otp_from_outbox(PHONE))
    page.get_by_role("button", name="Konfirmasi").click()
    assert page.locator("h1").inner_text().startswith("Halo")
