import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PUBLIC_PAGES = [
    "/",
    "/cari/?q=ktp+hilang",
    "/mal/",
    "/mal/kota-tangerang/",
    "/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/",
    "/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/daftar-periksa/",
    "/instansi/DISDUKCAPIL/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_render_without_login(client, catalogue, url):
    r = client.get(url)
    assert r.status_code == 200
    assert "default-src 'self'" in r["Content-Security-Policy"] and "script-src 'self'" in r["Content-Security-Policy"]
    assert "cdn" not in r.content.decode().lower()


@pytest.mark.parametrize("url", ["/mal/tidak-ada/", "/mal/kota-tangerang/layanan/TIDAK_ADA/", "/instansi/NOPE/",
                                 "/mal/kota-serang/layanan/PBG/"])
def test_unknown_codes_answer_404_with_a_page(client, catalogue, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "Halaman tidak ditemukan" in r.content.decode()


def test_search_rejects_an_overlong_query_clearly(client, catalogue):
    r = client.get("/cari/", {"q": "a" * 300})
    assert r.status_code == 200
    assert "terlalu panjang" in r.content.decode()


def test_service_page_shows_the_six_components_and_gratis(client, catalogue):
    html = client.get("/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/").content.decode()
    for anchor in ["persyaratan", "waktu", "biaya", "cara", "produk", "pengaduan"]:
        assert f'id="{anchor}"' in html
    assert "Gratis" in html and "14 hari kerja" in html
    assert "belum dikonfirmasi" in html.lower()


def test_english_is_selectable(client, catalogue):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    html = client.get("/mal/kota-tangerang/layanan/SKCK/").content.decode()
    assert 'lang="en"' in html


def test_uncached_service_page_uses_at_most_three_queries(client, catalogue):
    from django.core.cache import cache

    from satupintu.catalogue.cache import forget_version

    client.get("/mal/kota-tangerang/layanan/SKCK/")  # warm the session/language machinery
    cache.clear()
    forget_version()  # the catalogue version is read again too: a cold process
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/mal/kota-tangerang/layanan/SKCK/")
    assert r.status_code == 200 and r["X-Cache"] == "miss"
    assert len(ctx.captured_queries) <= 3, [q["sql"][:120] for q in ctx.captured_queries]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_pages_are_light(client, catalogue, url):
    """HTML + CSS + JS of each page, compressed, under 60 KB."""
    from django.contrib.staticfiles import finders

    html = client.get(url).content
    total = len(gzip.compress(html))
    assets = ["satupintu/css/site.css", "satupintu/vendor/htmx-2.0.11.min.js"]
    if "daftar-periksa" in url:
        assets.append("catalogue/print.js")
    for asset in assets:
        with open(finders.find(asset), "rb") as fh:
            total += len(gzip.compress(fh.read()))
    assert total < 60 * 1024, total


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_security_headers_on_every_public_page(client, catalogue, url):
    for attempt in ("miss", "hit"):  # the cached copy gets the same headers
        r = client.get(url)
        csp = r["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert r["Referrer-Policy"] == "same-origin"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["X-Frame-Options"] == "DENY"
        assert "geolocation=()" in r["Permissions-Policy"]
        html = r.content.decode()
        assert "<script>" not in html and " style=" not in html and "onclick" not in html, attempt


def test_cached_page_is_served_from_cache_per_language(client, catalogue):
    url = "/mal/kota-tangerang/layanan/SKCK/"
    assert client.get(url)["X-Cache"] == "miss"
    r = client.get(url)
    assert r["X-Cache"] == "hit" and 'lang="id"' in r.content.decode()
    r = client.get(url + "?lang=en")
    assert r["X-Cache"] == "miss" and 'lang="en"' in r.content.decode()
    client.cookies["satupintu_lang"] = "en"
    r = client.get(url)
    assert 'lang="en"' in r.content.decode() and "Printable checklist" in r.content.decode()


def test_signed_in_readers_are_never_served_a_shared_page(client, catalogue, django_user_model):
    url = "/mal/kota-tangerang/layanan/SKCK/"
    client.get(url)
    user = django_user_model.objects.create_user(email="warga@example.com", password="rahasia-123-xyz")
    client.force_login(user)
    r = client.get(url)
    assert "X-Cache" not in r and "Keluar" in r.content.decode()


def test_service_change_invalidates_its_cached_page(client, catalogue):
    from satupintu.catalogue.models import Service

    url = "/mal/kota-tangerang/layanan/SKCK/"
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    service = Service.objects.get(mall=catalogue, public_code="SKCK")
    service.product = "SKCK (diperbarui)"
    service.save()
    r = client.get(url)
    assert r["X-Cache"] == "miss" and "SKCK (diperbarui)" in r.content.decode()


def test_language_switch_sets_cookie_and_only_follows_local_paths(client, catalogue):
    r = client.get("/i18n/bahasa/", {"language": "en", "next": "/mal/?lang=id"})
    assert r.status_code == 302 and r["Location"] == "/mal/"
    assert r.cookies["satupintu_lang"].value == "en"
    r = client.get("/i18n/bahasa/", {"language": "en", "next": "https://evil.example/"})
    assert r["Location"] == "/"
    r = client.get("/i18n/bahasa/", {"language": "xx", "next": "/"})
    assert "satupintu_lang" not in r.cookies


def test_english_pages_are_translated(client, catalogue):
    client.cookies["satupintu_lang"] = "en"
    home = client.get("/").content.decode()
    assert "What do you need to do?" in home and "Find a service" in home and ">Search<" in home
    search = client.get("/cari/?q=ktp+hilang").content.decode()
    assert "Keywords" in search
    service = client.get("/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/").content.decode()
    for text in ["Free", "Printable checklist", "Who can apply", "What to bring", "14 working days", "Complaints"]:
        assert text in service, text
    assert "Checklist" in client.get("/mal/kota-tangerang/layanan/KTPEL_HILANG_RUSAK/daftar-periksa/").content.decode()
    mall = client.get("/mal/kota-tangerang/").content.decode()
    assert "Opening hours" in mall and "Monday" in mall and "WIB" in mall


def test_every_english_string_is_translated():
    """msgfmt counts untranslated and fuzzy entries in the catalogues the UI owns."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for po in [root / "locale", root / "core" / "locale", root / "catalogue" / "locale"]:
        path = po / "en" / "LC_MESSAGES" / "django.po"
        out = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
                             capture_output=True, text=True, check=True).stderr
        assert "untranslated" not in out and "fuzzy" not in out, (path, out)


def test_indonesian_formats_on_pages(client, catalogue):
    html = client.get("/mal/kota-tangerang/layanan/SKCK/").content.decode()
    assert "Rp30.000" in html
    mall = client.get("/mal/kota-tangerang/").content.decode()
    assert "08.00" in mall and "WIB" in mall and "Senin" in mall


def test_search_rejects_unreadable_input_clearly(client, catalogue):
    r = client.get("/cari/", {"q": "ktp\x00hilang"})
    assert r.status_code == 200 and "tidak dapat dibaca" in r.content.decode()
    r = client.get("/cari/", {"q": "a" * 300})
    assert "300 karakter" in r.content.decode() and 'aria-invalid="true"' in r.content.decode()


@pytest.mark.parametrize("url,status", [
    ("/cari/?q=%ff%fe%fd", 200), ("/cari/?q=ktp&mall=%3Cscript%3E", 200), ("/cari/?q=ktp&q=sim", 200),
    ("/cari/?q=ktp&mall=%00", 200),
    ("/mal/kota-tangerang/layanan/%00/", 404), ("/mal/kota-tangerang/layanan/KTPEL%20BARU/", 404),
    ("/instansi/%E2%80%AE/", 404), ("/mal/kota-tangerang/?lang=xx", 200), ("/i18n/bahasa/?next=//evil.example", 302),
])
def test_malformed_input_gets_a_page_not_an_error(client, catalogue, url, status):
    r = client.get(url)
    assert r.status_code == status
    if status == 302:
        assert r["Location"] == "/"
    else:
        assert "<h1>" in r.content.decode() and "<script>" not in r.content.decode().split("</header>")[1]


def test_a_page_with_a_csrf_token_is_never_cached(rf, catalogue):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from satupintu.catalogue.cache import public_page

    @public_page()
    def view(request):
        return HttpResponse(f"<form>{get_token(request)}</form>")

    first = view(rf.get("/form/"))
    assert "X-Cache" not in first
    assert "X-Cache" not in view(rf.get("/form/"))
