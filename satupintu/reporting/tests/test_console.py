from django.utils import timezone

from satupintu.catalogue.models import Agency, Service
from satupintu.complaints.services import complaint_answer, complaint_file
from satupintu.reporting.charts import Bar, bar_chart_svg
from satupintu.reporting.metrics import percentile

TEXT = "Petugas tidak ada di loket selama jam layanan dan tidak ada pengumuman."


def _complaint(mall, code="SKCK"):
    return complaint_file(mall=mall, service=Service.objects.get(mall=mall, public_code=code), category="slow",
                          description=TEXT, service_date=timezone.localdate())


def test_manager_sees_every_tenant_agency_admin_only_theirs(client, catalogue, complaint_people):
    from tests.fixtures.complaints import make_officer

    _complaint(catalogue, "SKCK")
    _complaint(catalogue, "KTPEL_HILANG_RUSAK")
    client.force_login(complaint_people.manager)
    html = client.get("/konsol/").content.decode()
    assert "Polres Metro Tangerang Kota" in html and "Dinas Kependudukan" in html
    admin = make_officer("admin-polres@example.id", catalogue, Agency.objects.get(slug="POLRES_METRO_TNG_KOTA"),
                         "agency_admin")
    client.force_login(admin)
    html = client.get("/konsol/").content.decode()
    assert "Polres Metro Tangerang Kota" in html and "Dinas Kependudukan" not in html


def test_console_is_404_for_citizens_and_front_desk(client, catalogue, complaint_people):
    client.force_login(complaint_people.citizen)
    assert client.get("/konsol/").status_code == 404
    client.force_login(complaint_people.disdukcapil_officer)  # verifier: no console role
    assert client.get("/konsol/").status_code == 404


def test_bad_range_is_explained_and_exports_work(client, catalogue, complaint_people):
    c = _complaint(catalogue)
    complaint_answer(complaint=c, by=complaint_people.polres_officer, answer="Sudah kami tindak lanjuti, terima kasih.")
    client.force_login(complaint_people.manager)
    r = client.get("/konsol/", {"dari": "2026-13-01"})
    assert r.status_code == 200 and "Tanggal tidak valid" in r.content.decode()
    r = client.get("/konsol/", {"dari": "2020-01-01", "sampai": "2026-01-01"})
    assert "paling panjang satu tahun" in r.content.decode()
    csv_body = client.get("/konsol/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Pengaduan" in csv_body and "Polres Metro Tangerang Kota" in csv_body
    xlsx = client.get("/konsol/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(xlsx.content))
    assert "Pengaduan" in wb.sheetnames


def test_chart_is_decorative_and_numbers_are_in_the_table():
    svg = bar_chart_svg([Bar("A", 3, "3"), Bar("B<script>", 1, "1")])
    assert 'aria-hidden="true"' in svg and "<script>" not in svg
    assert bar_chart_svg([]) == ""


def test_percentile_nearest_rank():
    assert percentile([], 50) is None
    assert percentile([5], 90) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50) == 5
