"""Re-encrypt personal data with the current PII key, and optionally re-index it.

Key rotation (docs/adr/0004):
  1. put the new key FIRST in PII_KEYS, keep the old ones after it: `PII_KEYS=k2:...,k1:...`
  2. deploy; new writes use k2, old rows still decrypt with k1
  3. `manage.py rotate_pii_keys` — re-encrypts every row still sealed with another key,
     in batches, each batch its own transaction; safe to interrupt and run again
  4. when it reports `remaining 0`, drop k1 from PII_KEYS

Index key rotation (`--reindex`): the blind index cannot be "re-encrypted"; it is recomputed
from the decrypted values. Set PII_INDEX_KEY to the new key and PII_INDEX_KEY_OLD to the old
one: rows whose index matches the old key get the new one, and columns that hold only an
index (e.g. one-time codes keyed by NIK) are mapped old → new through those values.
"""

from __future__ import annotations

import os

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from satupintu.core import crypto
from satupintu.core.audit import audit_record


class Command(BaseCommand):
    help = "Enkripsi ulang data pribadi dengan kunci PII terbaru / Re-encrypt personal data with the first PII key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--reindex", action="store_true",
                            help="also recompute blind indexes; needs PII_INDEX_KEY_OLD in the environment")

    def handle(self, *args, batch_size: int, reindex: bool, **options):
        old_index_key = ""
        if reindex:
            old_index_key = os.environ.get("PII_INDEX_KEY_OLD", "")
            if not old_index_key:
                raise CommandError("--reindex needs the old index key in PII_INDEX_KEY_OLD (base64), "
                                   "and the new one in PII_INDEX_KEY.")
        totals: dict[str, dict[str, int]] = {}
        current = crypto.current_key_id()
        for spec in crypto.ENCRYPTED_FIELDS:
            counts = self._rotate(spec, current, batch_size)
            totals[f"{spec.model}.{spec.field}"] = counts
            self.stdout.write(f"{spec.model}.{spec.field}: re-encrypted {counts['rotated']}, "
                              f"remaining {counts['remaining']} (key {current})")
        if reindex:
            mapping: dict[str, dict[str, str]] = {}
            for spec in crypto.ENCRYPTED_FIELDS:
                if spec.index_field:
                    counts = self._reindex(spec, old_index_key, batch_size, mapping.setdefault(spec.context, {}))
                    totals[f"{spec.model}.{spec.index_field}"] = counts
                    self.stdout.write(f"{spec.model}.{spec.index_field}: re-indexed {counts['reindexed']}, "
                                      f"already current {counts['current']}, unknown {counts['unknown']}")
            for spec in crypto.INDEX_ONLY_FIELDS:
                counts = self._remap(spec, mapping.get(spec.context, {}), batch_size)
                totals[f"{spec.model}.{spec.field}"] = counts
                self.stdout.write(f"{spec.model}.{spec.field}: re-indexed {counts['reindexed']}, "
                                  f"not mappable {counts['unmapped']}")
        audit_record(action="pii.rotate_keys", object_type="core.crypto", object_code=current,
                     data={"reindex": reindex, "counts": totals})

    # -- encryption keys ---------------------------------------------------------------------
    def _rotate(self, spec: crypto.EncryptedField, current: str, batch_size: int) -> dict[str, int]:
        model = apps.get_model(spec.model)
        stale = model.objects.exclude(**{spec.field: ""}).exclude(**{f"{spec.field}__startswith": f"{current}:"})
        rotated = 0
        last_pk = 0
        while True:
            batch = list(stale.filter(pk__gt=last_pk).order_by("pk").values_list("pk", spec.field)[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for pk, token in batch:
                    # conditional on the old value: a concurrent write wins, nothing is lost
                    rotated += model.objects.filter(pk=pk, **{spec.field: token}).update(
                        **{spec.field: crypto.reencrypt(token, context=spec.context)})
            last_pk = batch[-1][0]
        return {"rotated": rotated, "remaining": stale.count()}

    # -- index key ---------------------------------------------------------------------------
    def _reindex(self, spec: crypto.EncryptedField, old_key: str, batch_size: int,
                 mapping: dict[str, str]) -> dict[str, int]:
        model = apps.get_model(spec.model)
        counts = {"reindexed": 0, "current": 0, "unknown": 0}
        last_pk = 0
        qs = model.objects.exclude(**{spec.field: ""}).order_by("pk")
        while True:
            batch = list(qs.filter(pk__gt=last_pk).values_list("pk", spec.field, spec.index_field)[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for pk, token, stored in batch:
                    plain = crypto.decrypt(token, context=spec.context)
                    old = crypto.blind_index(plain, context=spec.context, key_b64=old_key)
                    new = crypto.blind_index(plain, context=spec.context)
                    mapping[old] = new
                    if stored == new:
                        counts["current"] += 1
                    elif stored == old:
                        counts["reindexed"] += model.objects.filter(pk=pk, **{spec.index_field: old}).update(
                            **{spec.index_field: new})
                    else:
                        counts["unknown"] += 1
            last_pk = batch[-1][0]
        return counts

    def _remap(self, spec: crypto.IndexOnlyField, mapping: dict[str, str], batch_size: int) -> dict[str, int]:
        model = apps.get_model(spec.model)
        counts = {"reindexed": 0, "unmapped": 0}
        new_values = set(mapping.values())
        last_pk = 0
        qs = model.objects.exclude(**{spec.field: ""}).order_by("pk")
        while True:
            batch = list(qs.filter(pk__gt=last_pk).values_list("pk", spec.field)[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                for pk, value in batch:
                    if value in mapping and value not in new_values:
                        counts["reindexed"] += model.objects.filter(pk=pk, **{spec.field: value}).update(
                            **{spec.field: mapping[value]})
                    elif value not in new_values:
                        counts["unmapped"] += 1
            last_pk = batch[-1][0]
        return counts
