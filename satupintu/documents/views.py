"""Web pages: "Dokumen saya" (the vault), downloads through signed links, and the public
verification page of issued documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from satupintu.core.audit import audit_record
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.views import not_found
from satupintu.documents import access, selectors, services
from satupintu.documents.links import download_link, resolve_download
from satupintu.documents.models import KIND_RULES, DocumentKind, IssuedDocument, VaultDocument
from satupintu.documents.verification import verify_issued_document
from satupintu.identity.access import persons_actor_may_act_for
from satupintu.identity.models import Person


def _acting_for(request) -> Person | None:
    """The person whose vault is shown: the user, or (?untuk=<code>) someone they hold a
    mandate for."""
    ids = persons_actor_may_act_for(request.user)
    code = request.GET.get("untuk") or request.POST.get("untuk")
    qs = Person.objects.filter(id__in=ids)
    if code:
        try:
            return qs.filter(code=code).first()
        except (ValueError, ValidationError):  # not a UUID
            return None
    return qs.filter(account=request.user).first()


def _kind_choices():
    return [(k, label, KIND_RULES[k]) for k, label in DocumentKind.choices]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_documents(request):
    person = _acting_for(request)
    if person is None:
        return render(request, "documents/no_person.html", status=404 if request.GET.get("untuk") else 200)
    error, status = None, 200
    if request.method == "POST":
        try:
            doc = services.vault_document_upload(owner=person, kind=request.POST.get("kind", ""), by=request.user,
                                                 uploaded_file=_file_or_error(request))
            return HttpResponseRedirect(_back(person, request) + f"&diunggah={doc.code}")
        except DomainError as exc:
            error, status = exc, exc.status
    uploaded = request.GET.get("diunggah")
    others = Person.objects.filter(id__in=persons_actor_may_act_for(request.user)).exclude(pk=person.pk)
    return render(request, "documents/my_documents.html", {
        "person": person, "documents": selectors.vault_document_list(person=person), "kinds": _kind_choices(),
        "error": error, "selected_kind": request.POST.get("kind", ""), "uploaded": uploaded,
        "issued": selectors.issued_documents_for(person=person), "others": others,
        "is_self": person.account_id == request.user.pk,
    }, status=status)


def _file_or_error(request):
    f = request.FILES.get("file")
    if f is None:
        raise DomainError(_("Pilih berkas yang akan diunggah."), code="file_required", field="file")
    return f


def _back(person, request) -> str:
    url = reverse("documents:my_documents")
    return f"{url}?untuk={person.code}" if person.account_id != request.user.pk else f"{url}?"


@login_required
@require_POST
def replace(request, code):
    try:
        doc = access.access_vault_document(request.user, code, manage=True)
    except (NotFound, ValueError, DomainError):
        return not_found(request)
    try:
        services.vault_document_replace(document=doc, uploaded_file=_file_or_error(request), by=request.user)
    except DomainError as exc:
        return render(request, "documents/replace_failed.html", {"document": doc, "error": exc,
                                                                 "back": _back(doc.owner, request)},
                      status=exc.status)
    return HttpResponseRedirect(_back(doc.owner, request) + "&diganti=1")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, code):
    try:
        doc = access.access_vault_document(request.user, code, manage=True)
    except (NotFound, ValueError, DomainError):
        return not_found(request)
    if request.method == "POST":
        services.vault_document_delete(document=doc, by=request.user)
        return HttpResponseRedirect(_back(doc.owner, request) + "&dihapus=1")
    return render(request, "documents/delete_confirm.html", {"document": doc, "back": _back(doc.owner, request)})


@never_cache
@login_required
def open_vault_document(request, code):
    """Access check, then a redirect to a fresh five-minute link bound to this user."""
    try:
        doc = access.access_vault_document(request.user, code)
    except (NotFound, ValueError, DomainError):
        return not_found(request)
    return HttpResponseRedirect(download_link(document=doc, user=request.user))


@never_cache
@login_required
def open_issued_document(request, code):
    try:
        doc = access.access_issued_document(request.user, code)
    except (NotFound, ValueError, DomainError):
        return not_found(request)
    return HttpResponseRedirect(download_link(document=doc, user=request.user))


@login_required
def download(request, token):
    try:
        doc = resolve_download(token, request.user)
    except NotFound:
        return render(request, "documents/link_expired.html", status=404)
    return file_response(request, doc)


def file_response(request, doc: VaultDocument | IssuedDocument) -> FileResponse:
    if isinstance(doc, VaultDocument):
        filename, content_type, subject = doc.original_name, doc.content_type, str(doc.owner.code)
    else:
        filename = f"{doc.title}.pdf".replace("/", "-")
        content_type, subject = "application/pdf", str(doc.holder.code) if doc.holder else ""
    audit_record(action="document.download", actor=request.user, obj=doc, subject_person=subject,
                 purpose="unduh dokumen")
    response = FileResponse(doc.file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return response


MAX_VERIFY_UPLOAD = 20 * 1024 * 1024


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """Public: is this document genuine, unchanged and not revoked? Shows only what is
    needed to check it."""
    doc = selectors.issued_document_by_token(token)
    if doc is None:
        return render(request, "documents/verify_unknown.html", status=404)
    comparison, error = None, None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Pilih berkas PDF yang akan dicocokkan.")
        elif upload.size > MAX_VERIFY_UPLOAD:
            error = _("Berkas terlalu besar untuk dicocokkan (batas 20 MB).")
        else:
            comparison = verify_issued_document(doc, upload.read())
    return render(request, "documents/verify.html", {
        "doc": doc, "comparison": comparison, "error": error,
        "stored": verify_issued_document(doc, None),
    }, status=400 if error else 200)
