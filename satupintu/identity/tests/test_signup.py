"""Sign-up, codes and their limits, against the fake registry (rules through services)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from satupintu.core.errors import DomainError
from satupintu.core.models import AuditEvent
from satupintu.identity import services
from satupintu.identity.models import Consent, OneTimeCode, Person, User
from satupintu.integrations.dukcapil import RegistryUnavailable
from satupintu.notifications.models import Notification
from satupintu.notifications.selectors import notification_plain_context
from tests.fixtures.identity_citizen import AGUS, DEMO_PASSWORD, SITI, otp_from_outbox

pytestmark = pytest.mark.django_db

PHONE = "+6281211112222"


def start(resident=SITI, *, phone="0812-1111-2222", ip="10.0.0.1", **kw):
    args = {"nik": resident["nik"], "full_name": resident["name"],
            "birth_date": dt.date.fromisoformat(resident["birth_date"]), "phone": phone, "password": DEMO_PASSWORD,
            "consent": True, "ip": ip}
    args.update(kw)
    return services.signup_start(**args)


def test_happy_path_creates_verified_account_with_encrypted_nik(fake_registry):
    result = start()
    assert result.state == "code_sent"
    row = Notification.objects.get(destination=PHONE, template="identity.otp")
    assert isinstance(row.context["code"], dict)  # the code is encrypted in the outbox row
    plain = notification_plain_context(row)
    assert row.channel == "sms" and set(plain) >= {"code", "prefix", "minutes"} and plain["minutes"] == 10
    assert plain["code"].startswith(plain["prefix"] + "-") and len(plain["code"]) == 9
    otc = OneTimeCode.objects.get(code=result.reference)
    assert plain["code"].split("-")[1] not in otc.code_hash and SITI["nik"] not in str(otc.payload)
    user = services.signup_confirm(reference=result.reference, code=plain["code"])
    person = user.person
    assert user.phone == PHONE and user.kind == User.Kind.CITIZEN and user.check_password(DEMO_PASSWORD)
    assert person.nik == SITI["nik"] and SITI["nik"] not in person.nik_encrypted and person.verified_by == "dukcapil"
    assert person.sex == "P"
    assert Consent.objects.filter(person=person, purpose="registry_verification").exists()
    assert AuditEvent.objects.filter(action="identity.signup", subject_person=str(person.code)).exists()


def test_code_without_prefix_is_accepted(fake_registry):
    result = start()
    digits = otp_from_outbox(PHONE).split("-")[1]
    assert services.signup_confirm(reference=result.reference, code=f" {digits[:3]} {digits[3:]} ")


@pytest.mark.parametrize("phone", ["081211112222", "+62 812-1111-2222", "6281211112222", "0812 1111 2222"])
def test_phone_formats_normalise_to_e164(phone):
    assert services.phone_normalize(phone) == PHONE


@pytest.mark.parametrize(("phone", "code"), [("12345", "phone_invalid"), ("021 555 1234", "phone_not_mobile"),
                                             ("", "phone_required"), ("abc", "phone_invalid")])
def test_bad_phone_numbers_are_explained(phone, code):
    with pytest.raises(DomainError) as info:
        services.phone_normalize(phone)
    assert info.value.code == code and info.value.field == "phone"


def test_wrong_nik_creates_nothing_and_contacts_no_registry(fake_registry):
    with pytest.raises(DomainError) as info:
        start(dict(SITI, nik="367101520388000"))
    with translation.override("id"):
        assert str(info.value.message) == "NIK harus 16 angka; yang Anda masukkan 15 angka."
    assert not fake_registry.calls and not OneTimeCode.objects.exists() and not User.objects.exists()


def test_birth_date_must_agree_with_nik(fake_registry):
    with pytest.raises(DomainError) as info:
        start(birth_date=dt.date(1988, 3, 13))
    assert info.value.code == "birth_date_mismatch" and info.value.field == "birth_date"


def test_consent_required(fake_registry):
    with pytest.raises(DomainError) as info:
        start(consent=False)
    assert info.value.code == "consent_required"


def test_registry_mismatch_same_answer_whether_or_not_registered(fake_registry):
    """An unproven person learns nothing about whether the NIK has an account."""
    with pytest.raises(DomainError) as unregistered:
        start(full_name="Bukan Siti")
    services.signup_confirm(reference=start().reference, code=otp_from_outbox(PHONE))  # now Siti is registered
    with pytest.raises(DomainError) as registered:
        start(full_name="Bukan Siti", phone="0813 5555 6666", ip="10.0.0.2")
    assert (unregistered.value.code, str(unregistered.value.message)) == (registered.value.code,
                                                                          str(registered.value.message))
    assert User.objects.count() == 1
    assert not Notification.objects.filter(template="identity.account_exists").exists()


def test_account_exists_told_only_after_registry_match_and_never_shows_contacts(fake_registry):
    services.signup_confirm(reference=start(email="siti@contoh.id").reference, code=otp_from_outbox(PHONE))
    result = start(phone="0813 5555 6666", ip="10.0.0.2")
    assert result.state == "account_exists"
    assert User.objects.count() == 1
    # the owner is warned on the account's own contact; nothing was sent to the newcomer
    assert Notification.objects.filter(template="identity.account_exists", destination=PHONE).count() == 1
    assert not Notification.objects.filter(destination="+6281355556666").exists()


def test_wrong_old_and_expired_codes(fake_registry, settings):
    result = start()
    first = otp_from_outbox(PHONE)
    otc = OneTimeCode.objects.get(code=result.reference)
    with pytest.raises(DomainError) as wrong:
        services.signup_confirm(reference=result.reference, code=f"{otc.prefix}-000000"
                                if first != f"{otc.prefix}-000000" else f"{otc.prefix}-111111")
    assert wrong.value.code == "code_wrong" and "Sisa percobaan: 4" in str(wrong.value.message)
    with pytest.raises(DomainError) as short:
        services.signup_confirm(reference=result.reference, code="12345")
    assert short.value.code == "code_wrong" and "5 angka" in str(short.value.message)
    # a new code after the cool-down: the first one is now recognised as old
    OneTimeCode.objects.filter(pk=otc.pk).update(payload={**otc.payload, "sent_at": (
        timezone.now() - timedelta(minutes=2)).isoformat()})
    services.code_resend(reference=result.reference)
    second = otp_from_outbox(PHONE)
    assert second.split("-")[0] != first.split("-")[0]
    with pytest.raises(DomainError) as old:
        services.signup_confirm(reference=result.reference, code=first)
    assert old.value.code == "code_old" and second.split("-")[0] in str(old.value.message)
    OneTimeCode.objects.filter(code=result.reference).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError) as expired:
        services.signup_confirm(reference=result.reference, code=second)
    assert expired.value.code == "code_expired"
    assert not User.objects.exists()


def test_too_many_wrong_codes_lock_the_request(fake_registry):
    result = start()
    right = otp_from_outbox(PHONE)
    wrong = right[:-1] + str((int(right[-1]) + 1) % 10)
    for _ in range(5):
        with pytest.raises(DomainError):
            services.signup_confirm(reference=result.reference, code=wrong)
    with pytest.raises(DomainError) as info:
        services.signup_confirm(reference=result.reference, code=right)
    assert info.value.code == "code_locked" and info.value.status == 429
    assert not User.objects.exists()


def test_resend_cooldown(fake_registry):
    result = start()
    with pytest.raises(DomainError) as info:
        services.code_resend(reference=result.reference)
    assert info.value.code == "code_cooldown" and info.value.status == 429


def test_flood_per_nik_per_ip_per_destination(fake_registry):
    for i in range(5):
        start(phone=f"0812 1111 22{i:02d}", ip=f"10.0.1.{i}")
    with pytest.raises(DomainError) as per_nik:
        start(phone="0812 1111 2299", ip="10.0.1.99")
    assert per_nik.value.code == "too_many_requests_nik"
    calls = len(fake_registry.calls)
    # per IP: many NIKs from one address
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(hours=2))
    for i in range(20):
        OneTimeCode.objects.create(purpose="signup", destination_index=str(i), channel="sms", prefix="", code_hash="",
                                   ip="10.9.9.9", expires_at=timezone.now())
    with pytest.raises(DomainError) as per_ip:
        start(AGUS, phone="0812 3333 4444", ip="10.9.9.9")
    assert per_ip.value.code == "too_many_requests_ip"
    assert len(fake_registry.calls) == calls  # refused before asking the registry
    assert not User.objects.exists()


def test_registry_down_keeps_signup_pending_then_resumes(fake_registry):
    fake_registry.fail_with = RegistryUnavailable("down", status=503, retry_after=30)
    result = start()
    assert result.state == "registry_pending" and result.retry_after == 30
    assert not Notification.objects.filter(template="identity.otp").exists()
    fake_registry.fail_with = None
    resumed = services.signup_resume(reference=result.reference)
    assert resumed.state == "code_sent" and resumed.reference == result.reference
    user = services.signup_confirm(reference=result.reference, code=otp_from_outbox(PHONE))
    assert user.person.nik == SITI["nik"]


def test_email_channel(fake_registry):
    result = start(email="Siti@Contoh.ID", channel="email")
    code = otp_from_outbox("siti@contoh.id")
    user = services.signup_confirm(reference=result.reference, code=code)
    assert user.email == "siti@contoh.id"


def test_existing_person_without_account_gets_attached(fake_registry):
    """A child added by a parent who later signs up keeps the same person record."""
    from satupintu.core.crypto import blind_index

    child = Person(full_name="Agus Setiawan", birth_date=dt.date(1985, 5, 14))
    child.set_nik(AGUS["nik"])
    child.save()
    services.signup_confirm(reference=start(AGUS, phone="0812 3333 4444").reference,
                            code=otp_from_outbox("+6281233334444"))
    assert Person.objects.filter(nik_index=blind_index(AGUS["nik"], context="nik")).count() == 1
    child.refresh_from_db()
    assert child.account is not None


@pytest.mark.parametrize(("name", "code"), [("Siti Rahayu 2", "name_invalid"), ("Siti <b>", "name_invalid"),
                                            ("   ", "name_required"), ("x" * 201, "name_too_long")])
def test_names_are_checked(fake_registry, name, code):
    with pytest.raises(DomainError) as info:
        start(full_name=name)
    assert info.value.code == code and info.value.field == "full_name"
    assert not fake_registry.calls


def test_control_characters_are_dropped_not_crashing(fake_registry):
    result = start(full_name="Siti\x00 Rahayu\x07")
    assert result.state == "code_sent"


def test_names_with_apostrophes_and_dots_are_fine():
    assert services.name_clean("  Ma'ruf   Amin,  S.H. ") == "Ma'ruf Amin, S.H."


def test_nul_in_login_identifier_is_just_a_failed_login(client, siti_citizen):
    r = client.post("/masuk/", {"username": "a\x00b@contoh.id", "password": "x"})
    assert r.status_code == 400


def test_purge_expired_codes(fake_registry):
    from django.core.management import call_command

    fresh = OneTimeCode.objects.get(code=start().reference)
    old = OneTimeCode.objects.create(purpose="signup", destination_index="x", channel="sms", prefix="", code_hash="",
                                     expires_at=timezone.now() - timedelta(days=2))
    call_command("purge_one_time_codes")
    assert OneTimeCode.objects.filter(pk=fresh.pk).exists() and not OneTimeCode.objects.filter(pk=old.pk).exists()


@hsettings(max_examples=200, deadline=None)
@given(st.sampled_from(["811", "812", "813", "821", "822", "852", "853", "857", "878", "895", "896"]),
       st.text(alphabet="0123456789", min_size=7, max_size=8),
       st.sampled_from(["0{p}{r}", "+62{p}{r}", "62{p}{r}", "0{p}-{r}", "+62 {p} {r}", "({p}) {r}"]))
def test_property_any_common_writing_of_a_mobile_number_gives_one_e164(prefix, rest, pattern):
    value = pattern.format(p=prefix, r=rest)
    if pattern.startswith("("):
        value = "0" + value
    assert services.phone_normalize(value) == f"+62{prefix}{rest}"


def test_every_resend_has_a_prefix_not_used_before(fake_registry, monkeypatch):
    """Even when the random source repeats itself, the prefix of a new message differs from the earlier ones."""
    result = start()
    first = otp_from_outbox(PHONE).split("-")[0]
    draws = iter([(first, "111111"), (first, "222222"), ("ZZ", "333333")])
    monkeypatch.setattr(services, "_new_code", lambda: next(draws))
    otc = OneTimeCode.objects.get(code=result.reference)
    OneTimeCode.objects.filter(pk=otc.pk).update(payload={**otc.payload, "sent_at": (
        timezone.now() - timedelta(minutes=2)).isoformat()})
    services.code_resend(reference=result.reference)
    assert otp_from_outbox(PHONE) == "ZZ-333333"
