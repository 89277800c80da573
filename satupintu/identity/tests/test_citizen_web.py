"""Citizen pages over HTTP: login floods, password reset without enumeration, family, Data saya."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from satupintu.core.models import AuditEvent
from satupintu.identity import services
from satupintu.identity.models import CorrectionRequest, Mandate, OneTimeCode, Person
from satupintu.notifications.models import Notification
from tests.fixtures.identity_citizen import DEMO_PASSWORD, otp_from_outbox

pytestmark = pytest.mark.django_db
PHONE = "+6281211112222"


def login(client, username, password, ip="10.1.1.1"):
    return client.post(reverse("identity:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_with_phone_in_any_format_and_email(client, siti_citizen):
    response = login(client, "0812 1111 2222", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("identity:account")
    assert AuditEvent.objects.filter(action="identity.login", actor=siti_citizen).exists()


def test_login_flood_same_answer_for_known_and_unknown(client, siti_citizen, settings):
    settings.AXES_ENABLED = False  # our own throttle, independent of django-axes (the officer side's lockout)
    answers = {}
    for who in ("0812 1111 2222", "0899 9999 9999"):
        for _ in range(5):
            r = login(client, who, "salah-sekali")
            assert r.status_code == 400 and "kata sandi salah" in r.content.decode()
        r = login(client, who, DEMO_PASSWORD if who.startswith("0812") else "x")
        answers[who] = r.content.decode()
        assert r.status_code == 400 and "Terlalu banyak percobaan masuk" in answers[who]
    # even the right password is refused while throttled; no session
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="identity.login_failed").count() == 10


def test_password_reset_same_answer_for_unknown(client, siti_citizen):
    known = client.post(reverse("identity:reset_start"), {"identifier": "0812-1111-2222"}, REMOTE_ADDR="10.2.2.2")
    unknown = client.post(reverse("identity:reset_start"), {"identifier": "0812-7777-8888"}, REMOTE_ADDR="10.2.2.2")
    assert known.status_code == unknown.status_code == 302
    page_known = client.get(known["Location"]).content.decode()
    page_unknown = client.get(unknown["Location"]).content.decode()
    strip = lambda html: html.replace(known["Location"], "").replace(unknown["Location"], "")  # noqa: E731
    assert len(strip(page_known)) == len(strip(page_unknown))
    assert not Notification.objects.filter(destination="+6281277778888").exists()
    code = otp_from_outbox(PHONE)
    r = client.post(known["Location"], {"code": code, "password": "Sandi-Baru-2026"})
    assert r.status_code == 302
    assert login(client, PHONE, "Sandi-Baru-2026").status_code == 302
    assert AuditEvent.objects.filter(action="identity.password_reset").exists()
    # the unknown reference never accepts any code
    r = client.post(unknown["Location"], {"code": code, "password": "Sandi-Baru-2026"})
    assert r.status_code == 400


def test_signup_pages_show_field_errors(client, fake_registry):
    r = client.post(reverse("identity:signup"), {"nik": "36710152038800", "full_name": "Siti Rahayu",
                                                 "birth_date": "1988-03-12", "phone": "0812 1111 2222",
                                                 "channel": "sms", "password": DEMO_PASSWORD, "consent": "on"})
    html = r.content.decode()
    assert r.status_code == 400 and "NIK harus 16 angka; yang Anda masukkan 14 angka" in html
    assert 'href="#id_nik"' in html and not OneTimeCode.objects.exists()


def test_signup_registry_outage_page_then_resume(client, fake_registry):
    from satupintu.integrations.dukcapil import RegistryUnavailable

    fake_registry.fail_with = RegistryUnavailable("down", status=503)
    r = client.post(reverse("identity:signup"), {"nik": "3671015203880001", "full_name": "Siti Rahayu",
                                                 "birth_date": "1988-03-12", "phone": "0812 1111 2222",
                                                 "channel": "sms", "password": DEMO_PASSWORD, "consent": "on"})
    pending = client.get(r["Location"])
    assert pending.status_code == 503 and "Data pendaftaran Anda sudah tersimpan" in pending.content.decode()
    fake_registry.fail_with = None
    client.post(r["Location"] + "lanjutkan/")
    assert "Kode dikirim lewat SMS ke 0812****2222" in client.get(r["Location"]).content.decode()
    r2 = client.post(r["Location"], {"code": otp_from_outbox(PHONE)})
    assert r2.status_code == 302 and r2["Location"] == reverse("identity:account")


def test_family_add_child_and_mandate_names_both(client, siti_citizen):
    client.force_login(siti_citizen)
    r = client.get(reverse("identity:family"))
    assert "Setuju dan ambil data KK" in r.content.decode()
    client.post(reverse("identity:family"), {"consent": "on"})
    html = client.get(reverse("identity:family")).content.decode()
    assert "Raka Pratama" in html and "Ayu Lestari" in html and "3671010907150003" not in html
    key = services.member_key("3671010907150003")
    r = client.post(reverse("identity:family_add"), {"member": key})
    mandate = Mandate.objects.get(actor=siti_citizen)
    assert mandate.basis == "family" and "KK" in mandate.evidence and mandate.subject.account is None
    assert mandate.subject.nik == "3671010907150003"
    event = AuditEvent.objects.get(action="identity.mandate_created")
    assert event.actor_id == siti_citizen.pk and event.on_behalf_of == str(mandate.subject.code)
    from satupintu.identity.access import persons_actor_may_act_for

    assert mandate.subject_id in persons_actor_may_act_for(siti_citizen)
    # adding twice keeps one mandate; an adult cannot be added; a stranger key is 404-ish
    client.post(reverse("identity:family_add"), {"member": key})
    assert Mandate.objects.filter(actor=siti_citizen).count() == 1
    client.post(reverse("identity:family_add"), {"member": "nope"})
    assert Mandate.objects.filter(actor=siti_citizen).count() == 1
    # revoke
    client.post(reverse("identity:mandate_revoke", args=[mandate.code]))
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None
    assert mandate.subject_id not in persons_actor_may_act_for(siti_citizen)


def test_family_needs_consent_and_withdrawal_stops_it(client, siti_citizen):
    client.force_login(siti_citizen)
    client.post(reverse("identity:family"), {"consent": "on"})
    consent = siti_citizen.person.consents.get(purpose="kk_prefill")
    client.post(reverse("identity:consent_withdraw", args=[consent.code]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    with pytest.raises(Exception) as info:
        services.family_member_add(user=siti_citizen, key=services.member_key("3671010907150003"))
    assert getattr(info.value, "code", "") == "consent_required"


def test_data_saya_shows_officer_access_and_downloads(client, siti_citizen, officer_maker, catalogue):
    person = siti_citizen.person
    officer = officer_maker(name="Budi Petugas")
    services.person_data_access_record(officer=officer, person=person, purpose="Memeriksa permohonan KTP-el")
    client.force_login(siti_citizen)
    html = client.get(reverse("identity:my_data")).content.decode()
    assert "Budi Petugas" in html and "Memeriksa permohonan KTP-el" in html
    assert "Dinas Kependudukan" in html or "DISDUKCAPIL" in html or "Disdukcapil" in html
    assert person.masked_nik in html and person.nik not in html
    data = json.loads(client.get(reverse("identity:my_data_json")).content)
    assert data["profil"]["nik"] == person.nik
    assert data["akses_petugas"][0]["petugas"] == "Budi Petugas"
    pdf = client.get(reverse("identity:my_data_pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="identity.data_exported").count() == 2


def test_data_saya_other_apps_add_sections(client, siti_citizen):
    from satupintu.identity import selectors

    selectors.data_section_register("test.bookings", "Pemesanan uji", lambda p: [{"nomor": "B-1", "nama": p.full_name}])
    try:
        client.force_login(siti_citizen)
        assert "Pemesanan uji" in client.get(reverse("identity:my_data")).content.decode()
        assert json.loads(client.get(reverse("identity:my_data_json")).content)["test.bookings"][0]["nomor"] == "B-1"
    finally:
        selectors._SECTIONS.pop("test.bookings")


def test_correction_request(client, siti_citizen):
    client.force_login(siti_citizen)
    r = client.post(reverse("identity:correction"), {"field": "birth_place", "requested_value": ""})
    assert r.status_code == 400 and "Tulis data yang benar" in r.content.decode()
    client.post(reverse("identity:correction"), {"field": "birth_place", "requested_value": "Kota Tangerang"})
    assert CorrectionRequest.objects.get(person=siti_citizen.person).requested_value == "Kota Tangerang"


def test_citizen_pages_need_login(client, db):
    for name in ("identity:account", "identity:family", "identity:my_data", "identity:my_data_json"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and reverse("identity:login") in r["Location"]


def test_privacy_notice_in_both_languages(client, db):
    assert "UU PDP" in client.get(reverse("identity:privacy")).content.decode()
    assert "Privacy notice" in client.get(reverse("identity:privacy") + "?lang=en").content.decode()


def test_person_record_only_for_the_citizen(client, siti_citizen, fake_registry):
    """Another citizen cannot revoke Siti's mandates (404)."""
    from tests.fixtures.identity_citizen import AGUS, signup_citizen

    client.force_login(siti_citizen)
    client.post(reverse("identity:family"), {"consent": "on"})
    client.post(reverse("identity:family_add"), {"member": services.member_key("3671010907150003")})
    mandate = Mandate.objects.get(actor=siti_citizen)
    agus = signup_citizen(AGUS, "0812 3333 4444")
    client.force_login(agus)
    assert client.post(reverse("identity:mandate_revoke", args=[mandate.code])).status_code == 404
    assert Person.objects.filter(pk=mandate.subject_id).exists()


def test_pages_in_english(client, db):
    html = client.get(reverse("identity:signup") + "?lang=en").content.decode()
    assert "Create a citizen account" in html and "Mobile number" in html
    r = client.post(reverse("identity:signup") + "?lang=en", {"nik": "12"})
    assert "A NIK must be 16 digits; you entered 2 digits." in r.content.decode()


def test_officer_at_citizen_login_is_sent_to_the_officer_sign_in(client, officer_maker, catalogue):
    officer = officer_maker()
    r = login(client, officer.email, DEMO_PASSWORD)
    assert r.status_code == 302 and r["Location"] == reverse("identity:officer_login")
    assert "_auth_user_id" not in client.session  # no password-only session for an officer
