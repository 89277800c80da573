"""Complaints (pengaduan), UU 25/2009 Pasal 42: linked to the exact transaction when
there is one, anonymous (with a tracking code) or confidential (identity hidden from the
agency), accepted within 30 days of the service, routed to the responsible agency with
deadlines in working days, escalated to the mall manager when missed, forwarded to
SP4N-LAPOR!."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class ComplaintSettings(models.Model):
    """Per-mall deadlines, in working days (defaults after SP4N-LAPOR!)."""

    mall = models.OneToOneField("catalogue.Mall", on_delete=models.CASCADE, related_name="complaint_settings")
    acknowledge_within_days = models.PositiveSmallIntegerField(_("ditanggapi/diteruskan dalam (hari kerja)"), default=3)
    answer_within_days = models.PositiveSmallIntegerField(_("dijawab dalam (hari kerja)"), default=5)
    accept_within_days = models.PositiveSmallIntegerField(_("batas pengaduan setelah layanan (hari)"), default=30)
    forward_to_lapor = models.BooleanField(_("teruskan ke SP4N-LAPOR!"), default=True)

    class Meta:
        verbose_name = _("pengaturan pengaduan")
        verbose_name_plural = _("pengaturan pengaduan")

    def __str__(self) -> str:
        return f"{self.mall}: {self.acknowledge_within_days}/{self.answer_within_days}"


class Complaint(BaseModel):
    class Category(models.TextChoices):
        SLOW = "slow", _("Layanan lambat / melewati janji waktu")
        ILLEGAL_FEE = "illegal_fee", _("Pungutan liar / biaya tidak resmi")
        CONDUCT = "conduct", _("Sikap atau perilaku petugas")
        REQUIREMENTS = "requirements", _("Persyaratan tidak sesuai standar")
        INFORMATION = "information", _("Informasi tidak jelas atau salah")
        FACILITIES = "facilities", _("Sarana dan prasarana")
        QUEUE = "queue", _("Antrean atau kuota")
        OTHER = "other", _("Lainnya")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        ACKNOWLEDGED = "acknowledged", _("Diteruskan ke instansi")
        ANSWERED = "answered", _("Dijawab")
        CLOSED = "closed", _("Selesai")
        REJECTED = "rejected", _("Tidak dapat diproses")

    class Channel(models.TextChoices):
        WEB = "web", _("Situs")
        API = "api", _("API mitra")
        OFFICER = "officer", _("Dibantu petugas")

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="complaints")
    agency = models.ForeignKey("catalogue.Agency", on_delete=models.PROTECT, related_name="complaints")
    service = models.ForeignKey("catalogue.Service", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints")
    counter = models.ForeignKey("catalogue.Counter", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints_about", help_text=_("petugas yang diadukan, bila ada"))
    related_type = models.CharField(max_length=40, blank=True, help_text="application | ticket | booking")
    related_code = models.CharField(max_length=64, blank=True, db_index=True)
    related_reference = models.CharField(max_length=40, blank=True, help_text=_("nomor permohonan/antrean"))
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    description = models.TextField(_("uraian"))
    amount_demanded = models.PositiveIntegerField(_("jumlah yang diminta (Rp)"), null=True, blank=True)
    service_date = models.DateField(_("tanggal layanan"))
    complainant = models.ForeignKey("identity.Person", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="complaints")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="complaints_filed")
    anonymous = models.BooleanField(_("anonim"), default=False)
    confidential = models.BooleanField(_("rahasiakan identitas dari instansi"), default=False)
    contact = models.CharField(_("kontak untuk jawaban (opsional)"), max_length=254, blank=True)
    tracking_code = models.CharField(max_length=16, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    acknowledge_due = models.DateField()
    answer_due = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    lapor_id = models.CharField(max_length=60, blank=True)
    lapor_status = models.CharField(max_length=40, blank=True)
    lapor_synced_at = models.DateTimeField(null=True, blank=True)
    lapor_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mall", "agency", "status", "answer_due"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="complaint_rating_1_5"),
            models.CheckConstraint(condition=~models.Q(anonymous=True, complainant__isnull=False),
                                   name="complaint_anonymous_has_no_complainant"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.get_category_display()}"

    @property
    def answered_on_time(self) -> bool | None:
        if not self.answered_at:
            return None
        return self.answered_at.date() <= self.answer_due


class ComplaintEvent(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True, help_text="shown to the complainant")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"
