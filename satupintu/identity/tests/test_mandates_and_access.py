"""Mandates name both people; officer reads are recorded for the citizen to see."""

from __future__ import annotations

import pytest

from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.identity import selectors, services
from satupintu.identity.access import persons_actor_may_act_for

pytestmark = pytest.mark.django_db


def test_acting_for_names_both_people(siti_citizen):
    services.consent_grant(user=siti_citizen, purpose="kk_prefill")
    mandate = services.family_member_add(user=siti_citizen, key=services.member_key("3671016001190002"))
    event = services.acting_for_record(user=siti_citizen, subject=mandate.subject, action="applications.submitted")
    assert event.actor_id == siti_citizen.pk and event.on_behalf_of == str(mandate.subject.code)
    assert event.subject_person == str(mandate.subject.code)


def test_adult_family_member_cannot_be_added(siti_citizen, fake_registry):
    from tests.fixtures.identity_citizen import AGUS, signup_citizen

    agus = signup_citizen(AGUS, "0812 3333 4444")
    services.consent_grant(user=agus, purpose="kk_prefill")
    with pytest.raises(DomainError) as info:
        services.family_member_add(user=agus, key=services.member_key("3671085708900003"))  # Nurul, his wife
    assert info.value.code == "member_adult" and "17 tahun" in str(info.value.message)
    with pytest.raises(DomainError) as info:
        services.family_member_add(user=agus, key=services.member_key(AGUS["nik"]))
    assert info.value.code == "member_is_self"
    with pytest.raises(DomainError):  # Siti's child is not in Agus's KK
        services.family_member_add(user=agus, key=services.member_key("3671016001190002"))


def test_registry_down_when_fetching_family_is_a_clear_retry(siti_citizen, fake_registry):
    from satupintu.integrations.dukcapil import RegistryUnavailable

    services.consent_grant(user=siti_citizen, purpose="kk_prefill")
    fake_registry.fail_with = RegistryUnavailable("down")
    with pytest.raises(DomainError) as info:
        services.family_fetch(user=siti_citizen)
    assert info.value.status == 503 and "tidak ada data Anda yang hilang" in str(info.value.message)


def test_officer_access_record_derives_agency_and_shows_in_data_saya(siti_citizen, officer_maker, catalogue):
    officer = officer_maker(name="Dewi Verifikator", role="verifier")
    with pytest.raises(DomainError):
        services.person_data_access_record(officer=officer, person=siti_citizen.person, purpose="  ")
    services.person_data_access_record(officer=officer, person=siti_citizen.person, purpose="Verifikasi berkas KIA",
                                       fields=["nik", "kk"])
    [entry] = selectors.data_access_log(siti_citizen.person)
    assert entry.officer == "Dewi Verifikator" and entry.purpose == "Verifikasi berkas KIA"
    assert entry.agency and entry.mall == catalogue.name
    # the citizen's own actions are not "officer accesses"
    assert AuditEvent.objects.filter(subject_person=str(siti_citizen.person.code)).count() > 1


def test_assisted_digital_mandate(siti_citizen, officer_maker, catalogue):
    officer = officer_maker(name="Petugas Loket")
    with pytest.raises(DomainError):
        services.mandate_assisted_digital_create(officer=officer, person=siti_citizen.person, evidence="")
    mandate = services.mandate_assisted_digital_create(officer=officer, person=siti_citizen.person, mall=catalogue,
                                                       evidence="Lansia minta dibantu; KTP-el diperiksa")
    assert mandate.basis == "assisted_digital" and mandate.valid_until is not None
    assert siti_citizen.person.pk in persons_actor_may_act_for(officer)
    assert [m.pk for m in selectors.mandates_given(siti_citizen.person)] == [mandate.pk]
    # the citizen withdraws it
    services.mandate_revoke(user=siti_citizen, mandate_code=mandate.code)
    assert siti_citizen.person.pk not in persons_actor_may_act_for(officer)
