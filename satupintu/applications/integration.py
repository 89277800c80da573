"""The few places where applications touches the documents app (vault, issued outputs).
Kept small and isolated so the rest of the app does not depend on its shape."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
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


def known_kinds() -> set[str] | None:
    """The vault's document kinds, or None while the documents app is not there."""
    try:
        from satupintu.documents.models import DocumentKind
    except ImportError:
        return None
    return set(DocumentKind.values)


def vault_documents(*, person, kinds: list[str]) -> list[dict[str, Any]]:
    """The person's active vault documents of these kinds, newest first, as plain dicts."""
    selectors, _services = _documents()
    if selectors is None:
        return []
    if hasattr(selectors, "vault_document_list"):
        docs = [d for d in selectors.vault_document_list(person=person) if d.kind in set(kinds)]
    else:
        docs = list(selectors.vault_documents_for(person=person, kinds=kinds).values())
    docs.sort(key=lambda d: d.created_at, reverse=True)
    return [{"code": str(doc.code), "kind": doc.kind, "name": getattr(doc, "original_name", "") or doc.kind,
             "created_at": doc.created_at, "url": _url("documents:open", doc.code)} for doc in docs]


def _url(name: str, code) -> str:
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        return ""


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


def issue_document(*, application, by) -> tuple[str, str, str]:
    """Render, sign and register the output; returns (document code, the citizen's open
    link, the public verification URL)."""
    _selectors, services = _documents()
    if services is None or not hasattr(services, "issued_document_create"):
        raise DomainError(_("Penerbitan dokumen bertanda tangan belum tersedia."), code="issuing_unavailable",
                          status=503)
    output = application.definition.output
    title = output.get("title", application.service.name)
    fields = {f["name"]: f for f in application.definition.schema.get("fields", [])}
    from satupintu.applications.answers import plain

    rows = [(fields[name]["label"], value) for name, value in plain(application.answers).items()
            if name in fields and fields[name]["type"] not in ("nik", "phone") and value not in (None, "")]
    context = {"reference": application.reference, "rows": rows, "service_name": application.service.name,
               "agency_name": application.agency.name, "mall_name": application.mall.name, "title": title}
    issued = services.issued_document_create(
        title=title, template_name="applications/output_document.html", context=context, mall=application.mall,
        agency=application.agency, related=application, holder=application.applicant,
        holder_name=application.answers.get("child_name") or application.applicant.full_name,
        document_type=application.service.public_code, by=by)
    verify = services.verification_url(issued.verification_token) if hasattr(services, "verification_url") else ""
    return str(issued.code), _url("documents:open_issued", issued.code), verify


def register_with_documents() -> None:
    """Let officers read the vault documents of applications in their scope, and keep a
    document an application uses from being deleted (documents.access hooks)."""
    try:
        from satupintu.documents.access import register_document_access_rule, register_document_in_use_check
    except ImportError:
        return

    def officers_of_applications(user, document) -> bool:
        from satupintu.applications.models import ApplicationDocument
        from satupintu.identity.access import agency_scope, is_officer

        if not is_officer(user):
            return False
        apps = ApplicationDocument.objects.filter(vault_code=str(document.code)).values("application_id")
        from satupintu.applications.models import Application

        return Application.objects.filter(pk__in=apps).filter(agency_scope(user)).exists()

    def used_by_an_application(document) -> bool:
        from satupintu.applications.models import ApplicationDocument

        return ApplicationDocument.objects.filter(vault_code=str(document.code)).exists()

    register_document_access_rule(officers_of_applications)
    register_document_in_use_check(used_by_an_application)
