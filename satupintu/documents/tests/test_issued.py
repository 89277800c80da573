"""Issued documents: rendered, QR-coded, PAdES-signed; checked by poppler's pdfsig and
pyHanko; the public verification page tells genuine / unchanged / revoked apart."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.catalogue.models import Agency
from satupintu.documents import services
from satupintu.documents.models import IssuedDocument, mask_name
from satupintu.integrations.esign import get_signer, validate_pdf

pytestmark = pytest.mark.django_db

BODY = """<p>Yang bertanda tangan di bawah ini menerangkan bahwa</p>
<table class="fields"><tr><td>Nama</td><td>{{ name }}</td></tr><tr><td>Nomor</td><td>{{ number }}</td></tr></table>"""


@pytest.fixture
def issued(catalogue, esign_demo_dir, doc_citizen, doc_officer):
    return services.issued_document_create(
        title="Kutipan Akta Kelahiran", html=BODY, context={"name": "Ahmad Fauzi", "number": "3671-LT-01122026-0001"},
        mall=catalogue, agency=Agency.objects.get(slug="DISDUKCAPIL"), related=("applications.application", "X-1"),
        holder_name="Ahmad Fauzi", holder=doc_citizen.person_obj, document_type="akta_kelahiran", by=doc_officer,
    )


def signed_bytes(doc: IssuedDocument) -> bytes:
    with doc.file.open("rb") as fh:
        return fh.read()


def pdfsig(path) -> str:
    exe = shutil.which("pdfsig")
    if exe is None:
        pytest.fail("pdfsig missing: install poppler-utils (scripts/system-deps.sh)")
    result = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout + result.stderr


def test_issued_pdf_is_signed_and_recorded(issued):
    data = signed_bytes(issued)
    assert data.startswith(b"%PDF-")
    assert issued.sha256 == hashlib.sha256(data).hexdigest()
    assert len(issued.verification_token) >= 40  # 256 random bits, URL-safe
    assert issued.related_type == "applications.application" and issued.related_code == "X-1"
    assert issued.events.get().action == "issued"


def test_pdf_contains_the_text_and_the_verification_link(issued):
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(signed_bytes(issued))).pages[0].extract_text()
    assert "Kutipan Akta Kelahiran" in text and "3671-LT-01122026-0001" in text
    assert f"/verifikasi/{issued.verification_token}/" in text.replace("\n", "")


def test_qr_code_encodes_the_verification_url(catalogue, esign_demo_dir):
    import segno

    url = services.verification_url("abc")
    qr = segno.make(url, error="m")
    assert url.endswith("/verifikasi/abc/") and qr.designator  # the same call the frame uses
    assert services._qr_data_uri(url).startswith("data:image/svg+xml")


def test_pdfsig_says_the_signature_is_valid(issued, tmp_path):
    """What we check in pdfsig's output: the signature is valid (the CMS signature over the
    signed byte ranges verifies) and it covers the total document. With the demo CA, pdfsig
    reports the certificate issuer as not trusted (it is not in the system NSS store):
    that line is expected and asserted, so a change in trust is noticed too."""
    path = tmp_path / "akta.pdf"
    path.write_bytes(signed_bytes(issued))
    out = pdfsig(path)
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Total document signed" in out, out
    assert "Signature Type: ETSI.CAdES.detached" in out, out  # PAdES
    assert re.search(r"Certificate Validation: (Certificate is Trusted|Certificate issuer isn't Trusted)", out), out


def test_pdfsig_says_a_modified_pdf_is_invalid(issued, tmp_path):
    data = bytearray(signed_bytes(issued))
    # flip one byte inside the first signed range (the page content, before the signature)
    target = data.index(b"stream", 200) + 20
    data[target] ^= 0x01
    path = tmp_path / "ubah.pdf"
    path.write_bytes(bytes(data))
    out = pdfsig(path)
    assert "Signature Validation: Signature is Valid." not in out, out
    assert re.search(r"Signature Validation: (Digest Mismatch|Signature is Invalid|.*[Ff]ail)", out), out


def test_pyhanko_validates_intact_valid_trusted(issued):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(signed_bytes(issued)))
    [sig] = reader.embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=get_signer().trust_roots()))
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line


def test_pyhanko_rejects_a_modified_pdf(issued):
    data = bytearray(signed_bytes(issued))
    target = data.index(b"stream", 200) + 20
    data[target] ^= 0x01
    check = validate_pdf(bytes(data), get_signer().trust_roots())
    assert check.signed and not check.intact and not check.ok


def test_a_certificate_from_another_ca_is_not_trusted(issued, tmp_path):
    from satupintu.integrations.esign import DemoSigner

    other = DemoSigner(tmp_path / "other-ca")
    check = validate_pdf(signed_bytes(issued), other.trust_roots())
    assert check.intact and not check.trusted and not check.ok


def test_demo_keys_are_private_files(issued, esign_demo_dir):
    for name in ("demo-ca.pem", "demo-signer.pem", "demo-signer.key"):
        assert (esign_demo_dir / name).stat().st_mode & 0o777 == 0o600


def test_pkcs12_backend_fails_fast_without_credentials(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_FILE = ""
    settings.ESIGN_PKCS12_PASSWORD = ""
    with pytest.raises(ImproperlyConfigured, match="ESIGN_PKCS12_FILE"):
        get_signer()


def test_demo_backend_is_refused_in_production(settings, esign_demo_dir):
    from django.core.exceptions import ImproperlyConfigured

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="production"):
        get_signer()


def test_pkcs12_backend_signs_with_the_configured_certificate(settings, tmp_path, esign_demo_dir, catalogue):
    """A PKCS#12 like the one BSrE hands out: made here from the demo key and certificate."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, load_pem_private_key, pkcs12
    from cryptography.x509 import load_pem_x509_certificate

    demo = get_signer()
    key = load_pem_private_key(demo.key_path.read_bytes(), None)
    cert = load_pem_x509_certificate(demo.cert_path.read_bytes())
    ca = load_pem_x509_certificate(demo.ca_path.read_bytes())
    p12 = tmp_path / "signer.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", key, cert, [ca], BestAvailableEncryption(b"pw")))
    settings.ESIGN_BACKEND = "pkcs12"
    settings.ESIGN_PKCS12_FILE = str(p12)
    settings.ESIGN_PKCS12_PASSWORD = "pw"
    settings.ESIGN_TRUST_ROOTS = [str(demo.ca_path)]
    signer = get_signer()
    assert signer.name == "pkcs12"
    from satupintu.documents.tests.samples import pdf_bytes

    signed = signer.sign_pdf(pdf_bytes(), reason="uji", location="Tangerang")
    assert validate_pdf(signed, signer.trust_roots()).ok


def test_holder_name_is_masked():
    assert mask_name("Ahmad Fauzi") == "A**** F****"
    assert mask_name("  Siti  ") == "S***"


# --- public verification page --------------------------------------------------------------

def test_verification_page_says_genuine_and_shows_only_what_is_needed(client, issued):
    response = client.get(f"/verifikasi/{issued.verification_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dokumen ini asli dan berlaku." in html
    assert "Kutipan Akta Kelahiran" in html and issued.agency.name in html
    assert "A**** F****" in html
    assert "Ahmad Fauzi" not in html and "3671-LT-01122026-0001" not in html
    assert 'name="robots" content="noindex"' in html


def test_verification_upload_of_the_same_pdf_says_unchanged(client, issued):
    upload = SimpleUploadedFile("akta.pdf", signed_bytes(issued), content_type="application/pdf")
    html = client.post(f"/verifikasi/{issued.verification_token}/", {"file": upload}).content.decode()
    assert "sama persis dengan yang diterbitkan dan tanda tangannya sah" in html


def test_verification_upload_of_a_modified_pdf_says_different(client, issued):
    data = bytearray(signed_bytes(issued))
    target = data.index(b"stream", 200) + 20
    data[target] ^= 0x01
    upload = SimpleUploadedFile("akta.pdf", bytes(data), content_type="application/pdf")
    html = client.post(f"/verifikasi/{issued.verification_token}/", {"file": upload}).content.decode()
    assert "BERBEDA dari yang diterbitkan" in html
    assert "Isi berkas sudah diubah setelah ditandatangani." in html


def test_revoked_document_shows_dicabut(client, issued, doc_officer):
    services.issued_document_revoke(document=issued, reason="Salah tulis nama ayah", by=doc_officer)
    html = client.get(f"/verifikasi/{issued.verification_token}/").content.decode()
    assert "Dokumen ini sudah dicabut" in html and "dicabut" in html
    assert "Salah tulis nama ayah" in html
    assert "Dokumen ini asli dan berlaku." not in html
    assert [e.action for e in issued.events.all()] == ["issued", "revoked"]


def test_revoking_twice_or_without_reason_is_refused(issued, doc_officer):
    from satupintu.core.errors import DomainError

    with pytest.raises(DomainError):
        services.issued_document_revoke(document=issued, reason=" ", by=doc_officer)
    services.issued_document_revoke(document=issued, reason="Ganda", by=doc_officer)
    with pytest.raises(DomainError):
        services.issued_document_revoke(document=issued, reason="Ganda", by=doc_officer)


def test_unknown_token_is_404(client, issued):
    response = client.get("/verifikasi/bukan-token-yang-pernah-diterbitkan/")
    assert response.status_code == 404
    assert "Dokumen tidak dikenal" in response.content.decode()


def test_holder_downloads_the_signed_pdf_through_a_signed_link(client, issued, doc_citizen):
    client.force_login(doc_citizen)
    redirect = client.get(f"/dokumen/terbit/{issued.code}/buka/")
    assert redirect.status_code == 302 and redirect["Location"].startswith("/dokumen/unduh/")
    response = client.get(redirect["Location"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == signed_bytes(issued)
    assert response["Content-Disposition"].startswith("attachment;")


def test_other_citizen_cannot_reach_the_issued_pdf(client, issued, doc_other_citizen):
    client.force_login(doc_other_citizen)
    assert client.get(f"/dokumen/terbit/{issued.code}/buka/").status_code == 404


def test_back_office_revokes_with_a_reason(client, issued):
    from satupintu.identity.models import User

    admin_user = User.objects.create_superuser(email="admin@example.test", password="x", full_name="Admin",
                                               kind=User.Kind.OFFICER)
    client.force_login(admin_user)
    url = "/backoffice/documents/issueddocument/"
    ask = client.post(url, {"action": "revoke", "_selected_action": [issued.pk]})
    assert ask.status_code == 200 and "Alasan pencabutan" in ask.content.decode()
    done = client.post(url, {"action": "revoke", "_selected_action": [issued.pk], "apply": "1",
                             "reason": "Diterbitkan ganda"}, follow=True)
    assert done.status_code == 200
    issued.refresh_from_db()
    assert issued.is_revoked and issued.revoked_reason == "Diterbitkan ganda" and issued.revoked_by == admin_user


def test_officer_of_the_issuing_agency_reaches_it_others_do_not(issued, doc_officer, catalogue):
    from satupintu.core.errors import NotFound
    from satupintu.documents.access import access_issued_document
    from satupintu.identity.models import Membership, Role, User

    assert access_issued_document(doc_officer, issued.code) == issued
    other = User.objects.create_user(email="polres@example.test", password="x", full_name="Petugas Polres",
                                     kind=User.Kind.OFFICER)
    Membership.objects.create(user=other, mall=catalogue, agency=Agency.objects.exclude(slug="DISDUKCAPIL").first(),
                              role=Role.VERIFIER)
    with pytest.raises(NotFound):
        access_issued_document(other, issued.code)
