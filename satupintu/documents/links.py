"""Short-lived signed download links, bound to the user they were issued to.

A link is issued only after an access check; when it is used, the signature, the age
(`DOCUMENT_LINK_MAX_AGE`, 5 minutes by default), the user and the access are checked
again — so a link that leaks is useless to anyone else and soon useless to everyone."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from satupintu.core.errors import NotFound
from satupintu.documents.models import IssuedDocument, VaultDocument

SALT = "satupintu.documents.download"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def download_link(*, document: VaultDocument | IssuedDocument, user) -> str:
    """A relative URL; call only after `access_*` allowed `user` to read `document`."""
    kind = "v" if isinstance(document, VaultDocument) else "i"
    token = _signer().sign_object({"k": kind, "c": str(document.code), "u": str(user.code)})
    return reverse("documents:download", args=[token])


def resolve_download(token: str, user) -> VaultDocument | IssuedDocument:
    """The document behind a link, re-checking signature, age, user and access."""
    from satupintu.documents.access import access_issued_document, access_vault_document

    try:
        payload = _signer().unsign_object(token, max_age=settings.DOCUMENT_LINK_MAX_AGE)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise NotFound() from exc
    if not getattr(user, "is_authenticated", False) or payload.get("u") != str(user.code):
        raise NotFound()
    if payload.get("k") == "v":
        return access_vault_document(user, payload.get("c"))
    return access_issued_document(user, payload.get("c"))
