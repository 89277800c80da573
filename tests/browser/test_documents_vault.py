"""A citizen keeps documents in the vault, is told exactly why a wrong file is refused,
and anyone can check a signed document on its verification page."""

import pytest

from tests.fixtures.documents import make_citizen

pytestmark = pytest.mark.browser


def sign_in(page, email):
    page.goto("/masuk/")
    page.get_by_label("Nomor HP atau e-mail").fill(email)
    page.get_by_label("Kata sandi").fill("x")
    page.get_by_role("button", name="Masuk").click()


def test_vault_upload_refusal_and_replace(page, live_catalogue, assert_accessible, tmp_path):
    from satupintu.documents.models import VaultDocument
    from satupintu.documents.tests import samples

    make_citizen("Siti Rahmawati", "siti.browser@example.test")
    sign_in(page, "siti.browser@example.test")
    page.goto("/dokumen/")
    assert page.locator("h1").inner_text() == "Dokumen saya"
    assert_accessible(page)

    exe = tmp_path / "KK.pdf"
    exe.write_bytes(samples.executable_bytes())
    page.get_by_label("Jenis dokumen").select_option("kk")
    page.get_by_label("Berkas", exact=False).first.set_input_files(str(exe))
    page.get_by_role("button", name="Unggah", exact=True).click()
    summary = page.locator(".error-summary")
    assert "yang Anda unggah tampaknya program (EXE)" in summary.inner_text()
    assert_accessible(page)
    assert VaultDocument.objects.count() == 0

    good = tmp_path / "kk-siti.pdf"
    good.write_bytes(samples.pdf_bytes())
    page.get_by_label("Jenis dokumen").select_option("kk")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Unggah", exact=True).click()
    assert page.get_by_role("status").first.inner_text().startswith("Dokumen tersimpan.")
    assert page.get_by_role("heading", name="Kartu Keluarga (KK)").is_visible()
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh Kartu Keluarga (KK)").click()
    assert info.value.suggested_filename == "kk-siti.pdf"
    assert not page.js_errors


def test_verification_page_is_accessible_and_says_genuine(page, live_catalogue, assert_accessible, esign_demo_dir):
    from satupintu.catalogue.models import Agency
    from satupintu.documents import services

    _user, person = make_citizen("Ahmad Fauzi", "ahmad.browser@example.test")
    doc = services.issued_document_create(
        title="Surat Keterangan Pindah", html="<p>Isi</p>", context={}, mall=live_catalogue,
        agency=Agency.objects.get(slug="DISDUKCAPIL"), holder=person, holder_name=person.full_name)
    page.goto(f"/verifikasi/{doc.verification_token}/")
    assert page.get_by_text("Dokumen ini asli dan berlaku.").is_visible()
    assert page.get_by_text("A**** F****").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    assert page.get_by_text("This document is genuine and valid.").is_visible()
