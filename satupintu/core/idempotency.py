"""`Idempotency-Key` for every POST that creates something (architecture.md).

A replay with the same key and the same body returns the first answer; the same key
with a different body is an error; a concurrent duplicate waits on the unique index.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from satupintu.core.errors import Conflict
from satupintu.core.models import IdempotencyRecord


def body_hash(body: Any) -> str:
    raw = body if isinstance(body, bytes) else json.dumps(body, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def run_idempotent(*, scope: str, owner: str, key: str | None, body: Any,
                   action: Callable[[], tuple[int, Any]]) -> tuple[int, Any, bool]:
    """Run `action` once per (scope, owner, key). Returns (status, response, replayed)."""
    if not key:
        status, response = action()
        return status, response, False
    if len(key) > 200:
        raise Conflict(_("Idempotency-Key terlalu panjang (maksimal 200 karakter)."), code="idempotency_key_invalid",
                       status=400)
    digest = body_hash(body)
    existing = IdempotencyRecord.objects.filter(scope=scope, owner=owner, key=key).first()
    if existing is not None:
        return _replay(existing, digest)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(scope=scope, owner=owner, key=key, request_hash=digest)
            status, response = action()
            record.status_code = status
            record.response = json.loads(json.dumps(response, default=str))
            record.save(update_fields=["status_code", "response"])
            return status, response, False
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(scope=scope, owner=owner, key=key)
        return _replay(existing, digest)


def _replay(record: IdempotencyRecord, digest: str) -> tuple[int, Any, bool]:
    if record.request_hash != digest:
        raise Conflict(
            _("Idempotency-Key ini sudah dipakai untuk permintaan lain. / This Idempotency-Key was used for a "
              "different request."),
            code="idempotency_key_reused",
            status=422,
        )
    if record.status_code is None:
        raise Conflict(_("Permintaan yang sama sedang diproses; coba lagi sebentar."), code="idempotency_in_progress")
    return record.status_code, record.response, True
