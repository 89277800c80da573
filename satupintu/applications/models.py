"""Online applications (permohonan): definitions per service (versioned, data only),
bundles, the citizen's submission, one Application per service part, its documents and
its events. See ADR 0070-0074."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satupintu.applications.definition import validate_schema
from satupintu.applications.workflow import Status
from satupintu.core.models import BaseModel


class ApplicationDefinition(BaseModel):
    """The form, documents, prefill and workflow steps of one service, as one validated
    JSON document (ADR 0070). Published versions are never edited: copy to a new draft."""

    class DefinitionStatus(models.TextChoices):
        DRAFT = "draft", _("draf")
        PUBLISHED = "published", _("terbit")
        RETIRED = "retired", _("tidak dipakai")

    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="application_definitions",
                                verbose_name=_("layanan"))
    version = models.PositiveIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=12, choices=DefinitionStatus.choices,
                              default=DefinitionStatus.DRAFT)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    schema = models.JSONField(_("definisi"), default=dict,
                              help_text=_("fields, documents, steps, output — lihat docs/adr/0070"))

    class Meta:
        verbose_name = _("definisi permohonan")
        verbose_name_plural = _("definisi permohonan")
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="appdef_service_version_unique"),
            models.UniqueConstraint(fields=["service"], condition=Q(status="published"),
                                    name="appdef_one_published_per_service"),
        ]

    def __str__(self) -> str:
        return f"{self.service.public_code} v{self.version} ({self.status})"

    def clean(self) -> None:
        from satupintu.applications.integration import known_kinds

        errors = validate_schema(self.schema, vault_kinds=known_kinds())
        if errors:
            raise ValidationError({"schema": errors})
        if self.pk and self.status != self.DefinitionStatus.DRAFT:
            old = ApplicationDefinition.objects.filter(pk=self.pk).values_list("schema", flat=True).first()
            if old is not None and old != self.schema:
                raise ValidationError({"schema": _("Versi yang sudah terbit tidak boleh diubah; buat versi baru.")})

    def save(self, *args, **kwargs):
        self.full_clean(exclude=["service"] if not self.service_id else None)
        super().save(*args, **kwargs)

    @property
    def steps(self) -> list[dict]:
        return self.schema.get("steps", [])

    @property
    def output(self) -> dict:
        return self.schema.get("output", {})


class Bundle(BaseModel):
    """Several services of several agencies applied for in one submission (e.g. a birth)."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="application_bundles")
    slug = models.SlugField(_("kode paket"), max_length=60)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    description = models.TextField(_("deskripsi"), blank=True)
    service_codes = models.JSONField(_("layanan"), default=list, help_text=_("kode layanan, berurutan"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("paket layanan")
        verbose_name_plural = _("paket layanan")
        constraints = [models.UniqueConstraint(fields=["mall", "slug"], name="bundle_mall_slug_unique")]

    def __str__(self) -> str:
        return self.name


class Submission(BaseModel):
    """What the citizen fills in once: answers and documents shared by every part. A draft
    saved on the server (resume on any device); on submit each part becomes its Application."""

    class SubmissionStatus(models.TextChoices):
        DRAFT = "draft", _("draf")
        SUBMITTED = "submitted", _("diajukan")
        WITHDRAWN = "withdrawn", _("dibatalkan")

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="submissions")
    bundle = models.ForeignKey(Bundle, null=True, blank=True, on_delete=models.PROTECT, related_name="submissions")
    applicant = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="submissions",
                                  verbose_name=_("pemohon"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions",
                                     verbose_name=_("diajukan oleh"))
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    documents = models.JSONField(default=dict, blank=True, help_text="kind -> vault document code")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengajuan")
        verbose_name_plural = _("pengajuan")
        indexes = [models.Index(fields=["submitted_by", "-created_at"])]

    def __str__(self) -> str:
        return str(self.code)


class Application(BaseModel):
    """One service part of a submission, routed to its agency. Keeps the definition version
    it was started under."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="applications")
    agency = models.ForeignKey("catalogue.Agency", on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="applications")
    definition = models.ForeignKey(ApplicationDefinition, on_delete=models.PROTECT, related_name="applications")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="applications")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(_("nomor permohonan"), max_length=30, unique=True, null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("tenggat"), null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True, help_text="clock paused while with the citizen")
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    output_document_code = models.CharField(max_length=64, blank=True)
    output_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        indexes = [
            # officer inbox: keyset on (due_at, id) inside one agency of one mall (ADR 0072)
            models.Index(fields=["mall", "agency", "due_at", "id"], name="app_inbox_keyset"),
            models.Index(fields=["mall", "agency", "status", "due_at", "id"], name="app_inbox_status_keyset"),
            models.Index(fields=["applicant", "-created_at"], name="app_applicant_recent"),
            # manager's console over a date range (bench/console_bench.py: a year of a busy mall)
            models.Index(fields=["mall", "submitted_at"], name="app_console_submitted"),
            models.Index(fields=["mall", "closed_at"], name="app_console_closed"),
            models.Index(fields=["mall", "due_at"], name="app_console_open_due",
                         condition=~models.Q(status__in=["draft", "completed", "handed_over", "rejected",
                                                         "withdrawn"])),
        ]

    def __str__(self) -> str:
        return self.reference or str(self.code)


class ApplicationDocument(models.Model):
    """A vault document attached to an application, and the verifier's verdict on it."""

    class Verdict(models.TextChoices):
        PENDING = "pending", _("belum diperiksa")
        ACCEPTED = "accepted", _("diterima")
        SENT_BACK = "sent_back", _("perlu diperbaiki")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    vault_code = models.CharField(max_length=64, help_text="documents.VaultDocument code")
    original_at_counter = models.BooleanField(default=False)
    verdict = models.CharField(max_length=12, choices=Verdict.choices, default=Verdict.PENDING)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="appdoc_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.verdict})"


class ApplicationEvent(models.Model):
    """Every step of an application (house style 7). The timeline and SLA reports read these."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("perubahan status")
        NOTE = "note", _("catatan internal")
        MESSAGE = "message", _("pesan untuk pemohon")
        SLA_WARNING = "sla_warning", _("peringatan tenggat")
        SLA_BREACH = "sla_breach", _("melewati tenggat")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_role = models.CharField(max_length=20, blank=True, help_text="citizen or the agency role")
    agency = models.ForeignKey("catalogue.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    visible_to_citizen = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.action} {self.to_status}"


class ReferenceCounter(models.Model):
    """Per mall and year; incremented with one conditional UPDATE under the row lock it takes."""

    mall = models.ForeignKey("catalogue.Mall", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mall", "year"], name="refcounter_mall_year_unique")]

    def __str__(self) -> str:
        return f"{self.mall_id}/{self.year}: {self.last}"
