"""Demo application definitions for ten services of four agencies at MPP Kota Tangerang,
and the "Kelahiran" bundle (akta kelahiran + KK update + KIA). Idempotent: a definition
is (re)written as version 1 only when its content changed and no application uses it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from satupintu.applications.models import ApplicationDefinition, Bundle
from satupintu.catalogue.models import Mall, Service

MALL = "kota-tangerang"
PDF_IMG = ["application/pdf", "image/jpeg", "image/png"]


def f(name, type_, label, *, required=True, help="", **extra):  # noqa: A002 - mirrors the JSON key
    return {"name": name, "type": type_, "label": label, "help": help, "required": required, **extra}


def d(kind, label, *, original=False, max_mb=5, required=True):
    accepted = ["image/jpeg", "image/png"] if kind == "pas_foto" else PDF_IMG
    return {"kind": kind, "label": label, "accepted": accepted, "max_mb": 2 if kind == "pas_foto" else max_mb,
            "original_at_counter": original, "required": required}


def steps(verify=1, process=None, approve=1, output_role="front_desk", output=0):
    result = [{"key": "verification", "role": "verifier", "target_days": verify}]
    if process is not None:
        result.append({"key": "processing", "role": "verifier", "target_days": process})
    result += [{"key": "approval", "role": "approver", "target_days": approve},
               {"key": "output", "role": output_role if output_role else "approver", "target_days": output}]
    return result


APPLICANT = [
    f("applicant_name", "text", "Nama lengkap pemohon", prefill="profile.full_name", min_length=2, max_length=200),
    f("applicant_phone", "phone", "Nomor HP yang dapat dihubungi", prefill="profile.phone",
      help="Kami mengabari perkembangan permohonan ke nomor ini."),
]
CHILD = [
    f("child_name", "text", "Nama lengkap anak", min_length=2, max_length=200,
      help="Tulis sesuai surat keterangan lahir."),
    f("child_birth_date", "date", "Tanggal lahir anak", not_future=True),
    f("child_birth_place", "text", "Tempat lahir anak", max_length=120),
    f("child_sex", "choice", "Jenis kelamin anak", choices=[["L", "Laki-laki"], ["P", "Perempuan"]]),
    f("born_in_facility", "yesno", "Apakah anak lahir di rumah sakit, puskesmas atau klinik?"),
    f("facility_name", "text", "Nama rumah sakit, puskesmas atau klinik", show_if={"field": "born_in_facility",
                                                                                    "equals": True}),
]
KK_DOC = d("kk", "Kartu Keluarga (KK)")
SIGNED = ("approver", "document")

DEFINITIONS = {
    "AKTA_KELAHIRAN": {
        "fields": [*APPLICANT, *CHILD, f("kk_number", "nik", "Nomor KK", prefill="registry.kk_number",
                                        help="16 angka, tertera di bagian atas Kartu Keluarga.")],
        "documents": [d("sk_kelahiran", "Surat keterangan lahir dari dokter, bidan atau kelurahan"), KK_DOC,
                      d("akta_perkawinan", "Buku nikah atau akta perkawinan orang tua")],
        "steps": steps(verify=0, approve=0, output_role="approver"),
        "output": {"kind": "document", "title": "Kutipan Akta Kelahiran"},
    },
    "KK_PERUBAHAN": {
        "fields": [*APPLICANT, f("kk_number", "nik", "Nomor KK", prefill="registry.kk_number"),
                   f("change_reason", "choice", "Alasan perubahan KK",
                     choices=[["kelahiran", "Penambahan anggota karena kelahiran"],
                              ["data", "Perubahan data anggota"], ["lainnya", "Lainnya"]]),
                   f("change_other", "text", "Jelaskan perubahannya", show_if={"field": "change_reason",
                                                                              "equals": "lainnya"})],
        "documents": [KK_DOC, d("sk_kelahiran", "Surat keterangan lahir dari dokter, bidan atau kelurahan",
                                required=False)],
        "steps": steps(verify=1, process=2, approve=1, output_role="approver"),
        "output": {"kind": "document", "title": "Kartu Keluarga (perubahan)"},
    },
    "KIA": {
        "fields": [*APPLICANT, *CHILD[:4]],
        "documents": [KK_DOC, d("sk_kelahiran", "Surat keterangan lahir dari dokter, bidan atau kelurahan"),
                      d("pas_foto", "Pas foto anak (usia 5 tahun ke atas)", required=False)],
        "steps": steps(verify=1, process=3, approve=1, output_role="front_desk"),
        "output": {"kind": "physical", "title": "Kartu Identitas Anak (KIA)"},
    },
    "KTPEL_HILANG_RUSAK": {
        "fields": [*APPLICANT, f("nik", "nik", "NIK", prefill="profile.nik"),
                   f("reason", "choice", "Alasan penggantian", choices=[["hilang", "Hilang"], ["rusak", "Rusak"]]),
                   f("police_report_number", "text", "Nomor surat kehilangan dari kepolisian",
                     show_if={"field": "reason", "equals": "hilang"})],
        "documents": [KK_DOC, d("surat_kehilangan", "Surat keterangan kehilangan dari kepolisian", required=False),
                      d("ktp_scan", "Foto KTP-el yang rusak", original=True, required=False)],
        "steps": steps(verify=1, process=10, approve=1),
        "output": {"kind": "physical", "title": "KTP elektronik"},
    },
    "AKTA_KEMATIAN": {
        "fields": [*APPLICANT, f("deceased_name", "text", "Nama almarhum/almarhumah"),
                   f("deceased_nik", "nik", "NIK almarhum/almarhumah"),
                   f("death_date", "date", "Tanggal meninggal", not_future=True),
                   f("relationship", "choice", "Hubungan Anda dengan almarhum/almarhumah",
                     choices=[["anak", "Anak"], ["pasangan", "Suami/istri"], ["orang_tua", "Orang tua"],
                              ["lainnya", "Lainnya"]])],
        "documents": [d("sk_kematian", "Surat keterangan kematian dari dokter atau kelurahan"), KK_DOC],
        "steps": steps(verify=1, approve=1, output_role="approver"),
        "output": {"kind": "document", "title": "Kutipan Akta Kematian"},
    },
    "PINDAH_KELUAR": {
        "fields": [*APPLICANT, f("kk_number", "nik", "Nomor KK", prefill="registry.kk_number"),
                   f("destination", "address", "Alamat tujuan pindah", help="Pilih provinsi, kabupaten/kota, "
                     "kecamatan lalu kelurahan/desa tujuan."),
                   f("members_count", "number", "Jumlah anggota keluarga yang pindah", min=1, max=20)],
        "documents": [KK_DOC],
        "steps": steps(verify=1, approve=0, output_role="approver"),
        "output": {"kind": "document", "title": "Surat Keterangan Pindah (SKPWNI)"},
    },
    "IZIN_REKLAME": {
        "fields": [*APPLICANT, f("company", "text", "Nama usaha atau badan"),
                   f("location", "address", "Lokasi reklame"),
                   f("area_m2", "number", "Luas bidang reklame (m²)", min=1, max=500),
                   f("permanent", "yesno", "Apakah reklame permanen (konstruksi tetap)?")],
        "documents": [d("ktp_scan", "KTP-el penanggung jawab"),
                      d("other", "Desain dan ukuran reklame beserta foto lokasi pemasangan (satu berkas PDF)")],
        "steps": steps(verify=2, process=7, approve=2, output_role="approver"),
        "output": {"kind": "document", "title": "Izin Penyelenggaraan Reklame"},
    },
    "SIP_NAKES": {
        "fields": [*APPLICANT, f("profession", "choice", "Profesi", choices=[["dokter", "Dokter"], ["bidan", "Bidan"],
                                                                               ["perawat", "Perawat"]]),
                   f("str_number", "text", "Nomor STR", help="Surat Tanda Registrasi yang masih berlaku."),
                   f("practice_address", "address", "Alamat tempat praktik")],
        "documents": [d("other", "Surat Tanda Registrasi (STR)"), d("ijazah", "Ijazah profesi"),
                      d("pas_foto", "Pas foto berwarna")],
        "steps": steps(verify=1, process=2, approve=1, output_role="approver"),
        "output": {"kind": "document", "title": "Surat Izin Praktik (SIP)"},
    },
    "AK1": {
        "fields": [*APPLICANT, f("nik", "nik", "NIK", prefill="profile.nik"),
                   f("education", "choice", "Pendidikan terakhir", choices=[["sma", "SMA/SMK"], ["d3", "D3"],
                                                                             ["s1", "S1"], ["lainnya", "Lainnya"]])],
        "documents": [d("ktp_scan", "KTP-el"), d("ijazah", "Ijazah terakhir"), d("pas_foto", "Pas foto berwarna")],
        "steps": steps(verify=0, approve=0, output_role="approver"),
        "output": {"kind": "document", "title": "Kartu Tanda Bukti Pendaftaran Pencari Kerja (AK/1)"},
    },
    "SKCK": {
        "fields": [*APPLICANT, f("nik", "nik", "NIK", prefill="profile.nik"),
                   f("purpose", "text", "Keperluan SKCK", help="Mis. melamar pekerjaan."),
                   f("ever_convicted", "yesno", "Pernah tersangkut perkara pidana?")],
        "documents": [d("ktp_scan", "KTP-el"), KK_DOC, d("pas_foto", "Pas foto 4x6 latar merah", original=True)],
        "steps": steps(verify=0, approve=1, output_role="front_desk"),
        "output": {"kind": "physical", "title": "SKCK"},
    },
}

BUNDLES = [{"slug": "kelahiran", "name": "Kelahiran: akta kelahiran, perubahan KK dan KIA",
            "name_en": "Birth: birth certificate, family card update and child ID card",
            "description": "Satu pengajuan untuk tiga dokumen anak yang baru lahir; "
                           "setiap dokumen hanya diminta sekali.",
            "service_codes": ["AKTA_KELAHIRAN", "KK_PERUBAHAN", "KIA"]}]


@transaction.atomic
def load(stdout):
    mall = Mall.objects.filter(slug=MALL).first()
    if mall is None:
        return []
    written = 0
    for code, schema in DEFINITIONS.items():
        service = Service.objects.filter(mall=mall, public_code=code).first()
        if service is None:
            stdout.write(f"applications: layanan {code} tidak ada di katalog; dilewati")
            continue
        if not service.online:
            service.online = True
            service.save(update_fields=["online"])
        current = ApplicationDefinition.objects.filter(service=service).order_by("-version").first()
        if current is not None and current.schema == schema:
            continue
        if current is None or current.applications.exists():
            ApplicationDefinition.objects.filter(service=service, status="published").update(status="retired")
            ApplicationDefinition.objects.create(service=service, version=(current.version + 1) if current else 1,
                                                 status="published", published_at=timezone.now(), schema=schema)
        else:  # unused version: rewrite in place (demo data only)
            ApplicationDefinition.objects.filter(pk=current.pk).update(schema=schema, status="published")
        written += 1
    for spec in BUNDLES:
        Bundle.objects.update_or_create(mall=mall, slug=spec["slug"], defaults={**spec, "is_active": True})
    stdout.write(f"applications: {len(DEFINITIONS)} definisi ({written} ditulis), {len(BUNDLES)} paket")
    _demo_application(mall, stdout)
    return []


def _demo_application(mall, stdout) -> None:
    """One submitted application for the demo citizen (if the identity demo made one), so
    the officers' inbox has work to show. Only once: skipped when they already have one."""
    from satupintu.applications import services
    from satupintu.applications.models import Submission
    from satupintu.identity.models import Person, User

    person = (Person.objects.select_related("account")
              .filter(account__kind=User.Kind.CITIZEN, account__email__endswith="@demo.satupintu.id")
              .order_by("id").first())
    if person is None or Submission.objects.filter(applicant=person).exists():
        return
    service = Service.objects.get(mall=mall, public_code="KK_PERUBAHAN")
    submission = services.submission_start(mall=mall, applicant=person, by=person.account, services=[service])
    answers = {"applicant_phone": person.account.phone or "081200000000", "change_reason": "data",
               "kk_number": person.kk_number or "3671010101260001"}
    submission = services.submission_save_answers(submission=submission, answers=answers, by=person.account)
    if services.submission_problems(submission):
        stdout.write("applications: demo application left as a draft (vault documents missing)")
        return
    services.submission_submit(submission=submission, by=person.account)
    stdout.write("applications: 1 permohonan demo diajukan")
