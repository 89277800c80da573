"""Officer screens over HTTP: managing officers within one's scope, looking up a citizen
(audited, with purpose), assisted-digital mandates naming both people, other agency = 404."""

from __future__ import annotations

from datetime import date

import pytest

from satupintu.catalogue.models import Agency
from satupintu.core.audit import audit_verify
from satupintu.core.models import AuditEvent
from satupintu.identity.models import Mandate, Membership, Person, Role, User
from satupintu.identity.tests.access_matrix import synthetic_nik

pytestmark = pytest.mark.usefixtures("catalogue")


def _target(client, label_part: str) -> str:
    form = client.get("/petugas/kelola/").context["form"]
    for value, label in form.fields["membership"].choices:
        if label_part in label:
            return value
    raise AssertionError(f"{label_part!r} not offered: {form.fields['membership'].choices}")


def _citizen(nik: str | None = None) -> Person:
    nik = nik or synthetic_nik()
    user = User.objects.create_user(email=f"w{nik}@contoh.test", password=None, full_name="Siti Warga")
    p = Person(account=user, full_name="Siti Warga", birth_date=date(1950, 3, 4))
    p.set_nik(nik)
    p.save()
    return p


def test_mall_manager_creates_an_officer_for_any_agency_of_the_mall(officer, officer_client):
    manager = officer(Role.MALL_MANAGER)
    c = officer_client(manager)
    polres = Agency.objects.get(slug="POLRES_METRO_TNG_KOTA")
    target = _target(c, polres.name)
    response = c.post("/petugas/kelola/", {"email": "Baru@Polres.go.id", "full_name": "Petugas Baru",
                                           "membership": target, "role": Role.FRONT_DESK})
    assert response.status_code == 200
    assert "Kata sandi awal" in response.content.decode()
    new = User.objects.get(email="baru@polres.go.id")
    assert new.kind == User.Kind.OFFICER and not new.is_staff
    assert Membership.objects.filter(user=new, agency=polres, role=Role.FRONT_DESK, granted_by=manager).exists()
    assert AuditEvent.objects.filter(action="officer.create", actor=manager).exists()
    assert AuditEvent.objects.filter(action="membership.grant", actor=manager).exists()


def test_agency_admin_manages_only_their_own_agency(officer, officer_client):
    admin = officer(Role.AGENCY_ADMIN, "DISDUKCAPIL")
    c = officer_client(admin)
    choices = c.get("/petugas/kelola/").context["form"].fields["membership"].choices
    dukcapil = Agency.objects.get(slug="DISDUKCAPIL")
    assert len(choices) == 1 and dukcapil.name in choices[0][1]
    polres = Agency.objects.get(slug="POLRES_METRO_TNG_KOTA")
    assert not any(polres.name in label for _v, label in choices)
    # forging the POLRES target is refused (the value is not among the choices)
    forged = f"{admin.memberships.get().mall.code}:{polres.code}"
    response = c.post("/petugas/kelola/", {"email": "x@polres.go.id", "full_name": "X", "membership": forged,
                                           "role": Role.FRONT_DESK})
    assert not User.objects.filter(email="x@polres.go.id").exists()
    assert response.status_code == 200
    # an agency admin may not create a mall-level role either
    own = choices[0][0]
    c.post("/petugas/kelola/", {"email": "y@dukcapil.go.id", "full_name": "Y", "membership": own,
                                "role": Role.MALL_MANAGER})
    assert not User.objects.filter(email="y@dukcapil.go.id").exists()
    # and revoking a POLRES officer's role is a 404
    other = officer(Role.VERIFIER, "POLRES_METRO_TNG_KOTA")
    response = c.post(f"/petugas/kelola/peran/{other.memberships.get().code}/cabut/")
    assert response.status_code == 404
    assert other.memberships.get().is_active
    assert c.post(f"/petugas/kelola/peran/{other.memberships.get().code}/atur-ulang-autentikator/").status_code == 404
    assert other.totpdevice_set.exists()
    colleague = officer(Role.VERIFIER, "DISDUKCAPIL")
    # lost phone: the admin resets the colleague's authenticator; they must enrol again
    c.post(f"/petugas/kelola/peran/{colleague.memberships.get().code}/atur-ulang-autentikator/")
    assert not colleague.totpdevice_set.exists()
    assert AuditEvent.objects.filter(action="officer.totp_reset", object_code=str(colleague.code)).exists()
    c.post(f"/petugas/kelola/peran/{colleague.memberships.get().code}/cabut/")
    assert not colleague.memberships.get().is_active


def test_front_desk_has_no_management_screen(officer, officer_client):
    c = officer_client(officer(Role.FRONT_DESK, "DISDUKCAPIL"))
    assert c.get("/petugas/kelola/").status_code == 404


def test_lookup_is_audited_with_purpose_and_assisted_mandate_names_both_people(officer, officer_client):
    person = _citizen()
    desk = officer(Role.FRONT_DESK, "DISDUKCAPIL")
    c = officer_client(desk)
    membership = desk.memberships.get()
    bad = c.post("/petugas/warga/", {"nik": "12345", "purpose": "x", "membership": str(membership.code)})
    assert "NIK harus 16 angka; yang Anda masukkan 5 karakter" in bad.content.decode()
    miss = c.post("/petugas/warga/", {"nik": synthetic_nik(), "purpose": "Layanan KTP-el",
                                      "membership": str(membership.code)})
    assert "Tidak ada warga terdaftar" in miss.content.decode()
    page = c.post("/petugas/warga/", {"nik": person.nik, "purpose": "Layanan KTP-el hilang",
                                      "membership": str(membership.code)})
    body = page.content.decode()
    assert page.status_code == 200 and "Siti Warga" in body
    assert person.nik not in body and person.masked_nik in body
    read = AuditEvent.objects.filter(action="person.data_viewed", subject_person=str(person.code)).get()
    assert read.actor_id == desk.pk and read.purpose == "Layanan KTP-el hilang"
    assert read.agency_id == membership.agency_id and read.mall_id == membership.mall_id

    ticket = page.context["mandate_form"].initial["ticket"]
    empty = c.post("/petugas/warga/mandat/", {"ticket": ticket, "evidence": ""})
    assert empty.status_code == 400 and "Tuliskan catatan" in empty.content.decode()
    response = c.post("/petugas/warga/mandat/", {"ticket": ticket, "evidence": "Lansia, KTP-el asli diperiksa"})
    assert response.status_code == 302 and response["Location"] == f"/petugas/warga/{person.code}/"
    mandate = Mandate.objects.get(subject=person)
    assert mandate.basis == Mandate.Basis.ASSISTED_DIGITAL and mandate.actor == desk
    assert mandate.agency_id == membership.agency_id and mandate.mall_id == membership.mall_id
    event = AuditEvent.objects.get(object_type="identity.mandate", object_code=str(mandate.code))
    assert event.actor_id == desk.pk and event.on_behalf_of == str(person.code)
    assert c.get(f"/petugas/warga/{person.code}/").status_code == 200
    # a colleague of the same agency may open the record too — and that opening is recorded as theirs
    colleague = officer(Role.VERIFIER, "DISDUKCAPIL")
    assert officer_client(colleague).get(f"/petugas/warga/{person.code}/").status_code == 200
    assert AuditEvent.objects.filter(action="person.data_viewed", actor=colleague,
                                     subject_person=str(person.code), agency_id=membership.agency_id).exists()

    # another agency's officer neither sees the person nor can reuse the ticket
    polres = officer(Role.FRONT_DESK, "POLRES_METRO_TNG_KOTA")
    c2 = officer_client(polres)
    assert c2.get(f"/petugas/warga/{person.code}/").status_code == 404
    assert c2.post("/petugas/warga/mandat/", {"ticket": ticket, "evidence": "x"}).status_code == 404
    # the mall manager and auditor see the mandate in the list but not the citizen's record
    auditor = officer(Role.AUDITOR)
    c3 = officer_client(auditor)
    assert c3.get(f"/petugas/warga/{person.code}/").status_code == 404
    assert c3.get("/petugas/warga/").status_code == 404
    assert audit_verify().ok


def test_home_lists_only_own_agency_mandates(officer, officer_client):
    person = _citizen()
    dukcapil_desk = officer(Role.FRONT_DESK, "DISDUKCAPIL")
    polres_desk = officer(Role.FRONT_DESK, "POLRES_METRO_TNG_KOTA")
    for actor in (dukcapil_desk, polres_desk):
        m = actor.memberships.get()
        Mandate.objects.create(actor=actor, subject=person, basis=Mandate.Basis.ASSISTED_DIGITAL, evidence="x",
                               mall=m.mall, agency=m.agency)
    verifier = officer(Role.VERIFIER, "DISDUKCAPIL")
    body = officer_client(verifier).get("/petugas/").content.decode()
    assert dukcapil_desk.full_name in body and polres_desk.full_name not in body
