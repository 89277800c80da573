from django.utils import timezone

from satupintu.catalogue.models import Service
from satupintu.complaints.services import complaint_answer, complaint_file


def test_service_and_agency_pages_show_only_aggregates(client, catalogue, complaint_people):
    service = Service.objects.get(mall=catalogue, public_code="SKCK")
    c = complaint_file(mall=catalogue, service=service, category="slow", complainant=complaint_people.person,
                       description="Antrean SKCK sangat lama tanpa penjelasan dari petugas.",
                       service_date=timezone.localdate())
    complaint_answer(complaint=c, by=complaint_people.polres_officer,
                     answer="Kami menambah petugas pada jam sibuk mulai pekan ini.")
    html = client.get("/transparansi/mal/kota-tangerang/layanan/SKCK/").content.decode()
    assert "100,0%" in html and "(1/1)" in html
    assert "Belum cukup data" in html
    assert complaint_people.person.full_name not in html and c.tracking_code not in html
    html = client.get("/transparansi/instansi/POLRES_METRO_TNG_KOTA/").content.decode()
    assert "Surat Keterangan Catatan Kepolisian" in html or "SKCK" in html
    assert client.get("/transparansi/instansi/NOPE/").status_code == 404
    assert client.get("/transparansi/mal/kota-tangerang/layanan/NOPE/").status_code == 404


def test_public_performance_api(client, catalogue, complaint_people):
    service = Service.objects.get(mall=catalogue, public_code="SKCK")
    c = complaint_file(mall=catalogue, service=service, category="slow", complainant=complaint_people.person,
                       description="Antrean SKCK sangat lama tanpa penjelasan dari petugas.",
                       service_date=timezone.localdate())
    complaint_answer(complaint=c, by=complaint_people.polres_officer,
                     answer="Kami menambah petugas pada jam sibuk mulai pekan ini.")
    body = client.get("/api/v1/performance/services/SKCK", {"mall": "kota-tangerang"}).json()
    assert body["complaints_answered"] == 1 and body["complaints_answered_on_time"] == 1
    assert body["duration"]["enough_data"] is False and body["duration"]["median"] is None
    assert body["duration"]["promised"] == float(service.duration_value)
    rows = client.get("/api/v1/performance/agencies/POLRES_METRO_TNG_KOTA").json()
    assert {r["service"] for r in rows} == {"SKCK", "SIM_PERPANJANGAN"}
    assert client.get("/api/v1/performance/services/NOPE").status_code == 404
    assert "/api/v1/performance/services/{code}" in client.get("/api/v1/openapi.json").json()["paths"]
