"""Checks behind the public verification page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings

from satupintu.documents.models import IssuedDocument
from satupintu.integrations.esign import SignatureCheck, get_signer, validate_pdf
from satupintu.integrations.storage import read_private


def trust_roots():
    roots = list(get_signer().trust_roots())
    if settings.ESIGN_TRUST_ROOTS and get_signer().name == "demo":
        from pyhanko.keys import load_cert_from_pemder

        roots += [load_cert_from_pemder(p) for p in settings.ESIGN_TRUST_ROOTS]
    return roots


@dataclass
class Verification:
    genuine: bool  # the token is one we issued
    revoked: bool
    checked_file: bool  # a file was given to compare
    same_file: bool | None  # sha256 equal to what was issued
    signature: SignatureCheck | None

    @property
    def ok(self) -> bool:
        file_ok = (not self.checked_file) or bool(self.same_file)
        sig_ok = self.signature is None or self.signature.ok
        return self.genuine and not self.revoked and file_ok and sig_ok


def verify_issued_document(doc: IssuedDocument, pdf: bytes | None) -> Verification:
    """With `pdf`: compare it with what was issued and validate its signature. Without:
    validate the signature of the stored copy."""
    checked = pdf is not None
    data = pdf if checked else read_private(doc.file.name)
    same = hashlib.sha256(data).hexdigest() == doc.sha256
    return Verification(genuine=True, revoked=doc.is_revoked, checked_file=checked,
                        same_file=same if checked else None, signature=validate_pdf(data, trust_roots()))
