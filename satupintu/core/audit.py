"""Append to and verify the hash-chained audit trail (see AuditEvent)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from satupintu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> str:
    payload = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "on_behalf_of": event.on_behalf_of,
        "action": event.action,
        "object_type": event.object_type,
        "object_code": event.object_code,
        "subject_person": event.subject_person,
        "mall_id": event.mall_id,
        "agency_id": event.agency_id,
        "purpose": event.purpose,
        "data": event.data,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event).encode("utf-8")).hexdigest()


def audit_record(*, action: str, actor: Any = None, obj: Any = None, object_type: str = "",
                 object_code: str = "", subject_person: str = "", mall_id: int | None = None,
                 agency_id: int | None = None, purpose: str = "", data: dict | None = None,
                 ip: str | None = None, on_behalf_of: str = "") -> AuditEvent:
    """Append one event. Runs inside the caller's transaction when there is one, so the
    event commits (or rolls back) together with the change it describes."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_code = object_code or str(getattr(obj, "code", obj.pk))
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS}
        )
        event = AuditEvent(
            at=timezone.now(),
            actor=actor_obj,
            actor_label=str(actor_obj) if actor_obj else (str(actor) if actor else "sistem"),
            on_behalf_of=on_behalf_of,
            action=action,
            object_type=object_type,
            object_code=object_code,
            subject_person=subject_person,
            mall_id=mall_id,
            agency_id=agency_id,
            purpose=purpose,
            data=json.loads(json.dumps(data or {}, default=str)),
            ip=ip,
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.last_seq = event.seq
        head.save(update_fields=["last_hash", "last_seq"])
    return event


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_verify(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first row whose link or content is wrong."""
    prev = GENESIS
    checked = 0
    qs = AuditEvent.objects.order_by("seq")
    for event in qs.iterator(chunk_size=batch_size):
        if event.prev_hash != prev:
            return ChainReport(False, checked, event.seq, "prev_hash does not match the previous row")
        if compute_hash(event) != event.hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash")
        prev = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head and checked and head.last_hash != prev:
        return ChainReport(False, checked, None, "the last row is missing (chain head points further)")
    return ChainReport(True, checked)
