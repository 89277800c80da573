import yaml
from django.conf import settings

from satupintu.catalogue.models import Service


def _all_codes(client, **params):
    codes, offset = [], 0
    while True:
        r = client.get("/api/v1/services", {"limit": 50, "offset": offset, **params})
        assert r.status_code == 200, r.content
        body = r.json()
        codes += [item["code"] for item in body["items"]]
        offset += 50
        if offset >= body["count"]:
            return codes


def test_api_lists_every_service_code_of_the_shared_catalogue(client, catalogue):
    data = yaml.safe_load((settings.REFERENCE_DATA_DIR / "catalogue/mpp-kota-tangerang.yaml").read_text())
    expected = {s["kode"] for a in data["agencies"] for s in a["services"]}
    assert set(_all_codes(client, mall="kota-tangerang")) == expected


def test_filters(client, catalogue):
    online = _all_codes(client, mall="kota-tangerang", channel="online")
    assert "KTPEL_BARU" not in online and "KTPEL_HILANG_RUSAK" in online
    polres = _all_codes(client, agency="POLRES_METRO_TNG_KOTA")
    assert set(polres) == {"SIM_PERPANJANGAN", "SKCK"}


def test_service_detail_and_ambiguity(client, catalogue):
    r = client.get("/api/v1/services/SKCK", {"mall": "kota-tangerang"})
    assert r.status_code == 200
    body = r.json()
    assert body["agency"] == "POLRES_METRO_TNG_KOTA" and body["requirements"] and body["procedure"]
    r = client.get("/api/v1/services/KTPEL_HILANG_RUSAK")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "ambiguous_code"
    assert set(r.json()["error"]["malls"]) == {"kota-tangerang", "kota-serang"}
    assert client.get("/api/v1/services/PBG").json()["mall"] == "kota-tangerang"


def test_errors_have_one_json_shape(client, catalogue):
    r = client.get("/api/v1/services/NOPE_NOT_A_CODE")
    assert r.status_code == 404
    assert set(r.json()["error"]) >= {"code", "message"}
    r = client.get("/api/v1/services", {"channel": "fax"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_request" and err["fields"][0]["field"] == "channel"
    r = client.get("/api/v1/services/search", {"q": "x" * 500})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "q"
    r = client.get("/api/v1/services/search")
    assert r.status_code == 422
    assert client.get("/api/v1/services/SKCK%00").status_code == 404  # a NUL byte never reaches PostgreSQL
    assert client.get("/api/v1/services/SKCK", {"mall": "kota\x00"}).status_code == 404
    r = client.get("/api/v1/services", {"mall": "kota\x00", "agency": "\x00"})
    assert r.status_code in (200, 422) and (r.status_code == 422 or r.json()["count"] == 0)
    assert client.get("/api/v1/services/search", {"q": "ktp", "mall": "\x00"}).status_code in (200, 422)
    r = client.get("/api/v1/services/search", {"q": "ktp\x00hilang"})
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "q"
    r = client.get("/api/v1/malls/tidak-ada")
    assert r.status_code == 404 and "message" in r.json()["error"]


def test_malls_and_agencies(client, catalogue):
    malls = {m["code"]: m for m in client.get("/api/v1/malls").json()}
    assert malls["kota-tangerang"]["service_count"] == Service.objects.filter(mall=catalogue).count()
    assert "kota-serang" in malls
    agencies = client.get("/api/v1/agencies", {"mall": "kota-tangerang"}).json()
    assert len(agencies) == 14


def test_openapi_document(client, catalogue):
    doc = client.get("/api/v1/openapi.json").json()
    for path in ["/api/v1/malls", "/api/v1/malls/{code}", "/api/v1/agencies", "/api/v1/services",
                 "/api/v1/services/{code}", "/api/v1/services/search"]:
        assert path in doc["paths"], path
    assert client.get("/api/v1/docs").status_code == 200
