"""Vault uploads: what is accepted, what is refused, and that a refusal leaves nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from satupintu.core.errors import DomainError, NotFound
from satupintu.documents import services
from satupintu.documents.models import DocumentEvent, DocumentKind, VaultDocument
from satupintu.documents.selectors import vault_documents_for
from satupintu.documents.tests import samples

pytestmark = pytest.mark.django_db


def upload(user, data: bytes, name: str, kind=DocumentKind.KK, content_type="application/pdf", owner=None):
    return services.vault_document_upload(owner=owner or user.person_obj, kind=kind, by=user,
                                          uploaded_file=SimpleUploadedFile(name, data, content_type=content_type))


def refused(user, data, name, private_files, kind=DocumentKind.KK, content_type="application/pdf", file_obj=None):
    """Upload, expect a refusal, and prove nothing was left behind."""
    rows_before = VaultDocument.objects.count()
    events_before = DocumentEvent.objects.count()
    with pytest.raises(DomainError) as err:
        if file_obj is not None:
            services.vault_document_upload(owner=user.person_obj, kind=kind, by=user, uploaded_file=file_obj)
        else:
            upload(user, data, name, kind=kind, content_type=content_type)
    assert VaultDocument.objects.count() == rows_before
    assert DocumentEvent.objects.count() == events_before
    assert private_files() == []
    return err.value


# --- accepted ---------------------------------------------------------------------------

def test_pdf_is_stored_under_a_random_name_with_its_hash(doc_citizen, private_files):
    data = samples.pdf_bytes()
    doc = upload(doc_citizen, data, "KK Siti.pdf")
    assert doc.content_type == "application/pdf"
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    assert doc.original_name == "KK Siti.pdf"
    assert doc.on_behalf_of is None
    files = private_files()
    assert len(files) == 1 and files[0].startswith("vault/") and "Siti" not in files[0]
    assert doc.file.read() == data  # PDFs are kept byte for byte
    assert doc.events.get().action == "uploaded"


def test_jpeg_is_reencoded_without_exif_metadata(doc_citizen):
    data = samples.jpeg_bytes(exif_gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get(0x010F) == "KameraRahasia"
    doc = upload(doc_citizen, data, "foto.jpeg", kind=DocumentKind.PAS_FOTO, content_type="image/jpeg")
    stored = doc.file.read()
    assert stored != data
    img = Image.open(io.BytesIO(stored))
    assert img.format == "JPEG" and img.size == (400, 300)
    assert not img.getexif()  # no camera, no GPS
    assert b"KameraRahasia" not in stored
    assert doc.original_name == "foto.jpg"


def test_the_declared_type_and_name_are_ignored_the_content_decides(doc_citizen):
    doc = upload(doc_citizen, samples.png_bytes(), "scan.pdf", content_type="application/pdf")
    assert doc.content_type == "image/png"
    assert doc.original_name == "scan.png"


def test_name_is_made_safe(doc_citizen):
    doc = upload(doc_citizen, samples.pdf_bytes(), 'akta <anak> "2026"?.pdf')
    assert doc.original_name == "akta _anak_ _2026__.pdf"
    long = upload(doc_citizen, samples.pdf_bytes(), "a" * 300 + ".pdf")
    assert len(long.original_name) <= 120 and long.original_name.endswith(".pdf")


def test_upload_under_a_mandate_is_recorded(doc_citizen, doc_other_citizen):
    from satupintu.identity.models import Mandate

    mandate = Mandate.objects.create(actor=doc_citizen, subject=doc_other_citizen.person_obj,
                                     basis=Mandate.Basis.FAMILY)
    doc = upload(doc_citizen, samples.pdf_bytes(), "kk.pdf", owner=doc_other_citizen.person_obj)
    assert doc.owner == doc_other_citizen.person_obj
    assert doc.on_behalf_of == mandate
    assert doc.uploaded_by == doc_citizen


def test_upload_for_someone_without_a_mandate_is_not_found(doc_citizen, doc_other_citizen, private_files):
    with pytest.raises(NotFound):
        upload(doc_citizen, samples.pdf_bytes(), "kk.pdf", owner=doc_other_citizen.person_obj)
    assert VaultDocument.objects.count() == 0 and private_files() == []


def test_replace_keeps_the_old_one_and_the_vault_offers_the_new(doc_citizen):
    first = upload(doc_citizen, samples.pdf_bytes(), "kk-lama.pdf")
    second = services.vault_document_replace(document=first, by=doc_citizen,
                                             uploaded_file=SimpleUploadedFile("kk-baru.pdf", samples.pdf_bytes(2)))
    first.refresh_from_db()
    assert first.status == VaultDocument.Status.REPLACED and first.replaced_by == second
    held = vault_documents_for(person=doc_citizen.person_obj, kinds=[DocumentKind.KK, DocumentKind.AKTA_KELAHIRAN])
    assert held == {DocumentKind.KK: second}  # the application asks only for the akta


def test_delete_removes_the_file_and_hides_it(doc_citizen, private_files):
    doc = upload(doc_citizen, samples.pdf_bytes(), "kk.pdf")
    with pytest.raises(DomainError):  # not active twice
        services.vault_document_delete(document=doc, by=doc_citizen)
        services.vault_document_delete(document=doc, by=doc_citizen)
    doc.refresh_from_db()
    assert doc.status == VaultDocument.Status.DELETED
    assert vault_documents_for(person=doc_citizen.person_obj) == {}


@pytest.mark.django_db(transaction=True)
def test_delete_removes_the_file_after_commit(doc_citizen, private_files):
    doc = upload(doc_citizen, samples.pdf_bytes(), "kk.pdf")
    assert len(private_files()) == 1
    services.vault_document_delete(document=doc, by=doc_citizen)
    assert private_files() == []


@pytest.mark.django_db(transaction=True)
def test_delete_keeps_a_file_an_application_still_uses(doc_citizen, private_files):
    from satupintu.documents import access

    doc = upload(doc_citizen, samples.pdf_bytes(), "kk.pdf")

    def in_use(d):
        return d.pk == doc.pk

    access.register_document_in_use_check(in_use)
    try:
        services.vault_document_delete(document=doc, by=doc_citizen)
    finally:
        access._in_use_checks.remove(in_use)
    assert len(private_files()) == 1
    assert doc.events.last().data == {"file_kept": True}


# --- refused: the five bad uploads of the issue, and their relatives -----------------------

def test_renamed_executable_is_refused(doc_citizen, private_files):
    err = refused(doc_citizen, samples.executable_bytes(), "KK.pdf", private_files)
    assert err.code == "upload_wrong_type"
    assert err.details["message_id"] == ("Berkas ini bukan PDF atau gambar JPEG/PNG; yang Anda unggah tampaknya "
                                         "program (EXE).")
    assert err.details["message_en"] == ("This file is not a PDF or a JPEG/PNG image; what you uploaded appears to "
                                         "be a program (EXE).")


def test_renamed_zip_is_named_as_what_it_is(doc_citizen, private_files):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("kk.txt", "isi")
    err = refused(doc_citizen, buf.getvalue(), "kk.jpg", private_files, content_type="image/jpeg")
    assert "arsip ZIP" in err.details["message_id"]


def test_pdf_is_refused_where_only_a_photo_will_do(doc_citizen, private_files):
    err = refused(doc_citizen, samples.pdf_bytes(), "pasfoto.pdf", private_files, kind=DocumentKind.PAS_FOTO)
    assert err.details["message_id"] == ("Untuk dokumen ini hanya gambar JPEG/PNG yang diterima; "
                                         "yang Anda unggah adalah PDF.")


def test_oversized_file_is_refused_with_its_size_and_the_limit(doc_citizen, private_files):
    data = samples.pdf_bytes() + b"%" + b"0" * (5 * 1024 * 1024)
    err = refused(doc_citizen, data, "kk.pdf", private_files)
    assert err.code == "upload_too_large"
    assert err.details["message_id"].startswith(
        "Berkas terlalu besar: 5,1 MB. Batas untuk Kartu Keluarga (KK) adalah 5 MB.")
    assert err.details["message_en"].startswith(
        "The file is too large: 5.1 MB. The limit for Family Card (Kartu Keluarga, KK) is 5 MB.")


def test_oversized_file_without_a_declared_size_is_read_only_to_the_limit(doc_citizen, private_files):
    class Stream(io.BytesIO):
        name = "kk.pdf"

    err = refused(doc_citizen, None, None, private_files,
                  file_obj=Stream(samples.pdf_bytes() + b"0" * (6 * 1024 * 1024)))
    assert err.code == "upload_too_large"


@pytest.mark.parametrize("make, code", [
    (samples.pdf_with_document_javascript, "upload_pdf_active_content"),
    (samples.pdf_with_link_javascript, "upload_pdf_active_content"),
    (samples.pdf_with_attachment, "upload_pdf_active_content"),
    (samples.pdf_encrypted, "upload_pdf_encrypted"),
])
def test_dangerous_pdfs_are_refused(doc_citizen, private_files, make, code):
    err = refused(doc_citizen, make(), "kk.pdf", private_files)
    assert err.code == code


def test_pdf_with_javascript_says_so(doc_citizen, private_files):
    err = refused(doc_citizen, samples.pdf_with_document_javascript(), "kk.pdf", private_files)
    assert err.details["message_id"].startswith("PDF ini berisi JavaScript dan ditolak demi keamanan.")
    assert err.details["message_en"].startswith("This PDF contains JavaScript and was refused for safety.")


def test_unparsable_pdf_is_refused(doc_citizen, private_files):
    err = refused(doc_citizen, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "kk.pdf", private_files)
    assert err.code == "upload_pdf_broken"


def test_decompression_bomb_image_is_refused_before_decoding(doc_citizen, private_files):
    bomb = samples.png_decompression_bomb()
    assert len(bomb) < 10_000  # tiny on the wire, 2.5 gigapixels when decoded
    err = refused(doc_citizen, bomb, "foto.png", private_files, kind=DocumentKind.PAS_FOTO, content_type="image/png")
    assert err.code == "upload_image_too_many_pixels"
    assert "40 juta piksel" in err.details["message_id"]


def test_broken_image_is_refused(doc_citizen, private_files):
    data = samples.png_bytes()[:60]
    err = refused(doc_citizen, data, "foto.png", private_files, kind=DocumentKind.PAS_FOTO, content_type="image/png")
    assert err.code == "upload_image_broken"


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\Windows\\System32\\kk.pdf", "/tmp/kk.pdf",
                                  "C:\\Users\\siti\\KK.pdf"])
def test_path_in_the_file_name_is_refused(doc_citizen, private_files, name):
    err = refused(doc_citizen, None, None, private_files, file_obj=File(io.BytesIO(samples.pdf_bytes()), name=name))
    assert err.code == "upload_name_path"
    assert "Nama berkas memuat folder" in err.details["message_id"]


def test_control_characters_in_the_name_are_refused(doc_citizen, private_files):
    err = refused(doc_citizen, None, None, private_files,
                  file_obj=File(io.BytesIO(samples.pdf_bytes()), name="kk\u202egpj.exe"))
    assert err.code == "upload_name_control"


def test_empty_file_is_refused(doc_citizen, private_files):
    err = refused(doc_citizen, b"", "kk.pdf", private_files)
    assert err.code == "upload_empty"
