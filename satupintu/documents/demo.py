"""Demo documents: a few vault documents (and one signed, verifiable document) for the
demo citizen, if the identity demo made one. Idempotent; skips quietly otherwise."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.documents.models import DocumentKind, IssuedDocument


def _demo_citizen():
    from satupintu.identity.models import Person, User

    return (Person.objects.select_related("account")
            .filter(account__kind=User.Kind.CITIZEN, account__email__endswith="@demo.satupintu.id")
            .order_by("id").first())


def _sample_pdf(title: str, lines: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in lines)
    html = (f"<h1>{title}</h1><p><strong>CONTOH — DATA DEMO, BUKAN DOKUMEN ASLI</strong></p>{body}")
    return HTML(string=html).write_pdf()


def _sample_photo() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (300, 400), (180, 40, 40))  # red background, as pas foto for KTP-el
    draw = ImageDraw.Draw(img)
    draw.ellipse((90, 60, 210, 200), fill=(230, 200, 170))
    draw.rectangle((60, 210, 240, 400), fill=(30, 30, 90))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def load(stdout):
    from satupintu.documents.selectors import vault_documents_for
    from satupintu.documents.services import issued_document_create, vault_document_upload

    person = _demo_citizen()
    if person is None:
        stdout.write("documents: no demo citizen yet, vault left empty\n")
        return []
    held = vault_documents_for(person=person)
    samples = {
        DocumentKind.KK: ("kartu-keluarga.pdf", lambda: _sample_pdf("Kartu Keluarga", [
            f"Kepala keluarga: {person.full_name}", "Alamat: Jl. Contoh No. 1, Kota Tangerang"])),
        DocumentKind.AKTA_PERKAWINAN: ("buku-nikah.pdf", lambda: _sample_pdf("Buku Nikah", [
            f"Suami/istri: {person.full_name}"])),
        DocumentKind.PAS_FOTO: ("pas-foto.jpg", _sample_photo),
    }
    added = 0
    for kind, (name, make) in samples.items():
        if kind in held:
            continue
        vault_document_upload(owner=person, kind=kind, by=person.account,
                              uploaded_file=SimpleUploadedFile(name, make()))
        added += 1
    if not IssuedDocument.objects.filter(related_type="demo", related_code="demo-surat-keterangan",
                                         holder=person).exists():
        from satupintu.catalogue.models import Agency, Mall

        mall = Mall.objects.filter(slug="kota-tangerang").first()
        agency = Agency.objects.filter(slug="DISDUKCAPIL").first()
        if mall and agency:
            issued_document_create(
                title="Surat Keterangan (contoh)", mall=mall, agency=agency, holder=person,
                holder_name=person.full_name, related=("demo", "demo-surat-keterangan"), document_type="contoh",
                html="<p>Dokumen contoh dari data demo SatuPintu untuk mencoba halaman verifikasi.</p>"
                     "<p>Nama: {{ name }}</p>", context={"name": person.full_name},
            )
            added += 1
    stdout.write(f"documents: {added} demo document(s) added for {person.full_name}\n")
    return []
