"""Reads for documents."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from satupintu.documents.models import IssuedDocument, VaultDocument


def vault_documents_for(*, person, kinds: Iterable[str] | None = None) -> dict[str, VaultDocument]:
    """The newest active document of each kind the person's vault holds (of `kinds`, if
    given): an application asks only for the kinds missing from this dict."""
    qs = VaultDocument.objects.filter(owner=person, status=VaultDocument.Status.ACTIVE)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    result: dict[str, VaultDocument] = {}
    for doc in qs.order_by("kind", "-created_at"):
        result.setdefault(doc.kind, doc)
    return result


def vault_document_list(*, person) -> QuerySet[VaultDocument]:
    return VaultDocument.objects.filter(owner=person, status=VaultDocument.Status.ACTIVE).order_by("kind",
                                                                                                "-created_at")


def issued_document_by_token(token: str) -> IssuedDocument | None:
    return IssuedDocument.objects.select_related("agency", "mall").filter(verification_token=token).first()


def issued_documents_for(*, person) -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.filter(holder=person).select_related("agency", "mall")
