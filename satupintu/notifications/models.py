"""Transactional outbox: a notification is a row written in the same transaction as the
change that causes it; the worker delivers it (see services.py / tasks.py)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satupintu.core.models import BaseModel


class Notification(BaseModel):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        SENDING = "sending", _("sedang dikirim")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")
        CANCELLED = "cancelled", _("dibatalkan")

    mall = models.ForeignKey("catalogue.Mall", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("identity.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="notifications")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    destination = models.CharField(max_length=254, help_text="E.164 phone or e-mail address")
    template = models.CharField(max_length=80)
    language = models.CharField(max_length=5, default="id")
    context = models.JSONField(default=dict, blank=True)
    related_type = models.CharField(max_length=60, blank=True)
    related_code = models.CharField(max_length=64, blank=True, db_index=True)
    # sent to the provider so that a retry after a crash is recognised, never sent twice
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True,
                                  help_text="one notification per business event")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class NotificationEvent(models.Model):
    """One line of a notification's delivery history, written in the same transaction as the
    state change it records."""

    class Kind(models.TextChoices):
        QUEUED = "queued", _("masuk antrean")
        SENDING = "sending", _("dikirim")
        RECOVERED = "recovered", _("dipulihkan setelah worker berhenti")
        SENT = "sent", _("terkirim")
        RETRY = "retry", _("dijadwalkan ulang")
        FAILED = "failed", _("gagal")
        REQUEUED = "requeued", _("dijadwalkan ulang oleh penyapu")
        FALLBACK = "fallback", _("dialihkan ke kanal lain")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    attempt = models.PositiveSmallIntegerField(default=0)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat notifikasi")
        verbose_name_plural = _("riwayat notifikasi")

    def __str__(self) -> str:
        return f"{self.kind} #{self.attempt}"
