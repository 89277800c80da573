"""SKM report files: the XLSX carries every respondent and the same figures as the
calculation; the PDF is a real PDF with the index and grade in its text."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from satupintu.catalogue.models import Service
from satupintu.survey.models import SurveyResponse


@pytest.fixture
def responses(catalogue):
    ktp = Service.objects.select_related("agency").get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")
    base = {"mall": catalogue, "agency": ktp.agency, "service": ktp, "related_type": "ticket"}
    SurveyResponse.objects.create(**base, related_code="1", sex="P", **{f"u{i}": 4 for i in range(1, 10)})
    SurveyResponse.objects.create(**base, related_code="2", sex="L", **{f"u{i}": 3 for i in range(1, 10)})
    SurveyResponse.objects.create(**base, related_code="3", **{f"u{i}": 3 for i in range(1, 10)} | {"u4": None})
    return ktp


def test_xlsx_report(tmp_path, responses):
    out = tmp_path / "skm.xlsx"
    call_command("ikm_report", "--mall", "kota-tangerang", "--service", "KTPEL_HILANG_RUSAK", "--format", "xlsx",
                 "--output", str(out))
    wb = load_workbook(out)
    ws = wb["Pengolahan"]
    cells = {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row and row[0] is not None}
    assert [cells[i][:9] for i in (1, 2, 3)] == [(4,) * 9, (3,) * 9, (3, 3, 3, None, 3, 3, 3, 3, 3)]
    assert cells["Σ nilai per unsur"][:9] == (10, 10, 10, 7, 10, 10, 10, 10, 10)
    assert cells["NRR per unsur"][3] == 3.5
    # (8 × 10/3 + 3.5) / 9 × 25 = 83.796… → 83.80, B
    assert cells["IKM konversi (× 25)"][0] == 83.8
    assert cells["Mutu pelayanan"][0] == "B"
    profile = {row[0]: row[1] for row in wb["Profil responden"].iter_rows(values_only=True) if row and row[0]}
    assert profile["perempuan"] == 1 and profile["laki-laki"] == 1


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_report(tmp_path, responses):
    out = tmp_path / "skm.pdf"
    call_command("ikm_report", "--mall", "kota-tangerang", "--agency", "DISDUKCAPIL", "--format", "pdf",
                 "--weight", "0.11", "--output", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Survei Kepuasan Masyarakat" in text and "Dinas Kependudukan" in text
    assert "82,96" in text and "Bobot per unsur: 0.11" in text  # 25 × 0.11 × (8 × 10/3 + 3.5)


def test_report_without_data_or_with_bad_arguments(tmp_path, catalogue):
    with pytest.raises(CommandError, match="no respondents"):
        call_command("ikm_report", "--mall", "kota-tangerang", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="unknown mall"):
        call_command("ikm_report", "--mall", "atlantis", "--output", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("ikm_report", "--mall", "kota-tangerang", "--from", "1/2/2026", "--output",
                     str(tmp_path / "x.xlsx"))


def test_back_office_report_download(admin_client, responses, catalogue):
    url = "/backoffice/survey/surveyresponse/laporan/"
    assert admin_client.get(url).status_code == 200
    r = admin_client.get(url, {"mall": catalogue.pk, "service": responses.pk, "format": "xlsx"})
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    assert r.content[:2] == b"PK"
    empty = admin_client.get(url, {"mall": catalogue.pk, "date_from": "2001-01-01", "date_to": "2001-12-31",
                                   "format": "pdf"})
    assert empty.status_code == 200 and "errornote" in empty.content.decode()
    assert admin_client.get("/backoffice/survey/surveyresponse/").status_code == 200
