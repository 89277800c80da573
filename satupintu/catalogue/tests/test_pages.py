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
    client.get("/mal/kota-tangerang/layanan/SKCK/")  # warm the session/language machinery
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/mal/kota-tangerang/layanan/SKCK/")
    assert r.status_code == 200
    assert len(ctx.captured_queries) <= 3, [q["sql"][:120] for q in ctx.captured_queries]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_pages_are_light(client, catalogue, url):
    """HTML + CSS + JS of each page, compressed, under 60 KB."""
    from django.contrib.staticfiles import finders

    html = client.get(url).content
    total = len(gzip.compress(html))
    for asset in ["satupintu/css/site.css", "satupintu/vendor/htmx-2.0.11.min.js"]:
        with open(finders.find(asset), "rb") as fh:
            total += len(gzip.compress(fh.read()))
    assert total < 60 * 1024, total
