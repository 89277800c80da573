"""The few places where applications touches the documents app (vault, issued outputs).
Kept small and isolated so the rest of the app does not depend on its shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from satupintu.core.errors import DomainError, RetryLater


def _documents():
    try:
        from satupintu.documents import selectors, services
    except ImportError:  # documents app not merged yet
        return None, None
    if not hasattr(selectors, "vault_documents_for"):
        return None, None
    return selectors, services


def vault_documents(*, person, kinds: list[str]) -> list[dict[str, Any]]:
    """The person's vault documents of these kinds, newest first, as plain dicts."""
    selectors, _services = _documents()
    if selectors is None:
        return []
    rows = []
    for doc in selectors.vault_documents_for(person=person, kinds=kinds):
        rows.append({"code": str(doc.code), "kind": doc.kind,
                     "name": getattr(doc, "original_name", "") or getattr(doc, "filename", "") or doc.kind,
                     "created_at": getattr(doc, "created_at", None)})
    return rows


def vault_document_kind(*, person, code: str, kinds: list[str]) -> str | None:
    for row in vault_documents(person=person, kinds=kinds):
        if row["code"] == str(code):
            return row["kind"]
    return None


def vault_upload(*, person, kind: str, uploaded_file, by) -> str:
    _selectors, services = _documents()
    if services is None:
        raise RetryLater(_("Unggah dokumen belum tersedia; coba lagi nanti."), code="vault_unavailable")
    doc = services.vault_document_upload(owner=person, kind=kind, uploaded_file=uploaded_file, by=by)
    return str(doc.code)


def issue_document(*, application, by) -> tuple[str, str]:
    """Render, sign and register the output; returns (document code, public verification URL)."""
    _selectors, services = _documents()
    if services is None or not hasattr(services, "issued_document_create"):
        raise DomainError(_("Penerbitan dokumen bertanda tangan belum tersedia."), code="issuing_unavailable",
                          status=503)
    output = application.definition.output
    context = {"application": application, "reference": application.reference, "answers": application.answers,
               "service": application.service, "applicant_name": application.applicant.full_name,
               "title": output.get("title", application.service.name)}
    issued = services.issued_document_create(
        title=output.get("title", application.service.name), template_name="applications/output_document.html",
        context=context, mall=application.mall, agency=application.agency, related=application,
        holder_name=application.answers.get("child_name") or application.applicant.full_name, by=by)
    url = getattr(issued, "verification_url", "") or getattr(issued, "public_url", "")
    if callable(url):
        url = url()
    return str(issued.code), str(url)
