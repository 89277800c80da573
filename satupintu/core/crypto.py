"""Personal data at rest: AES-256-GCM with a key id (for rotation) and a keyed HMAC
blind index for look-ups. Keys come from PII_KEYS / PII_INDEX_KEY, never SECRET_KEY:
a NIK has little entropy, so an index keyed with a widely used secret would be a
dictionary away from the NIK itself (docs/adr/0004)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _keys(raw: str) -> tuple[str, dict[str, bytes]]:
    keys: dict[str, bytes] = {}
    first = ""
    for item in [p.strip() for p in raw.split(",") if p.strip()]:
        key_id, _sep, b64 = item.partition(":")
        key = base64.b64decode(b64)
        if len(key) != 32 or not key_id:
            raise ImproperlyConfigured("PII_KEYS entries must be 'keyid:base64(32 bytes)'")
        keys[key_id] = key
        first = first or key_id
    if not keys:
        raise ImproperlyConfigured("PII_KEYS is not set")
    return first, keys


def current_key_id() -> str:
    return _keys(settings.PII_KEYS)[0]


def encrypt(plaintext: str, *, context: str) -> str:
    """Returns 'keyid:base64(nonce|ciphertext)'. `context` (e.g. 'nik') is bound as AAD so a
    ciphertext cannot be moved to another field."""
    key_id, keys = _keys(settings.PII_KEYS)
    nonce = os.urandom(12)
    sealed = AESGCM(keys[key_id]).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    _first, keys = _keys(settings.PII_KEYS)
    key_id, _sep, b64 = token.partition(":")
    if key_id not in keys:
        raise ImproperlyConfigured(f"no PII key with id {key_id!r} (was it removed before rotation finished?)")
    blob = base64.b64decode(b64)
    return AESGCM(keys[key_id]).decrypt(blob[:12], blob[12:], context.encode()).decode("utf-8")


def key_id_of(token: str) -> str:
    return token.partition(":")[0]


def blind_index(value: str, *, context: str, key_b64: str | None = None) -> str:
    """HMAC-SHA256 of the value under the index key. `key_b64` is only for re-indexing
    (`rotate_pii_keys --reindex`), which needs the old key to map old index values."""
    raw = key_b64 if key_b64 is not None else settings.PII_INDEX_KEY
    if not raw:
        raise ImproperlyConfigured("PII_INDEX_KEY is not set")
    key = base64.b64decode(raw)
    if settings.SECRET_KEY and key == settings.SECRET_KEY.encode():
        raise ImproperlyConfigured("PII_INDEX_KEY must differ from SECRET_KEY")
    return hmac.new(key, f"{context}:{value}".encode(), hashlib.sha256).hexdigest()


def needs_rotation(token: str) -> bool:
    return bool(token) and key_id_of(token) != current_key_id()


def reencrypt(token: str, *, context: str) -> str:
    """The same plaintext sealed with the current (first) key; unchanged if already current."""
    if not needs_rotation(token):
        return token
    return encrypt(decrypt(token, context=context), context=context)


@dataclass(frozen=True)
class EncryptedField:
    """A column holding `encrypt()` output. `index_field`, when set, holds the blind index
    of the same plaintext (recomputed by `rotate_pii_keys --reindex`)."""

    model: str  # app_label.ModelName
    field: str
    context: str
    index_field: str = ""


@dataclass(frozen=True)
class IndexOnlyField:
    """A column holding only a blind index (no ciphertext to recompute it from). Re-indexing
    maps old index → new index through the values known from an EncryptedField."""

    model: str
    field: str
    context: str


# Apps with encrypted columns add them here (by label: core never imports a domain app).
ENCRYPTED_FIELDS: list[EncryptedField] = [
    EncryptedField("identity.Person", "nik_encrypted", "nik", "nik_index"),
    EncryptedField("identity.Person", "kk_encrypted", "kk", "kk_index"),
]
INDEX_ONLY_FIELDS: list[IndexOnlyField] = [
    IndexOnlyField("identity.OneTimeCode", "nik_index", "nik"),
]
