"""Accounts. Citizens sign in with phone or e-mail; officers with e-mail plus TOTP.

The citizen's personal record (NIK, KK, family, mandates) lives in `Person` and related
models of this app; a `User` is only the login.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **extra):
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", User.Kind.OFFICER)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Warga")
        OFFICER = "officer", _("Petugas")
        PARTNER = "partner", _("Aplikasi mitra")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, unique=True, null=True, blank=True,
                             help_text=_("format E.164, mis. +6281234567890"))
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(_("akses back office"), default=False)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)
    preferred_language = models.CharField(max_length=5, default="id")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.code)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


# --------------------------------------------------------------------------- citizens

class Person(BaseModel):
    """A resident known to SatuPintu: a citizen with an account, or a family member (e.g. a
    child from the KK) acted for under a mandate. NIK and KK number are stored encrypted
    (AES-GCM, key id for rotation) with a keyed HMAC blind index for look-ups."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    account = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person")
    nik_encrypted = models.TextField(editable=False)
    nik_index = models.CharField(max_length=64, unique=True, editable=False)
    kk_encrypted = models.TextField(blank=True, editable=False)
    kk_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    birth_date = models.DateField(_("tanggal lahir"))
    birth_place = models.CharField(_("tempat lahir"), max_length=120, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    verified_at = models.DateTimeField(_("terverifikasi"), null=True, blank=True)
    verified_by = models.CharField(max_length=20, blank=True, help_text="dukcapil | officer | oidc")
    preferred_channel = models.CharField(
        _("kanal notifikasi"), max_length=12, default="sms",
        choices=[("sms", "SMS"), ("whatsapp", "WhatsApp"), ("email", "E-mail")],
    )

    class Meta:
        verbose_name = _("penduduk")
        verbose_name_plural = _("penduduk")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.masked_nik})"

    # NIK helpers: the plaintext exists only in memory
    @property
    def nik(self) -> str:
        from satupintu.core.crypto import decrypt

        return decrypt(self.nik_encrypted, context="nik")

    def set_nik(self, nik: str) -> None:
        from satupintu.core.crypto import blind_index, encrypt

        self.nik_encrypted = encrypt(nik, context="nik")
        self.nik_index = blind_index(nik, context="nik")

    @property
    def kk_number(self) -> str:
        from satupintu.core.crypto import decrypt

        return decrypt(self.kk_encrypted, context="kk") if self.kk_encrypted else ""

    def set_kk_number(self, kk: str) -> None:
        from satupintu.core.crypto import blind_index, encrypt

        self.kk_encrypted = encrypt(kk, context="kk") if kk else ""
        self.kk_index = blind_index(kk, context="kk") if kk else ""

    @property
    def masked_nik(self) -> str:
        nik = self.nik
        return f"{nik[:4]}********{nik[-4:]}"


class Consent(BaseModel):
    """A consent the citizen gave (UU 27/2022), withdrawable."""

    class Purpose(models.TextChoices):
        REGISTRY_VERIFICATION = "registry_verification", _("Verifikasi data ke Dukcapil")
        KK_PREFILL = "kk_prefill", _("Mengambil anggota KK untuk isian otomatis")
        NOTIFICATIONS = "notifications", _("Menerima pemberitahuan layanan")
        PARTNER_APP = "partner_app", _("Aplikasi mitra bertindak atas nama saya")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=40, choices=Purpose.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    notice_version = models.CharField(max_length=20, default="2026-11")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("persetujuan")
        verbose_name_plural = _("persetujuan")


class Mandate(BaseModel):
    """Someone acts for someone else: a parent for a child (KK), an officer for a citizen who
    cannot do it themselves (assisted digital), or under a power of attorney. Every action
    done under a mandate names both people (audit `on_behalf_of`)."""

    class Basis(models.TextChoices):
        FAMILY = "family", _("Anggota keluarga dalam KK")
        ASSISTED_DIGITAL = "assisted_digital", _("Dibantu petugas loket")
        POWER_OF_ATTORNEY = "power_of_attorney", _("Surat kuasa")

    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="mandates_held")
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mandates_given")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    evidence = models.TextField(_("bukti"), blank=True,
                                help_text=_("mis. nomor KK yang sama, surat kuasa, catatan petugas"))
    mall = models.ForeignKey("catalogue.Mall", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandat")

    def is_active(self, at=None) -> bool:
        at = at or timezone.now()
        return (self.revoked_at is None and self.valid_from <= at
                and (self.valid_until is None or at < self.valid_until))


class OneTimeCode(models.Model):
    """A one-time code sent to a phone or e-mail. Only a hash of the code is stored; the
    short prefix (e.g. 'SP-') differs per issue so an old message is not mistaken for a new one."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Pendaftaran")
        LOGIN = "login", _("Masuk")
        RESET = "reset", _("Atur ulang kata sandi")
        CONTACT_CHANGE = "contact_change", _("Ganti kontak")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    destination_index = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=12)
    prefix = models.CharField(max_length=8)
    code_hash = models.CharField(max_length=128)
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True,
                               help_text="pending data (e.g. the sign-up), encrypted where personal")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} via {self.channel} ({self.code})"


# --------------------------------------------------------------------------- officers

class Role(models.TextChoices):
    FRONT_DESK = "front_desk", _("Petugas loket")
    VERIFIER = "verifier", _("Verifikator")
    APPROVER = "approver", _("Penyetuju / penanda tangan")
    AGENCY_ADMIN = "agency_admin", _("Administrator instansi")
    MALL_MANAGER = "mall_manager", _("Pengelola MPP")
    AUDITOR = "auditor", _("Auditor")


class Membership(BaseModel):
    """An officer's role in a mall, for an agency (mall-level roles — mall manager, auditor —
    have no agency)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey("catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("peran petugas")
        verbose_name_plural = _("peran petugas")
        constraints = [
            models.UniqueConstraint(fields=["user", "mall", "agency", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["mall_manager", "auditor"]) | models.Q(agency__isnull=False),
                name="membership_agency_roles_need_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.agency or self.mall})"


class CorrectionRequest(BaseModel):
    """The citizen asks for their data to be corrected (UU 27/2022)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Diajukan")
        DONE = "done", _("Diperbaiki")
        REFUSED = "refused", _("Ditolak")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="correction_requests")
    field = models.CharField(max_length=60)
    requested_value = models.TextField()
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
