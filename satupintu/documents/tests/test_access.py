"""Who reaches a vault document, and how downloads are served."""

from __future__ import annotations

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.core.errors import NotFound
from satupintu.documents import access, services
from satupintu.documents.links import download_link, resolve_download
from satupintu.documents.models import DocumentKind, VaultDocument
from satupintu.documents.tests import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def kk(doc_citizen):
    return services.vault_document_upload(owner=doc_citizen.person_obj, kind=DocumentKind.KK, by=doc_citizen,
                                          uploaded_file=SimpleUploadedFile("kk.pdf", samples.pdf_bytes()))


def test_owner_reaches_other_citizen_does_not(kk, doc_citizen, doc_other_citizen):
    assert access.access_vault_document(doc_citizen, kk.code) == kk
    with pytest.raises(NotFound):
        access.access_vault_document(doc_other_citizen, kk.code)


def test_mandate_holder_reaches_and_loses_access_when_revoked(kk, doc_citizen, doc_other_citizen):
    from django.utils import timezone

    from satupintu.identity.models import Mandate

    mandate = Mandate.objects.create(actor=doc_other_citizen, subject=doc_citizen.person_obj,
                                     basis=Mandate.Basis.POWER_OF_ATTORNEY)
    assert access.access_vault_document(doc_other_citizen, kk.code, manage=True) == kk
    mandate.revoked_at = timezone.now()
    mandate.save()
    with pytest.raises(NotFound):
        access.access_vault_document(doc_other_citizen, kk.code)


def test_officer_reaches_only_through_a_registered_rule(kk, doc_officer):
    with pytest.raises(NotFound):
        access.access_vault_document(doc_officer, kk.code)

    def officers_of_the_application(user, document):
        return document.pk == kk.pk and user.pk == doc_officer.pk

    access.register_document_access_rule(officers_of_the_application)
    try:
        assert access.access_vault_document(doc_officer, kk.code) == kk
        with pytest.raises(NotFound):  # read, not manage
            access.access_vault_document(doc_officer, kk.code, manage=True)
    finally:
        access._access_rules.remove(officers_of_the_application)


def test_unknown_code_is_not_found(doc_citizen):
    import uuid

    with pytest.raises(NotFound):
        access.access_vault_document(doc_citizen, uuid.uuid4())


def test_link_is_bound_to_the_user(kk, doc_citizen, doc_other_citizen):
    token = download_link(document=kk, user=doc_citizen).split("/")[-2]
    assert resolve_download(token, doc_citizen) == kk
    with pytest.raises(NotFound):
        resolve_download(token, doc_other_citizen)


def test_link_expires(kk, doc_citizen, settings):
    token = download_link(document=kk, user=doc_citizen).split("/")[-2]
    settings.DOCUMENT_LINK_MAX_AGE = -1  # any age is too old
    with pytest.raises(NotFound):
        resolve_download(token, doc_citizen)


def test_tampered_link_is_refused(kk, doc_citizen, doc_other_citizen):
    forged = signing.TimestampSigner(salt="something-else").sign_object(
        {"k": "v", "c": str(kk.code), "u": str(doc_other_citizen.code)})
    with pytest.raises(NotFound):
        resolve_download(forged, doc_other_citizen)


def test_link_stops_working_when_the_document_is_deleted(kk, doc_citizen):
    token = download_link(document=kk, user=doc_citizen).split("/")[-2]
    services.vault_document_delete(document=kk, by=doc_citizen)
    with pytest.raises(NotFound):
        resolve_download(token, doc_citizen)


# --- HTTP ---------------------------------------------------------------------------------

def test_download_is_an_attachment_with_safe_headers(client, kk, doc_citizen):
    client.force_login(doc_citizen)
    redirect = client.get(f"/dokumen/{kk.code}/buka/")
    assert redirect.status_code == 302
    response = client.get(redirect["Location"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kk.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == kk.file.open("rb").read()


def test_someone_elses_link_is_404_even_when_signed_in(client, kk, doc_citizen, doc_other_citizen):
    client.force_login(doc_citizen)
    location = client.get(f"/dokumen/{kk.code}/buka/")["Location"]
    client.force_login(doc_other_citizen)
    assert client.get(location).status_code == 404
    assert client.get(f"/dokumen/{kk.code}/buka/").status_code == 404


def test_download_needs_sign_in(client, kk, doc_citizen):
    client.force_login(doc_citizen)
    location = client.get(f"/dokumen/{kk.code}/buka/")["Location"]
    client.logout()
    assert client.get(location).status_code == 302  # to the sign-in page


def test_my_documents_page_uploads_and_refuses_with_a_message(client, doc_citizen, private_files):
    client.force_login(doc_citizen)
    assert client.get("/dokumen/").status_code == 200
    bad = client.post("/dokumen/", {"kind": "kk", "file": SimpleUploadedFile("kk.pdf", samples.executable_bytes())})
    assert bad.status_code == 400
    assert "tampaknya program (EXE)" in bad.content.decode()
    assert VaultDocument.objects.count() == 0 and private_files() == []
    ok = client.post("/dokumen/", {"kind": "kk", "file": SimpleUploadedFile("kk.pdf", samples.pdf_bytes())})
    assert ok.status_code == 302
    page = client.get(ok["Location"]).content.decode()
    assert "Dokumen tersimpan." in page and "Kartu Keluarga (KK)" in page


def test_http_upload_with_a_path_in_the_name_stores_a_safe_name(client, doc_citizen):
    """Django's multipart parser already strips paths; what reaches the vault is a bare name."""
    client.force_login(doc_citizen)
    client.post("/dokumen/", {"kind": "kk", "file": SimpleUploadedFile("../../../etc/kk.pdf", samples.pdf_bytes())})
    assert VaultDocument.objects.get().original_name == "kk.pdf"


def test_replace_and_delete_through_the_page(client, kk, doc_citizen):
    client.force_login(doc_citizen)
    r = client.post(f"/dokumen/{kk.code}/ganti/", {"file": SimpleUploadedFile("kk2.pdf", samples.pdf_bytes(2))})
    assert r.status_code == 302
    new = VaultDocument.objects.get(status="active")
    assert client.get(f"/dokumen/{new.code}/hapus/").status_code == 200
    assert client.post(f"/dokumen/{new.code}/hapus/").status_code == 302
    assert not VaultDocument.objects.filter(status="active").exists()


def test_other_citizen_cannot_replace_or_delete(client, kk, doc_other_citizen):
    client.force_login(doc_other_citizen)
    assert client.post(f"/dokumen/{kk.code}/hapus/").status_code == 404
    r = client.post(f"/dokumen/{kk.code}/ganti/", {"file": SimpleUploadedFile("kk2.pdf", samples.pdf_bytes())})
    assert r.status_code == 404
    kk.refresh_from_db()
    assert kk.status == "active"


# --- API ----------------------------------------------------------------------------------

def test_api_upload_list_link(client, doc_citizen):
    client.force_login(doc_citizen)
    r = client.post("/api/v1/documents", {"kind": "akta_kelahiran",
                                          "file": SimpleUploadedFile("akta.pdf", samples.pdf_bytes())})
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    listing = client.get("/api/v1/documents").json()
    assert [d["code"] for d in listing] == [code]
    link = client.post(f"/api/v1/documents/{code}/download-link").json()
    assert link["expires_in"] == 300
    assert client.get(link["url"]).status_code == 200


def test_api_refusal_has_both_languages(client, doc_citizen, private_files):
    client.force_login(doc_citizen)
    exe = SimpleUploadedFile("kk.pdf", samples.executable_bytes())
    r = client.post("/api/v1/documents", {"kind": "kk", "file": exe})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "upload_wrong_type"
    assert error["fields"][0]["field"] == "file"
    assert "tampaknya program (EXE)" in error["message_id"]
    assert "appears to be a program (EXE)" in error["message_en"]
    assert private_files() == []


def test_api_needs_sign_in_and_hides_others(client, kk, doc_other_citizen):
    assert client.get("/api/v1/documents").status_code == 401
    client.force_login(doc_other_citizen)
    assert client.post(f"/api/v1/documents/{kk.code}/download-link").status_code == 404
    assert client.delete(f"/api/v1/documents/{kk.code}").status_code == 404
    assert client.get(f"/api/v1/documents?person={kk.owner.code}").status_code == 404


def test_api_kinds_are_public(client):
    kinds = {k["kind"]: k for k in client.get("/api/v1/document-kinds").json()}
    assert kinds["pas_foto"]["accepted_types"] == ["jpg", "png"]
    assert kinds["kk"]["max_bytes"] == 5 * 1024 * 1024


def test_vault_of_someone_else_is_404_on_the_page(client, kk, doc_citizen, doc_other_citizen):
    client.force_login(doc_other_citizen)
    assert client.get(f"/dokumen/?untuk={kk.owner.code}").status_code == 404
    assert client.get("/dokumen/?untuk=bukan-uuid").status_code == 404


def test_mandate_holder_manages_the_vault_on_the_page(client, doc_citizen, doc_other_citizen):
    from satupintu.identity.models import Mandate

    Mandate.objects.create(actor=doc_citizen, subject=doc_other_citizen.person_obj, basis=Mandate.Basis.FAMILY)
    client.force_login(doc_citizen)
    url = f"/dokumen/?untuk={doc_other_citizen.person_obj.code}"
    page = client.get(url).content.decode()
    assert "Dokumen Budi Santoso" in page
    r = client.post(url, {"kind": "kk", "file": SimpleUploadedFile("kk-budi.pdf", samples.pdf_bytes())})
    assert r.status_code == 302
    doc = VaultDocument.objects.get()
    assert doc.owner == doc_other_citizen.person_obj and doc.on_behalf_of is not None
