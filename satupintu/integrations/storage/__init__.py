"""Private file storage: Django's storage API (a directory outside the web root by
default, S3-compatible through django-storages in production). Names are random so
that nothing about the citizen or the original name shows in a path."""

from __future__ import annotations

import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

log = logging.getLogger(__name__)


def private_storage():
    return default_storage


def save_private(prefix: str, content: bytes, ext: str) -> str:
    """Store bytes under `<prefix>/<yyyy>/<mm>/<random>.<ext>`; the name actually used."""
    now = timezone.now()
    name = f"{prefix}/{now:%Y}/{now:%m}/{secrets.token_hex(16)}.{ext}"
    return private_storage().save(name, ContentFile(content))


def delete_quietly(name: str) -> None:
    """Remove a stored file; a file already gone is fine (clean-up paths call this)."""
    if not name:
        return
    try:
        private_storage().delete(name)
    except Exception:  # noqa: BLE001 - clean-up must not hide the original error
        log.exception("could not delete stored file %s", name)


def read_private(name: str) -> bytes:
    with private_storage().open(name, "rb") as fh:
        return fh.read()
