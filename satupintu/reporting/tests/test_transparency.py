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
