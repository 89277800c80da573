"""`manage.py ikm` on malformed sheets: every bad value named by line and column, nothing
imported unless --skip-invalid."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from satupintu.survey.models import SurveyResponse

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9"
GOOD = "4,4,3,4,3,4,4,3,4"


def run(tmp_path, text, *args):
    path = tmp_path / "sheet.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    out, err = StringIO(), StringIO()
    try:
        call_command("ikm", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return None, err.getvalue(), str(exc)
    return json.loads(out.getvalue()), err.getvalue(), None


@pytest.mark.parametrize("text, fragments", [
    (f"{HEADER}\n{GOOD}\n4,4,3,5,3,4,4,3,4\n", ["line 3", "column U4", "5"]),
    (f"{HEADER}\n{GOOD}\n4,4,3,4,baik,4,4,3,4\n", ["line 3", "column U5", "'baik'"]),
    (f"{HEADER}\n{GOOD}\n4,4,3,4,3.5,4,4,3,4\n", ["line 3", "column U5", "'3.5'"]),
    (f"{HEADER}\n{GOOD}\n{HEADER}\n{GOOD}\n", ["line 3", "header row is repeated"]),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U10\n" + GOOD + "\n", ["line 1", "column U10", "unknown column", "U9 is missing"]),
    ("U1,U2,U3,U4,U5,U6,U7,U8\n4,4,3,4,3,4,4,3\n", ["line 1", "column U9", "missing"]),
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9,U9\n4,4,3,4,3,4,4,3,4,4\n", ["line 1", "column U9", "appears twice"]),
    ("", ["empty"]),
    ("\ufeff\n\n", ["empty"]),
    (HEADER + "\n", ["no answer rows"]),
    (f"{HEADER}\n{GOOD},4,4\n", ["line 2", "11 cells"]),
    (f"{HEADER}\n,,,,,,,,\n", ["line 2", "no answers"]),
    (f"{HEADER}\n-1,4,3,4,3,4,4,3,4\n", ["line 2", "column U1"]),
    (f"{HEADER}\n0,4,3,4,3,4,4,3,4\n", ["line 2", "column U1", "not 1–4"]),
])
def test_malformed_sheets_are_rejected_with_line_and_column(tmp_path, text, fragments):
    out, err, error = run(tmp_path, text)
    assert out is None and error
    for fragment in fragments:
        assert fragment in err + error, (fragment, err, error)


def test_every_bad_value_is_listed_not_just_the_first(tmp_path):
    text = f"{HEADER}\n5,4,3,4,3,4,4,3,4\n{GOOD}\n4,4,x,4,3,4,4,3,9\n"
    _, err, _ = run(tmp_path, text)
    assert "line 2, kolom/column U1" in err
    assert "line 4, kolom/column U3" in err and "line 4, kolom/column U9" in err


def test_not_utf8_and_missing_file(tmp_path):
    out, err, error = run(tmp_path, b"U1,U2\n\xff\xfe\x00")
    assert out is None and error and "UTF-8" in err
    with pytest.raises(CommandError, match="not found"):
        call_command("ikm", str(tmp_path / "nope.csv"))


def test_skip_invalid_counts_the_good_rows_and_lists_the_rest(tmp_path):
    text = f"{HEADER}\n4,4,4,4,4,4,4,4,4\n4,4,3,5,3,4,4,3,4\n3,3,3,3,3,3,3,3,3\n"
    out, _, error = run(tmp_path, text, "--skip-invalid")
    assert error is None
    assert out["n"] == 2 and out["ikm"] == "87.50" and out["mutu"] == "B"
    assert out["skipped"] == [{"line": 3, "column": "U4", "error": "nilai 5 di luar 1–4 / value 5 is not 1–4"}]


def test_header_problems_stay_fatal_with_skip_invalid(tmp_path):
    _, _, error = run(tmp_path, "U1,U2\n4,4\n", "--skip-invalid")
    assert error


def test_blank_is_not_answered_semicolons_and_bom_are_accepted(tmp_path):
    text = "\ufeffNo;U1;U2;U3;U4;U5;U6;U7;U8;U9\n1;4;4;4;;4;4;4;4;4\n2;2;2;2;2;2;2;2;2;2\n"
    out, _, error = run(tmp_path, text)
    assert error is None
    assert out["answered"]["U4"] == 1 and out["nrr"]["U4"] == "2.0000" and out["nrr"]["U1"] == "3.0000"


def test_population_gives_the_sample_warning(tmp_path):
    out, err, _ = run(tmp_path, f"{HEADER}\n{GOOD}\n", "--population", "120")
    assert out["sample"] == {"population": 120, "required": 92, "respondents": 1, "short": True,
                             "warning": out["sample"]["warning"]}
    assert "92" in err


def test_import_into_a_mall_is_all_or_nothing_and_once(tmp_path, catalogue):
    args = ["--mall", "kota-tangerang", "--agency", "DISDUKCAPIL", "--service", "KTPEL_HILANG_RUSAK"]
    bad = f"{HEADER}\n{GOOD}\n4,4,3,5,3,4,4,3,4\n"
    _, _, error = run(tmp_path, bad, *args)
    assert error and SurveyResponse.objects.count() == 0
    good = f"{HEADER}\n{GOOD}\n3,3,3,3,3,3,3,3,\n"
    out, _, error = run(tmp_path, good, *args)
    assert error is None and out["imported"] == 2
    rows = SurveyResponse.objects.filter(channel="paper", service__public_code="KTPEL_HILANG_RUSAK")
    assert rows.count() == 2 and {r.u9 for r in rows} == {4, None}
    _, _, error = run(tmp_path, good, *args)
    assert "imported before" in error and SurveyResponse.objects.count() == 2


def test_the_malls_weight_is_the_default_when_importing(tmp_path, catalogue):
    catalogue.ikm_weight = "0.11"
    catalogue.save(update_fields=["ikm_weight"])
    out, _, _ = run(tmp_path, f"{HEADER}\n4,4,4,4,4,4,4,4,4\n", "--mall", "kota-tangerang", "--agency", "DISDUKCAPIL")
    assert (out["weight"], out["ikm"]) == ("0.11", "99.00")


def test_unknown_mall_or_agency(tmp_path, catalogue):
    _, _, error = run(tmp_path, f"{HEADER}\n{GOOD}\n", "--mall", "atlantis", "--agency", "DISDUKCAPIL")
    assert "unknown mall" in error
    _, _, error = run(tmp_path, f"{HEADER}\n{GOOD}\n", "--mall", "kota-tangerang", "--agency", "PA_NOWHERE")
    assert "tenant" in error


def test_back_office_import_page(admin_client, catalogue):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/backoffice/survey/surveyresponse/impor-kertas/"
    assert admin_client.get(url).status_code == 200
    agency = catalogue.tenancies.get(agency__slug="DISDUKCAPIL").agency
    bad = SimpleUploadedFile("s.csv", f"{HEADER}\n4,4,3,5,3,4,4,3,4\n".encode())
    r = admin_client.post(url, {"file": bad, "mall": catalogue.pk, "agency": agency.pk})
    assert "line 2, kolom/column U4" in r.content.decode() and SurveyResponse.objects.count() == 0
    good = SimpleUploadedFile("s.csv", f"{HEADER}\n{GOOD}\n".encode())
    r = admin_client.post(url, {"file": good, "mall": catalogue.pk, "agency": agency.pk, "weight": "exact"})
    assert r.status_code == 200 and r.context["result"]["mutu"] == "A" and "91.67" in r.content.decode()
    assert SurveyResponse.objects.filter(channel="paper").count() == 1
