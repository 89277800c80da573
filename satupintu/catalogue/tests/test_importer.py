from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from satupintu.catalogue.importer import CatalogueInvalid, import_catalogue
from satupintu.catalogue.models import Agency, Mall, Service

REFERENCE = settings.REFERENCE_DATA_DIR / "catalogue" / "mpp-kota-tangerang.yaml"


def _codes_in_file() -> set[str]:
    data = yaml.safe_load(REFERENCE.read_text())
    return {s["kode"] for a in data["agencies"] for s in a.get("services", [])}


def test_every_service_code_is_kept_as_is(catalogue):
    codes = set(Service.objects.filter(mall=catalogue).values_list("public_code", flat=True))
    assert codes == _codes_in_file()
    assert len(codes) == 35


def test_second_run_changes_nothing_and_says_so(catalogue):
    before = {s.public_code: s.updated_at for s in Service.objects.filter(mall=catalogue)}
    report = import_catalogue(REFERENCE)
    assert not report.changed
    assert "Tidak ada perubahan" in report.lines()[-1]
    after = {s.public_code: s.updated_at for s in Service.objects.filter(mall=catalogue)}
    assert before == after


def test_structured_components_are_imported_faithfully(catalogue):
    ktp = Service.objects.get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")
    variants = {g["variant"]: g["items"] for g in ktp.requirements}
    assert set(variants) == {"hilang", "rusak"}
    assert "Surat keterangan kehilangan dari Kepolisian" in variants["hilang"]
    assert ktp.duration_unit == "working_days" and int(ktp.duration_value) == 14
    assert ktp.is_free and ktp.online and ktp.at_counter
    assert ktp.facts["persyaratan"]["provenance"] == "sourced_other"
    sim = Service.objects.get(mall=catalogue, public_code="SIM_PERPANJANGAN")
    assert not sim.is_free
    assert {"label": "SIM_A", "amount": 80000} in [{k: f[k] for k in ("label", "amount")} for f in sim.fees]
    pbg = Service.objects.get(mall=catalogue, public_code="PBG")
    assert "kota_tangerang" in {g["variant"] for g in pbg.requirements}
    assert pbg.source["kode"] == "PBG"  # the raw record is kept for the record
    baru = Service.objects.get(mall=catalogue, public_code="KTPEL_BARU")
    assert not baru.online and baru.at_counter


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_edited_file_updates_in_place_and_reports_what_changed(catalogue, tmp_path):
    data = yaml.safe_load(REFERENCE.read_text())
    service = data["agencies"][0]["services"][1]
    assert service["kode"] == "KTPEL_HILANG_RUSAK"
    service["jangka_waktu"]["value"] = 3
    removed = data["agencies"][0]["services"].pop()  # KIA leaves the file
    original = Service.objects.get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")
    report = import_catalogue(_write(tmp_path, data))
    updated = Service.objects.get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK")
    assert updated.pk == original.pk and updated.code == original.code
    assert int(updated.duration_value) == 3
    assert any("KTPEL_HILANG_RUSAK" in line and "duration_value" in line for line in report.updated)
    gone = Service.objects.get(mall=catalogue, public_code=removed["kode"])
    assert gone.is_active is False  # deactivated, never deleted: links keep working
    assert any(removed["kode"] in line for line in report.deactivated)


@pytest.mark.parametrize(
    "mutate, field_fragment",
    [
        (lambda d: d["agencies"][0]["services"][0]["jangka_waktu"].__setitem__("unit", "minggu"),
         "jangka_waktu.unit"),
        (lambda d: d["agencies"][1]["services"][0].pop("nama"), "services[0].nama"),
        (lambda d: d["agencies"][0]["services"][2]["kanal"].__setitem__("value", ["pos"]), "kanal.value"),
        (lambda d: d["agencies"][0]["services"][3].__setitem__("kode", "KTPEL_BARU"), "kode"),
        (lambda d: d["agencies"][0]["services"][0]["biaya"].__setitem__("value", -5), "biaya.value"),
        (lambda d: d["agencies"][0]["services"][0]["persyaratan"].__setitem__("provenance", "rumor"),
         "persyaratan.provenance"),
    ],
)
def test_malformed_file_is_rejected_with_line_and_field_and_changes_nothing(catalogue, tmp_path, mutate,
                                                                           field_fragment):
    data = yaml.safe_load(REFERENCE.read_text())
    data["agencies"][0]["services"][1]["nama"] = "Nama yang tidak boleh tersimpan"
    mutate(data)
    before = Service.objects.get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK").name
    with pytest.raises(CatalogueInvalid) as info:
        import_catalogue(_write(tmp_path, data))
    problems = info.value.problems
    assert any(field_fragment in p.field and p.line for p in problems), [str(p) for p in problems]
    assert Service.objects.get(mall=catalogue, public_code="KTPEL_HILANG_RUSAK").name == before


def test_yaml_syntax_error_names_the_line(catalogue, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("mpp:\n  nama: [unclosed\nagencies: []\n")
    with pytest.raises(CommandError) as info:
        call_command("import_catalogue", str(path))
    assert "baris" in str(info.value) and "nothing changed" in str(info.value)


def test_agency_code_of_another_region_is_refused(catalogue, tmp_path):
    data = yaml.safe_load((settings.BASE_DIR / "data/demo/mpp-kota-serang.yaml").read_text())
    data["mpp"]["kode"] = "kota-serang-2"
    data["agencies"][0]["kode"] = "DISDUKCAPIL"  # Kota Tangerang's OPD
    with pytest.raises(CatalogueInvalid):
        import_catalogue(_write(tmp_path, data))
    assert not Mall.objects.filter(slug="kota-serang-2").exists()
    assert Agency.objects.get(slug="DISDUKCAPIL").region.code == "36.71"


def test_second_mall_shares_codes_without_clashing(catalogue):
    serang = Mall.objects.get(slug="kota-serang")
    assert Service.objects.filter(public_code="KTPEL_HILANG_RUSAK").count() == 2
    assert Service.objects.filter(mall=serang).count() >= 4
