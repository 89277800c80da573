"""The citizen pages, officer pages and the API through HTTP."""

import pytest
from django.urls import reverse

from satupintu.applications.models import Application, Submission
from satupintu.applications.workflow import Status

ANSWERS = {"applicant_phone": "081234500001", "child_name": "Ayu Lestari", "child_birth_date": "2026-11-20",
           "child_birth_place": "Tangerang", "child_sex": "P", "born_in_facility": "tidak",
           "change_reason": "kelahiran"}


@pytest.fixture
def citizen_client(client, app_personas):
    client.force_login(app_personas.citizen)
    return client


def walk_to_check(client, p, vault):
    for kind in ("kk", "sk_kelahiran", "akta_perkawinan"):
        vault.add(p.person, kind)
    response = client.post(reverse("applications:start_bundle", args=[p.mall.slug, "kelahiran"]))
    submission = Submission.objects.get(submitted_by=p.citizen)
    assert set(submission.documents) == {"kk", "sk_kelahiran", "akta_perkawinan"}  # from the vault: never asked again
    url = reverse("applications:resume", args=[submission.code])
    seen = []
    for _ in range(20):
        response = client.get(url)
        if response.status_code == 302:
            url = response["Location"]
            continue
        if "/periksa/" in url:
            break
        name = url.rstrip("/").split("/")[-1]
        seen.append(name)
        response = client.post(url, {name: ANSWERS[name]})
        assert response.status_code == 302, response.content.decode()[:500]
        url = response["Location"]
    # prefilled (name, KK number) and hidden (facility name) questions were skipped
    assert "applicant_name" not in seen and "kk_number" not in seen and "facility_name" not in seen
    return submission, url


def test_citizen_applies_for_the_bundle_and_a_double_tap_makes_one(citizen_client, app_personas, fake_vault):
    p = app_personas
    submission, check_url = walk_to_check(citizen_client, p, fake_vault)
    page = citizen_client.get(check_url).content.decode()
    assert "Ubah" in page and "Ayu Lestari" in page and 'name="idempotency_key"' in page
    token = page.split('name="idempotency_key" value="')[1].split('"')[0]
    first = citizen_client.post(check_url, {"idempotency_key": token})
    second = citizen_client.post(check_url, {"idempotency_key": token})
    assert first.status_code == second.status_code == 302
    assert Application.objects.filter(submission=submission).exclude(reference=None).count() == 3
    confirmation = citizen_client.get(first["Location"]).content.decode()
    for app in submission.applications.all():
        assert app.reference in confirmation
    pdf = citizen_client.get(reverse("applications:receipt", args=[submission.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_field_error_says_what_is_wrong(citizen_client, app_personas, fake_vault):
    p = app_personas
    citizen_client.post(reverse("applications:start", args=[p.mall.slug, "KK_PERUBAHAN"]))
    submission = Submission.objects.get(submitted_by=p.citizen)
    response = citizen_client.post(reverse("applications:field", args=[submission.code, "kk_number"]),
                                   {"kk_number": "12345"})
    assert response.status_code == 400
    assert "16 angka; yang Anda masukkan 5" in response.content.decode()


def test_officer_pages_are_scoped_to_their_agency(client, app_personas, fake_vault):
    p = app_personas
    client.force_login(p.citizen)
    submission, check_url = walk_to_check(client, p, fake_vault)
    client.post(check_url, {"idempotency_key": "t-1"})
    app = submission.applications.get(service__public_code="AKTA_KELAHIRAN")
    client.force_login(p.other_agency_officer)
    assert client.get(reverse("applications:officer_detail", args=[app.code])).status_code == 404
    assert app.reference not in client.get(reverse("applications:officer_inbox")).content.decode()
    assert client.post(reverse("applications:officer_action", args=[app.code]),
                       {"action": "claim"}).status_code == 404
    client.force_login(p.verifier)
    assert app.reference in client.get(reverse("applications:officer_inbox")).content.decode()
    client.post(reverse("applications:officer_action", args=[app.code]), {"action": "claim"})
    client.post(reverse("applications:officer_action", args=[app.code]),
                {"action": "send_back", "reason": "KK buram", "item_kk": "Unggah KK yang terbaca"})
    app.refresh_from_db()
    assert app.status == Status.SENT_BACK
    client.force_login(p.citizen)
    page = client.get(reverse("applications:detail", args=[app.code])).content.decode()
    assert "Unggah KK yang terbaca" in page and "perlu perbaikan" in page


def test_api_draft_submit_status_and_404(client, app_personas, fake_vault):
    p = app_personas
    services_list = client.get("/api/v1/applications/services?mall=kota-tangerang").json()
    assert {"AKTA_KELAHIRAN", "SKCK"} <= {s["code"] for s in services_list}
    client.force_login(p.citizen)
    draft = client.post("/api/v1/applications/drafts", {"mall": "kota-tangerang", "services": ["KIA"]},
                        content_type="application/json")
    assert draft.status_code == 201, draft.content
    code = draft.json()["code"]
    bad = client.patch(f"/api/v1/applications/drafts/{code}", {"answers": {"child_birth_date": "kemarin"}},
                       content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["field"] == "child_birth_date"
    ok = client.patch(f"/api/v1/applications/drafts/{code}", {"answers": {k: v for k, v in ANSWERS.items()
                                                                   if k not in ("change_reason", "born_in_facility")}},
                      content_type="application/json")
    assert ok.status_code == 200, ok.content
    for doc in ok.json()["required_documents"]:
        if doc["required"]:
            vault_code = fake_vault.add(p.person, doc["kind"])
            r = client.post(f"/api/v1/applications/drafts/{code}/documents", {"kind": doc["kind"],
                            "vault_code": vault_code}, content_type="application/json")
            assert r.status_code == 200, r.content
    first = client.post(f"/api/v1/applications/drafts/{code}/submit", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(f"/api/v1/applications/drafts/{code}/submit", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    part = first.json()["parts"][0]
    assert part["reference"].startswith("MPP-3671-")
    status = client.get(f"/api/v1/applications/{part['code']}").json()
    assert status["status"] == "submitted" and status["held_by"]["role"] and status["timeline"]
    client.force_login(p.other_citizen)
    assert client.get(f"/api/v1/applications/{part['code']}").status_code == 404
    assert client.get(f"/api/v1/applications/drafts/{code}").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/applications/{part['code']}").status_code == 401
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/applications/drafts/{code}/submit" in schema["paths"]


def test_address_region_cascade_without_javascript(citizen_client, app_personas):
    from satupintu.catalogue.models import Region

    p = app_personas
    citizen_client.post(reverse("applications:start", args=[p.mall.slug, "PINDAH_KELUAR"]))
    submission = Submission.objects.get(submitted_by=p.citizen)
    url = reverse("applications:field", args=[submission.code, "destination"])
    page = citizen_client.get(url).content.decode()
    city = p.mall.region
    district = Region.objects.filter(parent=city).order_by("code").first()
    village = Region.objects.filter(parent=district).order_by("code").first()
    assert f'value="{city.code}" selected' in page  # starts at the mall's city
    page = citizen_client.post(url, {"ubah_wilayah": "1", "region_province": city.parent.code,
                                     "region_regency": city.code, "region_district": district.code}).content.decode()
    assert village.name in page  # the next level's options, nothing saved yet
    assert "destination" not in Submission.objects.get(pk=submission.pk).answers
    bad = citizen_client.post(url, {"destination_street": "Jl. Mawar 1", "region_village": district.code})
    assert bad.status_code == 400
    ok = citizen_client.post(url, {"destination_street": "Jl. Mawar 1", "region_province": city.parent.code,
                                   "region_regency": city.code, "region_district": district.code,
                                   "region_village": village.code})
    assert ok.status_code == 302
    assert Submission.objects.get(pk=submission.pk).answers["destination"] == {"street": "Jl. Mawar 1",
                                                                               "village": village.code}


def test_api_upload_goes_into_the_vault_and_a_bad_file_is_refused(client, app_personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.fixtures.applications import _tiny_pdf

    p = app_personas
    client.force_login(p.citizen)
    code = client.post("/api/v1/applications/drafts", {"mall": "kota-tangerang", "services": ["KIA"]},
                       content_type="application/json").json()["code"]
    bad = client.post(f"/api/v1/applications/drafts/{code}/documents/upload",
                      {"kind": "kk", "file": SimpleUploadedFile("kk.pdf", b"MZ\x90\x00" + b"\x00" * 200,
                                                                "application/pdf")})
    assert bad.status_code == 400 and bad.json()["error"]["message"]
    assert "kk" not in client.get(f"/api/v1/applications/drafts/{code}").json()["documents"]
    ok = client.post(f"/api/v1/applications/drafts/{code}/documents/upload",
                     {"kind": "kk", "file": SimpleUploadedFile("kk.pdf", _tiny_pdf("KK"), "application/pdf")})
    assert ok.status_code == 200, ok.content
    attached = ok.json()["documents"]["kk"]
    from satupintu.documents.models import VaultDocument

    assert VaultDocument.objects.get(code=attached).owner == p.person  # uploaded once, into the vault
    # the next application of this citizen finds it there and does not ask again
    again = client.post("/api/v1/applications/drafts", {"mall": "kota-tangerang", "services": ["KK_PERUBAHAN"]},
                        content_type="application/json").json()
    assert again["documents"]["kk"] == attached


def test_service_sheet_offers_to_apply_online_only_with_a_published_definition(client, app_personas):
    page = client.get("/mal/kota-tangerang/layanan/AKTA_KELAHIRAN/").content.decode()
    assert reverse("applications:start", args=["kota-tangerang", "AKTA_KELAHIRAN"]) in page
    other = client.get("/mal/kota-tangerang/layanan/PBG/")
    if other.status_code == 200:
        assert "/ajukan/" not in other.content.decode()
    start = client.get(reverse("applications:start", args=["kota-tangerang", "AKTA_KELAHIRAN"]))
    assert start.status_code == 200 and "Sebelum mulai" in start.content.decode()
