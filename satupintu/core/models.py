"""Base model and cross-cutting records (audit trail, idempotency)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Every row gets a public UUID `code`; integer keys never leave the database."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("kode"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("diubah"))

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Append-only, hash-chained record of sign-ins, personal-data reads and changes.

    `prev_hash` is the `hash` of the row before it; `hash` covers this row's content and
    `prev_hash`, so editing or deleting any row breaks the chain from there on
    (`manage.py audit_verify`). On PostgreSQL a trigger refuses UPDATE and DELETE.
    """

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_constraint=False)
    actor_label = models.CharField(max_length=200, blank=True)
    on_behalf_of = models.CharField(max_length=64, blank=True, help_text="person code when acting under a mandate")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_code = models.CharField(max_length=64, blank=True, db_index=True)
    subject_person = models.CharField(max_length=64, blank=True, db_index=True,
                                      help_text="code of the citizen whose data this is about")
    mall_id = models.BigIntegerField(null=True, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_code}"


class AuditChainHead(models.Model):
    """One row, locked while appending, so the chain stays linear under concurrency."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_seq = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class IdempotencyRecord(models.Model):
    """First answer to a create request, replayed for the same `Idempotency-Key`."""

    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=200)
    owner = models.CharField(max_length=64, help_text="user code or client identity")
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "owner", "key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
