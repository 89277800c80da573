"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): one response per finished transaction
(application, queue ticket) or per paper questionnaire line."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class SurveyResponse(BaseModel):
    class Channel(models.TextChoices):
        WEB = "web", _("web")
        WHATSAPP = "whatsapp", _("tautan WhatsApp")
        SMS = "sms", _("tautan SMS")
        KIOSK = "kiosk", _("tablet kios")
        PAPER = "paper", _("kuesioner kertas")

    class AgeBand(models.TextChoices):
        UNDER_20 = "lt20", _("di bawah 20 tahun")
        FROM_20 = "20_29", _("20–29 tahun")
        FROM_30 = "30_39", _("30–39 tahun")
        FROM_40 = "40_49", _("40–49 tahun")
        FROM_50 = "50_59", _("50–59 tahun")
        FROM_60 = "60plus", _("60 tahun ke atas")

    class Sex(models.TextChoices):
        MALE = "L", _("laki-laki")
        FEMALE = "P", _("perempuan")

    class Education(models.TextChoices):
        SD = "sd", _("SD ke bawah")
        SMP = "smp", _("SMP")
        SMA = "sma", _("SMA/SMK")
        DIPLOMA = "diploma", _("D1–D4")
        S1 = "s1", _("S1")
        S2 = "s2plus", _("S2 ke atas")

    class Occupation(models.TextChoices):
        PNS = "pns", _("PNS/ASN")
        TNI_POLRI = "tni_polri", _("TNI/Polri")
        PRIVATE = "swasta", _("pegawai swasta")
        SELF = "wirausaha", _("wirausaha")
        STUDENT = "pelajar", _("pelajar/mahasiswa")
        HOME = "rumah_tangga", _("mengurus rumah tangga")
        OTHER = "lainnya", _("lainnya")

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="survey_responses")
    agency = models.ForeignKey("catalogue.Agency", on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey("catalogue.Service", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="survey_responses")
    related_type = models.CharField(_("jenis transaksi"), max_length=30,
                                    help_text=_("mis. application, ticket, paper"))
    related_code = models.CharField(_("kode transaksi"), max_length=80)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    age_band = models.CharField(_("usia"), max_length=8, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=15, choices=Occupation.choices, blank=True)
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    suggestion = models.TextField(_("saran"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["related_type", "related_code"],
                                    name="survey_one_response_per_transaction"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"u{i}__isnull": True}) | models.Q(**{f"u{i}__gte": 1, f"u{i}__lte": 4}),
                    name=f"survey_u{i}_between_1_and_4",
                )
                for i in range(1, 10)
            ],
        ]
        indexes = [models.Index(fields=["mall", "agency", "created_at"])]

    def __str__(self) -> str:
        return f"SKM {self.related_type}:{self.related_code}"

    def answers(self) -> dict[str, int | None]:
        return {f"U{i}": getattr(self, f"u{i}") for i in range(1, 10)}


class SurveyInvitation(models.Model):
    """A short link to the survey of one finished transaction, so the invitation fits one
    SMS: /s/<key>/ redirects to the signed survey link. One per transaction."""

    key = models.CharField(max_length=12, unique=True)
    related_type = models.CharField(max_length=40)
    related_code = models.CharField(max_length=64)
    target = models.TextField(help_text="the signed survey URL")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = _("undangan survei")
        constraints = [models.UniqueConstraint(fields=["related_type", "related_code"],
                                               name="survey_invitation_one_per_transaction")]

    def __str__(self) -> str:
        return self.key
