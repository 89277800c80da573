"""Browser walks of the public pages, in Bahasa Indonesia and English, with axe-core."""

import pytest

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/cari/?q=ktp+hilang",
    "/mal/",
    "/mal/kota-tangerang/",
    "/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/",
    "/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/daftar-periksa/",
    "/instansi/DISDUKCAPIL/",
]


def test_every_public_page_is_accessible(page, live_catalogue, assert_accessible):
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    assert not page.js_errors


def test_finder_to_service_to_checklist(page, live_catalogue):
    page.goto("/")
    page.get_by_label("Apa yang ingin Anda urus?").fill("ktp hilang")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("link", name="Penerbitan KTP-el karena hilang atau rusak").first.click()
    assert page.locator("h1").inner_text() == "Penerbitan KTP-el karena hilang atau rusak"
    assert page.get_by_text("Gratis").first.is_visible()
    page.get_by_role("link", name="Daftar periksa untuk dicetak").click()
    assert "Daftar periksa" in page.locator("h1").inner_text()
    assert page.locator(".checklist li").count() >= 3


def test_the_same_in_english(page, live_catalogue):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Find a service").first.click()
    page.get_by_label("Keywords").fill("lost id card")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Replacement KTP-el (lost or damaged)").first.click()
    assert page.get_by_text("Free").first.is_visible()
    page.get_by_role("link", name="Printable checklist").click()
    assert "Checklist" in page.locator("h1").inner_text()
