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


def test_every_checklist_prints_on_one_a4_page(page, live_catalogue):
    """The printable checklist of each service fits one A4 sheet (Chromium's own PDF)."""
    import io

    from pypdf import PdfReader

    from satupintu.catalogue.models import Service

    codes = list(Service.objects.filter(mall__slug="kota-tangerang", is_active=True)
                 .values_list("public_code", flat=True))
    assert len(codes) >= 30
    too_long = []
    for code in codes:
        page.goto(f"/mal/kota-tangerang/layanan/{code}/daftar-periksa/")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages != 1:
            too_long.append((code, pages))
    assert not too_long


def test_keyboard_reaches_the_content_and_the_finder(page, live_catalogue):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_label("Apa yang ingin Anda urus?").focus()
    page.keyboard.type("akta kelahiran")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cari/?q=akta+kelahiran")
    assert page.locator(".card-list .card").count() >= 1


def test_mall_page_shows_hours_in_its_zone(page, live_catalogue):
    page.goto("/mal/kota-tangerang/")
    table = page.get_by_role("table")
    assert "WIB" in table.inner_text() and "Senin" in table.inner_text()
    state = page.locator(".open-state").inner_text()
    assert "Buka sekarang" in state or "Tutup" in state


def test_english_interface_from_home_to_checklist(page, live_catalogue):
    """The interface half of the English walk (service names in English are data: see
    test_the_same_in_english for the finder's English queries)."""
    page.goto("/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("What do you need to do?").fill("ktp hilang")
    page.get_by_role("button", name="Search").click()
    page.locator(".card-list .card a[href*='/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/']").first.click()
    assert page.get_by_role("heading", name="Who can apply").is_visible()
    assert page.get_by_text("Free").first.is_visible()
    page.get_by_role("link", name="Printable checklist").click()
    assert page.locator("h1").inner_text().startswith("Checklist")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text().startswith("Daftar periksa")
