from django.utils import timezone

from satupintu.complaints.models import Complaint

TEXT = "Antrean tidak dipanggil selama dua jam padahal nomor saya sudah lewat."


def _form(**kw):
    from satupintu.catalogue.models import Agency

    data = {"agency": Agency.objects.get(slug="DISDUKCAPIL").pk, "category": "queue",
            "service_date": timezone.localdate().isoformat(), "description": TEXT}
    data.update(kw)
    return data


def test_anonymous_complaint_on_the_web_and_tracking(client, catalogue):
    r = client.post("/pengaduan/baru/kota-tangerang/", _form())
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert c.anonymous and c.complainant is None and c.channel == "web"
    assert r["Location"].endswith(f"/pengaduan/{c.tracking_code}/")
    page = client.get(r["Location"]).content.decode()
    assert c.tracking_code in page and "Diterima" in page
    r = client.get("/pengaduan/lacak/", {"kode": c.tracking_code.lower()})
    assert r.status_code == 302
    r = client.get("/pengaduan/lacak/", {"kode": "ADU-NOPE"})
    assert "tidak ditemukan" in r.content.decode()


def test_form_errors_are_listed_and_nothing_saved(client, catalogue):
    r = client.post("/pengaduan/baru/kota-tangerang/", _form(description="pendek", service_date="2020-01-01"))
    html = r.content.decode()
    assert r.status_code == 200 and "error-summary" in html
    assert "Ada yang perlu diperbaiki" in html
    assert not Complaint.objects.exists()
    assert client.get("/pengaduan/baru/tidak-ada/").status_code == 404


def test_signed_in_citizen_files_with_identity(client, catalogue, complaint_people):
    client.force_login(complaint_people.citizen)
    client.post("/pengaduan/baru/kota-tangerang/", _form(confidential="on"))
    c = Complaint.objects.get()
    assert c.complainant == complaint_people.person and c.confidential and not c.anonymous


def test_officer_inbox_answer_and_citizen_rating(client, catalogue, complaint_people):
    client.post("/pengaduan/baru/kota-tangerang/", _form(), follow=True)
    c = Complaint.objects.get()
    client.force_login(complaint_people.polres_officer)
    assert c.tracking_code not in client.get("/petugas/pengaduan/").content.decode()
    assert client.get(f"/petugas/pengaduan/{c.code}/").status_code == 404
    client.force_login(complaint_people.disdukcapil_officer)
    assert c.tracking_code in client.get("/petugas/pengaduan/").content.decode()
    detail = client.get(f"/petugas/pengaduan/{c.code}/").content.decode()
    assert "Anonim" in detail
    r = client.post(f"/petugas/pengaduan/{c.code}/", {"action": "answer",
                                                      "answer": "Mohon maaf, sistem antrean sempat terganggu; "
                                                                "sudah diperbaiki."})
    assert r.status_code == 302
    client.logout()
    r = client.post(f"/pengaduan/{c.tracking_code}/nilai/", {"rating": "5", "comment": "Terima kasih"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "closed" and c.rating == 5


def test_api_file_track_rate_and_idempotency(client, catalogue, complaint_people):
    body = {"mall": "kota-tangerang", "service": "SKCK", "category": "slow", "description": TEXT,
            "service_date": timezone.localdate().isoformat()}
    r1 = client.post("/api/v1/complaints", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    r2 = client.post("/api/v1/complaints", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r1.status_code == 201 and r2.status_code == 201
    assert r1.json()["tracking_code"] == r2.json()["tracking_code"]
    assert Complaint.objects.count() == 1
    assert r1.json()["agency"] == "POLRES_METRO_TNG_KOTA"
    r3 = client.post("/api/v1/complaints", {**body, "description": TEXT + " lagi"}, content_type="application/json",
                     HTTP_IDEMPOTENCY_KEY="k-1")
    assert r3.status_code == 422 and r3.json()["error"]["code"] == "idempotency_key_reused"
    bad = client.post("/api/v1/complaints", {**body, "mall": "nope"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "mall"
    late = client.post("/api/v1/complaints", {**body, "service_date": "2020-01-01"}, content_type="application/json")
    assert late.status_code == 400 and late.json()["error"]["code"] == "too_late"
    code = r1.json()["tracking_code"]
    assert client.get(f"/api/v1/complaints/track/{code}").json()["status"] == "received"
    r = client.post(f"/api/v1/complaints/track/{code}/rating", {"rating": 5}, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "cannot_rate_now"
    assert Complaint.objects.count() == 1
