"""Documents API: the vault (upload, list, delete, signed download links) and issued
documents of the signed-in citizen (or someone they hold a mandate for)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from satupintu.core.errors import DomainError, NotFound
from satupintu.documents import access, selectors, services
from satupintu.documents.links import download_link
from satupintu.documents.models import KIND_RULES, DocumentKind, VaultDocument
from satupintu.identity.access import persons_actor_may_act_for
from satupintu.identity.models import Person

router = Router(tags=["dokumen / documents"], auth=django_auth)


class VaultDocumentOut(Schema):
    code: UUID
    kind: str
    kind_label: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    owner: UUID


class KindOut(Schema):
    kind: str
    label: str
    accepted_types: list[str]
    max_bytes: int


class LinkOut(Schema):
    url: str
    expires_in: int


class IssuedDocumentOut(Schema):
    code: UUID
    title: str
    agency: str
    issued_at: datetime
    revoked: bool
    verification_url: str


def _out(d: VaultDocument) -> dict:
    return {"code": d.code, "kind": d.kind, "kind_label": str(d.get_kind_display()), "original_name": d.original_name,
            "content_type": d.content_type, "size": d.size, "sha256": d.sha256, "created_at": d.created_at,
            "owner": d.owner.code}


def _person(request, code: UUID | None) -> Person:
    qs = Person.objects.filter(id__in=persons_actor_may_act_for(request.user))
    person = qs.filter(code=code).first() if code else qs.filter(account=request.user).first()
    if person is None:
        raise NotFound(_("Data penduduk tidak ditemukan. / Person not found."))
    return person


def _link(document, request) -> dict:
    return {"url": request.build_absolute_uri(download_link(document=document, user=request.user)),
            "expires_in": settings.DOCUMENT_LINK_MAX_AGE}


@router.get("/document-kinds", response=list[KindOut], auth=None, summary="Jenis dokumen / document kinds")
def kinds(request):
    return [{"kind": k, "label": str(label), "accepted_types": list(KIND_RULES[k].types),
             "max_bytes": KIND_RULES[k].max_bytes} for k, label in DocumentKind.choices]


@router.get("/documents", response=list[VaultDocumentOut], summary="Isi brankas / vault contents")
def list_documents(request, person: UUID | None = None, kind: str | None = None):
    qs = selectors.vault_document_list(person=_person(request, person)).select_related("owner")
    if kind:
        qs = qs.filter(kind=kind)
    return [_out(d) for d in qs]


@router.post("/documents", response={201: VaultDocumentOut}, summary="Unggah dokumen / upload a document")
def upload(request, kind: Form[str], file: File[UploadedFile], person: Form[UUID | None] = None):
    """The file is checked by its real content; refusals answer 400 with `code` `upload_*`
    and the message in Bahasa Indonesia (`message_id`) and English (`message_en`)."""
    doc = services.vault_document_upload(owner=_person(request, person), kind=kind, uploaded_file=file,
                                         by=request.user)
    return Status(201, _out(doc))


@router.delete("/documents/{code}", response={204: None}, summary="Hapus dari brankas / delete from the vault")
def delete(request, code: UUID):
    services.vault_document_delete(document=access.access_vault_document(request.user, code, manage=True),
                                   by=request.user)
    return Status(204, None)


@router.post("/documents/{code}/download-link", response=LinkOut,
             summary="Tautan unduh 5 menit / five-minute download link")
def document_link(request, code: UUID):
    return _link(access.access_vault_document(request.user, code), request)


@router.get("/issued-documents", response=list[IssuedDocumentOut], summary="Dokumen terbit / issued documents")
def issued(request, person: UUID | None = None):
    return [{"code": d.code, "title": d.title, "agency": d.agency.slug, "issued_at": d.issued_at,
             "revoked": d.is_revoked, "verification_url": services.verification_url(d.verification_token)}
            for d in selectors.issued_documents_for(person=_person(request, person))]


@router.post("/issued-documents/{code}/download-link", response=LinkOut,
             summary="Tautan unduh PDF bertanda tangan / signed PDF download link")
def issued_link(request, code: UUID):
    return _link(access.access_issued_document(request.user, code), request)


__all__ = ["router", "DomainError"]
