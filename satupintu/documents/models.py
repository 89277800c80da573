"""Documents: the citizen's vault (upload once, offer again) and documents SatuPintu
issues (signed PDFs with a public verification page)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel

MB = 1024 * 1024

PDF = "pdf"
JPEG = "jpg"
PNG = "png"


class DocumentKind(models.TextChoices):
    KK = "kk", _("Kartu Keluarga (KK)")
    AKTA_KELAHIRAN = "akta_kelahiran", _("Akta kelahiran")
    AKTA_PERKAWINAN = "akta_perkawinan", _("Akta perkawinan / buku nikah")
    IJAZAH = "ijazah", _("Ijazah")
    PAS_FOTO = "pas_foto", _("Pas foto")
    KTP_SCAN = "ktp_scan", _("Pindaian KTP-el")
    SK_KELAHIRAN = "sk_kelahiran", _("Surat keterangan kelahiran")
    SURAT_KEHILANGAN = "surat_kehilangan", _("Surat keterangan kehilangan dari kepolisian")
    SKPWNI = "skpwni", _("Surat Keterangan Pindah WNI (SKPWNI)")
    SK_KEMATIAN = "sk_kematian", _("Surat keterangan kematian")
    SURAT_KUASA = "surat_kuasa", _("Surat kuasa")
    OTHER = "other", _("Dokumen lain")


@dataclass(frozen=True)
class KindRule:
    types: tuple[str, ...]
    max_bytes: int


# Scans of paper documents: PDF or a photo of it. Pas foto: a picture only, smaller.
_SCAN = KindRule(types=(PDF, JPEG, PNG), max_bytes=5 * MB)
KIND_RULES: dict[str, KindRule] = {kind: _SCAN for kind in DocumentKind.values}
KIND_RULES[DocumentKind.PAS_FOTO] = KindRule(types=(JPEG, PNG), max_bytes=2 * MB)
KIND_RULES[DocumentKind.IJAZAH] = KindRule(types=(PDF, JPEG, PNG), max_bytes=8 * MB)


class VaultDocument(BaseModel):
    """One file in a citizen's vault. Replacing keeps the old row (status replaced) so an
    application that used it still points at what was checked."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktif")
        REPLACED = "replaced", _("diganti")
        DELETED = "deleted", _("dihapus")

    owner = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="vault_documents")
    kind = models.CharField(_("jenis dokumen"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=60, help_text="detected from the content, never from the name")
    original_name = models.CharField(_("nama berkas"), max_length=150)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey("identity.Mandate", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", help_text="the mandate used when uploaded for someone else")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen di brankas")
        verbose_name_plural = _("dokumen di brankas")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "kind", "status"], name="vault_owner_kind_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name})"


def new_verification_token() -> str:
    return secrets.token_urlsafe(32)


class IssuedDocument(BaseModel):
    """A document SatuPintu issued as a signed PDF, checkable at /verifikasi/<token>/."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("catalogue.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("judul"), max_length=200)
    document_type = models.CharField(_("jenis dokumen"), max_length=60)
    holder = models.ForeignKey("identity.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="issued_documents")
    holder_name = models.CharField(_("nama pemegang"), max_length=200)
    related_type = models.CharField(max_length=60, blank=True, help_text="e.g. applications.application")
    related_code = models.CharField(max_length=64, blank=True, db_index=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(max_length=200)
    verification_token = models.CharField(max_length=64, unique=True, default=new_verification_token,
                                          editable=False)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signer = models.CharField(max_length=300, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.issued_at:%Y-%m-%d})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def masked_holder_name(self) -> str:
        return mask_name(self.holder_name)


def mask_name(name: str) -> str:
    """'Siti Nurhaliza' -> 'S*** N*******': enough to recognise, not to harvest."""
    return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split() if w)


class DocumentEvent(models.Model):
    """Every state change of a vault or issued document (house style 7)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    vault_document = models.ForeignKey(VaultDocument, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="events")
    issued_document = models.ForeignKey(IssuedDocument, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="events")
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vault_document__isnull=False) | models.Q(issued_document__isnull=False),
                name="document_event_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
