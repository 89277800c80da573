"""Writes of the officer side. Every change writes an audit event in the same transaction."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.catalogue.models import Agency, Mall, Tenancy
from satupintu.core.audit import audit_record
from satupintu.core.crypto import blind_index
from satupintu.core.errors import DomainError, NotFound
from satupintu.identity.access import AGENCY_ROLES, MALL_ROLES, is_officer, memberships
from satupintu.identity.models import Mandate, Membership, Person, Role, User

DEVICE_NAME = "TOTP"


# --------------------------------------------------------------------------- who may manage whom

def manageable_targets(by: User) -> list[tuple[Mall, Agency | None]]:
    """(mall, agency) pairs `by` may create officers for: a mall manager every agency of their
    mall (and the mall-level roles), an agency administrator their own agency only."""
    targets: list[tuple[Mall, Agency | None]] = []
    for m in memberships(by, {Role.MALL_MANAGER, Role.AGENCY_ADMIN}).select_related("mall", "agency"):
        if m.role == Role.MALL_MANAGER:
            targets.append((m.mall, None))
            for t in Tenancy.objects.filter(mall=m.mall).select_related("agency").order_by("agency__name"):
                targets.append((m.mall, t.agency))
        else:
            targets.append((m.mall, m.agency))
    seen, unique = set(), []
    for mall, agency in targets:
        key = (mall.pk, agency.pk if agency else None)
        if key not in seen:
            seen.add(key)
            unique.append((mall, agency))
    return unique


def _may_grant(by: User, mall: Mall, agency: Agency | None, role: str) -> bool:
    if role in MALL_ROLES:
        return agency is None and memberships(by, {Role.MALL_MANAGER}).filter(mall=mall).exists()
    if agency is None:
        return False
    if memberships(by, {Role.MALL_MANAGER}).filter(mall=mall).exists():
        return Tenancy.objects.filter(mall=mall, agency=agency).exists()
    return memberships(by, {Role.AGENCY_ADMIN}).filter(mall=mall, agency=agency).exists()


@transaction.atomic
def officer_create(*, by: User, email: str, full_name: str, mall: Mall, agency: Agency | None,
                   role: str) -> tuple[User, str]:
    """Create an officer account (or add a role to an existing officer). Returns the user and a
    one-time initial password ('' when the officer already existed) to hand over in person;
    the officer must enrol a TOTP device at first sign-in before anything else."""
    if not _may_grant(by, mall, agency, role):
        raise NotFound(_("Anda tidak berwenang memberi peran ini untuk instansi atau mal tersebut."))
    email = email.strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    password = ""
    if user is not None and user.kind != User.Kind.OFFICER:
        raise DomainError(_("E-mail ini sudah dipakai akun warga. Gunakan e-mail dinas petugas."), field="email")
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(email=email, password=password, full_name=full_name.strip(),
                                        kind=User.Kind.OFFICER)
        audit_record(action="officer.create", actor=by, obj=user, mall_id=mall.pk,
                     agency_id=agency.pk if agency else None, data={"email": email})
    membership_grant(by=by, user=user, mall=mall, agency=agency, role=role)
    return user, password


@transaction.atomic
def membership_grant(*, by: User, user: User, mall: Mall, agency: Agency | None, role: str) -> Membership:
    if not _may_grant(by, mall, agency, role):
        raise NotFound(_("Anda tidak berwenang memberi peran ini untuk instansi atau mal tersebut."))
    if role in AGENCY_ROLES and agency is None:
        raise DomainError(_("Peran ini harus untuk satu instansi."), field="role")
    membership, created = Membership.objects.get_or_create(
        user=user, mall=mall, agency=agency, role=role, defaults={"granted_by": by})
    if not created and membership.is_active:
        raise DomainError(_("Petugas ini sudah memiliki peran tersebut."), code="exists", status=409)
    if not created:
        membership.is_active = True
        membership.granted_by = by
        membership.save(update_fields=["is_active", "granted_by", "updated_at"])
    audit_record(action="membership.grant", actor=by, obj=membership, mall_id=mall.pk,
                 agency_id=agency.pk if agency else None, data={"user": str(user.code), "role": role})
    return membership


@transaction.atomic
def membership_revoke(*, by: User, membership: Membership) -> Membership:
    """`membership` must come from access_membership(by, code, roles=...)."""
    if membership.user_id == by.pk:
        raise DomainError(_("Anda tidak dapat mencabut peran Anda sendiri."))
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(action="membership.revoke", actor=by, obj=membership, mall_id=membership.mall_id,
                 agency_id=membership.agency_id, data={"user": str(membership.user.code), "role": membership.role})
    return membership


# --------------------------------------------------------------------------- TOTP

def totp_confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device for the officer to scan (reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk or device.confirmed:
        raise NotFound()
    if not device.verify_token(token):
        raise DomainError(_("Kode tidak cocok. Pastikan jam ponsel Anda tepat, lalu masukkan kode yang "
                            "sedang tampil di aplikasi autentikator."), field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action="officer.totp_enrolled", actor=user, obj=user)
    return device


@transaction.atomic
def totp_reset(*, by: User, user: User) -> None:
    """An administrator removes an officer's devices (lost phone); the officer enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(action="officer.totp_reset", actor=by, obj=user)


# --------------------------------------------------------------------------- citizens at the counter

def officer_person_lookup(*, officer: User, membership: Membership, nik: str, purpose: str,
                          ip: str | None = None) -> Person:
    """Find a citizen by NIK (blind index) at the counter. Every look-up — found or not — is an
    audit event; a found one is a read of personal data the citizen sees in "Data saya"."""
    if not is_officer(officer) or membership.user_id != officer.pk or membership.role not in AGENCY_ROLES:
        raise NotFound()
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Tuliskan keperluan membuka data warga."), field="purpose")
    person = Person.objects.filter(nik_index=blind_index(nik, context="nik")).first()
    with transaction.atomic():
        if person is None:
            audit_record(action="person.lookup_miss", actor=officer, mall_id=membership.mall_id,
                         agency_id=membership.agency_id, purpose=purpose, ip=ip)
        else:
            officer_person_read_record(officer=officer, person=person, membership=membership, purpose=purpose, ip=ip)
    if person is None:
        raise NotFound(_("Tidak ada warga terdaftar dengan NIK tersebut. Periksa kembali angka pada KTP-el."))
    return person


def _citizen_services():
    """The citizen side's services (identity/services.py, another branch of work) when present:
    officer reads and assisted mandates are then recorded in the one shape "Data saya" reads."""
    try:
        from satupintu.identity import services
    except ImportError:
        return None
    return services


def officer_person_read_record(*, officer, person, membership, purpose, ip=None) -> None:
    services = _citizen_services()
    if services is not None and hasattr(services, "person_data_access_record"):
        services.person_data_access_record(officer=officer, person=person, purpose=purpose,
                                           agency=membership.agency, mall=membership.mall, ip=ip)
        return
    agency, mall = membership.agency, membership.mall
    audit_record(action="person.data_viewed", actor=officer, obj=person, subject_person=str(person.code),
                 mall_id=mall.pk, agency_id=agency.pk if agency else None, purpose=purpose, ip=ip,
                 data={"agency": agency.name if agency else "", "agency_slug": getattr(agency, "slug", ""),
                       "mall": mall.name, "fields": []})


@transaction.atomic
def mandate_assisted_create(*, officer: User, membership: Membership, person: Person, evidence: str) -> Mandate:
    """The officer acts for a citizen who cannot do it themselves (assisted digital), for the service
    day; every action under it names both people (`mandate_audit_kwargs`). Delegates to the citizen
    side's `mandate_assisted_digital_create` when it is there, so there is one way to make one."""
    from datetime import timedelta

    from django.utils import timezone

    if membership.user_id != officer.pk or membership.role not in AGENCY_ROLES or not membership.is_active:
        raise NotFound()
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(_("Tuliskan catatan: alasan warga dibantu dan bukti yang diperiksa."), field="evidence")
    services = _citizen_services()
    if services is not None and hasattr(services, "mandate_assisted_digital_create"):
        return services.mandate_assisted_digital_create(officer=officer, person=person, evidence=evidence,
                                                        agency=membership.agency, mall=membership.mall)
    now = timezone.now()
    mandate = Mandate.objects.create(
        actor=officer, subject=person, basis=Mandate.Basis.ASSISTED_DIGITAL, evidence=evidence,
        mall_id=membership.mall_id, agency_id=membership.agency_id, valid_from=now,
        valid_until=now + timedelta(hours=8),
    )
    audit_record(action="mandate.create", obj=mandate, **mandate_audit_kwargs(mandate),
                 data={"basis": mandate.basis, "valid_until": mandate.valid_until})
    return mandate


@transaction.atomic
def mandate_revoke(*, by: User, mandate: Mandate) -> Mandate:
    from django.utils import timezone

    if mandate.revoked_at is None:
        mandate.revoked_at = timezone.now()
        mandate.revoked_by = by
        mandate.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_record(action="mandate.revoke", actor=by, obj=mandate, subject_person=str(mandate.subject.code),
                     on_behalf_of=str(mandate.subject.code), mall_id=mandate.mall_id, agency_id=mandate.agency_id)
    return mandate


def mandate_audit_kwargs(mandate: Mandate) -> dict:
    """What every `audit_record` of an action under a mandate carries: the actor and the person
    acted for (and the mall/agency where it happened)."""
    return {"actor": mandate.actor, "on_behalf_of": str(mandate.subject.code),
            "subject_person": str(mandate.subject.code), "mall_id": mandate.mall_id,
            "agency_id": mandate.agency_id, "purpose": f"mandate:{mandate.basis}:{mandate.code}"}
