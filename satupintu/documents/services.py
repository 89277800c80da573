"""Writes for documents: the vault (upload once) and issued, signed documents."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satupintu.core.audit import audit_record
from satupintu.core.errors import Conflict, DomainError, NotFound
from satupintu.documents.models import (
    KIND_RULES,
    DocumentEvent,
    DocumentKind,
    IssuedDocument,
    VaultDocument,
    new_verification_token,
)
from satupintu.documents.validation import check_upload
from satupintu.integrations.storage import delete_quietly, save_private

log = logging.getLogger(__name__)
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _mandate_for(*, owner, by):
    """None when `by` is the owner; the active mandate when acting for someone; else 404."""
    if owner.account_id is not None and owner.account_id == by.pk:
        return None
    from django.db.models import Q

    from satupintu.identity.models import Mandate

    now = timezone.now()
    mandate = (Mandate.objects.filter(actor=by, subject=owner, revoked_at__isnull=True, valid_from__lte=now)
               .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now)).first())
    if mandate is None:
        raise NotFound()
    return mandate


def _store_row(*, prefix: str, content: bytes, ext: str, create):
    """Write the file, then the row in a transaction; if the row fails, the file goes.
    Callers run this outside any longer transaction (views and the API do): Django has
    no on-rollback hook, so an outer rollback after this returns would orphan the file."""
    name = save_private(prefix, content, ext)
    try:
        with transaction.atomic():
            return create(name)
    except BaseException:
        delete_quietly(name)
        raise


def vault_document_upload(*, owner, kind: str, uploaded_file, by, replaces: VaultDocument | None = None
                          ) -> VaultDocument:
    """Check the upload by its real content, store it under a random name outside the web
    root and record it in the owner's vault. Refusals leave neither a file nor a row."""
    if kind not in KIND_RULES:
        raise DomainError(_("Jenis dokumen tidak dikenal."), code="unknown_kind", field="kind")
    mandate = _mandate_for(owner=owner, by=by)
    checked = check_upload(uploaded_file, KIND_RULES[kind], DocumentKind(kind).label)
    sha = hashlib.sha256(checked.content).hexdigest()

    def create(name: str) -> VaultDocument:
        doc = VaultDocument.objects.create(
            owner=owner, kind=kind, file=name, sha256=sha, size=len(checked.content),
            content_type=checked.content_type, original_name=checked.safe_name, uploaded_by=by,
            on_behalf_of=mandate,
        )
        if replaces is not None:
            updated = VaultDocument.objects.filter(pk=replaces.pk, status=VaultDocument.Status.ACTIVE).update(
                status=VaultDocument.Status.REPLACED, replaced_by=doc, updated_at=timezone.now())
            if updated != 1:
                raise Conflict(_("Dokumen ini sudah diganti atau dihapus. Muat ulang halaman lalu coba lagi."),
                               code="document_not_active")
            DocumentEvent.objects.create(vault_document=replaces, action="replaced", actor=by,
                                         data={"replaced_by": str(doc.code)})
        DocumentEvent.objects.create(vault_document=doc, action="uploaded", actor=by,
                                     data={"kind": kind, "size": doc.size, "content_type": doc.content_type,
                                           "sha256": sha, "replaces": str(replaces.code) if replaces else None})
        audit_record(action="vault_document.upload", actor=by, obj=doc, subject_person=str(owner.code),
                     on_behalf_of=str(owner.code) if mandate else "", data={"kind": kind})
        return doc

    return _store_row(prefix="vault", content=checked.content, ext=checked.ext, create=create)


def vault_document_replace(*, document: VaultDocument, uploaded_file, by) -> VaultDocument:
    """Upload a new file of the same kind; the old one stays (status replaced) for the
    applications that already used it."""
    return vault_document_upload(owner=document.owner, kind=document.kind, uploaded_file=uploaded_file, by=by,
                                 replaces=document)


def vault_document_delete(*, document: VaultDocument, by) -> VaultDocument:
    """Take a document out of the vault. The row stays (status deleted) as the record that
    it existed; the file is removed unless an application still uses it (see
    `access.document_in_use`), in which case it is kept for that application's record."""
    from satupintu.documents.access import document_in_use

    _mandate_for(owner=document.owner, by=by)
    with transaction.atomic():
        updated = VaultDocument.objects.filter(pk=document.pk, status=VaultDocument.Status.ACTIVE).update(
            status=VaultDocument.Status.DELETED, deleted_at=timezone.now(), updated_at=timezone.now())
        if updated != 1:
            raise Conflict(_("Dokumen ini sudah diganti atau dihapus."), code="document_not_active")
        in_use = document_in_use(document)
        DocumentEvent.objects.create(vault_document=document, action="deleted", actor=by,
                                     data={"file_kept": in_use})
        audit_record(action="vault_document.delete", actor=by, obj=document,
                     subject_person=str(document.owner.code), data={"file_kept": in_use})
        if not in_use:
            name = document.file.name
            transaction.on_commit(lambda: delete_quietly(name))
    document.refresh_from_db()
    return document


# --- issued documents -------------------------------------------------------------------

def verification_url(token: str) -> str:
    return f"{settings.SITE_URL}/verifikasi/{token}/"


def _qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def render_issued_pdf(*, body_html: str, title: str, agency, mall, token: str, issued_at) -> bytes:
    from weasyprint import HTML

    url = verification_url(token)
    page = render_to_string("documents/issued/frame.html", {
        "body": body_html, "title": title, "agency": agency, "mall": mall, "verification_url": url,
        "qr_data_uri": _qr_data_uri(url), "issued_at": issued_at,
    })
    return HTML(string=page, base_url=str(settings.BASE_DIR)).write_pdf()


def issued_document_create(*, title: str, context: dict[str, Any], mall, agency, holder_name: str,
                           template_name: str | None = None, html: str | None = None, related: Any = None,
                           holder=None, document_type: str = "", by=None) -> IssuedDocument:
    """Render (WeasyPrint) → add the verification QR → sign as PAdES (integrations.esign)
    → store → record. `related` is the model instance it was issued for (an application),
    or a `(type, code)` pair. Signing happens before the transaction; if storing fails,
    the file is removed."""
    from satupintu.integrations.esign import get_signer

    if (template_name is None) == (html is None):
        raise ValueError("give exactly one of template_name or html")
    token = new_verification_token()
    issued_at = timezone.now()
    if template_name:
        body = render_to_string(template_name, context)
    else:
        body = Template(html).render(Context(context))
    pdf = render_issued_pdf(body_html=body, title=title, agency=agency, mall=mall, token=token, issued_at=issued_at)
    signer = get_signer()
    signed = signer.sign_pdf(pdf, reason=f"{title} — {agency.name}", location=mall.name)
    sha = hashlib.sha256(signed).hexdigest()
    if isinstance(related, tuple):
        related_type, related_code = related
    elif related is not None:
        related_type, related_code = related._meta.label_lower, str(getattr(related, "code", related.pk))
    else:
        related_type, related_code = "", ""

    def create(name: str) -> IssuedDocument:
        doc = IssuedDocument.objects.create(
            mall=mall, agency=agency, title=title, document_type=document_type or title, holder=holder,
            holder_name=holder_name, related_type=related_type, related_code=str(related_code), sha256=sha,
            file=name, verification_token=token, issued_at=issued_at, issued_by=by, signer=signer.name,
        )
        DocumentEvent.objects.create(issued_document=doc, action="issued", actor=by,
                                     data={"sha256": sha, "related_type": related_type,
                                           "related_code": str(related_code)})
        audit_record(action="issued_document.issue", actor=by, obj=doc, mall_id=mall.pk, agency_id=agency.pk,
                     subject_person=str(holder.code) if holder else "", data={"sha256": sha})
        return doc

    return _store_row(prefix="issued", content=signed, ext="pdf", create=create)


def issued_document_revoke(*, document: IssuedDocument, reason: str, by) -> IssuedDocument:
    """Mark a document revoked; its verification page says "dicabut" from now on."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tulis alasan pencabutan."), code="reason_required", field="reason")
    with transaction.atomic():
        now = timezone.now()
        updated = IssuedDocument.objects.filter(pk=document.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=reason[:300], revoked_by=by, updated_at=now)
        if updated != 1:
            raise Conflict(_("Dokumen ini sudah dicabut."), code="already_revoked")
        DocumentEvent.objects.create(issued_document=document, action="revoked", actor=by, data={"reason": reason})
        audit_record(action="issued_document.revoke", actor=by, obj=document, mall_id=document.mall_id,
                     agency_id=document.agency_id, data={"reason": reason})
    document.refresh_from_db()
    return document
