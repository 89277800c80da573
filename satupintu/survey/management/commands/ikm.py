"""IKM of paper questionnaires: `manage.py ikm FILE.csv [--weight exact|0.111|0.11] [--skip-invalid]`.

Reads one row per respondent with columns U1…U9 (answers 1–4, blank = not answered),
checks every row and prints JSON: n, nrr per unsur, ikm (two decimals, as a string), mutu.
On any bad value it lists each one with line and column and stops without importing
anything, unless --skip-invalid (then bad rows are left out and listed under "skipped").
With --mall (and --agency, optionally --service) the rows are also stored as survey
responses of the paper channel, all in one transaction; a file imported once is refused
the second time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.survey.ikm import WEIGHTS, IkmError, ikm_compute
from satupintu.survey.models import SurveyResponse
from satupintu.survey.paper import read_sheet
from satupintu.survey.sample import sample_check


class Command(BaseCommand):
    help = "Hitung IKM dari kuesioner kertas (CSV U1..U9) / compute the IKM of paper questionnaires"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--weight", choices=sorted(WEIGHTS), default=None,
                            help="bobot per unsur: exact (1/9, bawaan), 0.111 atau 0.11 (lama)")
        parser.add_argument("--skip-invalid", action="store_true", help="lewati baris yang salah, hitung sisanya")
        parser.add_argument("--population", type=int, default=None,
                            help="jumlah warga yang dilayani pada periode itu (cek sampel Krejcie–Morgan)")
        parser.add_argument("--mall", help="simpan jawaban untuk mal ini (slug)")
        parser.add_argument("--agency", help="instansi (kode) — wajib bersama --mall")
        parser.add_argument("--service", help="kode layanan (tidak wajib)")

    def handle(self, *args, **opts):
        path: Path = opts["file"]
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: berkas tidak ditemukan / file not found") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: bukan teks UTF-8 / not UTF-8 text") from exc
        target = self._target(opts)
        weight = opts["weight"] or (target[0].ikm_weight if target else "exact")
        sheet = read_sheet(text)
        if sheet.problems and (sheet.fatal or not opts["skip_invalid"]):
            for problem in sheet.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(f"{len(sheet.problems)} kesalahan; tidak ada yang diimpor / "
                               f"{len(sheet.problems)} error(s); nothing imported")
        try:
            result = ikm_compute((answers for _, answers in sheet.rows), weight=weight)
        except IkmError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        out = result.as_json()
        out["skipped"] = [p.as_json() for p in sheet.problems]
        if opts["population"] is not None:
            if opts["population"] < 0:
                raise CommandError("--population tidak boleh negatif / must not be negative")
            check = sample_check(population=opts["population"], respondents=result.n)
            out["sample"] = check.as_json()
            if check.short:
                self.stderr.write(check.warning)
        if target:
            out["imported"] = self._import(raw, sheet.rows, *target)
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    def _target(self, opts):
        if not opts["mall"]:
            if opts["agency"] or opts["service"]:
                raise CommandError("--agency/--service hanya bersama --mall / only together with --mall")
            return None
        mall = Mall.objects.filter(slug=opts["mall"]).first()
        if mall is None:
            raise CommandError(f"mal {opts['mall']!r} tidak ditemukan / unknown mall")
        agency = Agency.objects.filter(slug=opts["agency"] or "", tenancies__mall=mall).first()
        if agency is None:
            raise CommandError("--agency wajib dan harus instansi di mal itu / --agency must be a tenant of the mall")
        service = None
        if opts["service"]:
            service = Service.objects.filter(mall=mall, agency=agency, public_code=opts["service"]).first()
            if service is None:
                raise CommandError(f"layanan {opts['service']!r} tidak ada di instansi itu / unknown service")
        return mall, agency, service

    @transaction.atomic
    def _import(self, raw: bytes, rows, mall, agency, service) -> int:
        digest = hashlib.sha256(raw).hexdigest()[:16]
        codes = [f"{digest}:{line}" for line, _ in rows]
        if SurveyResponse.objects.filter(related_type="paper", related_code__in=codes).exists():
            raise CommandError("berkas ini sudah pernah diimpor; tidak ada yang diimpor / this file was imported "
                               "before; nothing imported")
        SurveyResponse.objects.bulk_create([
            SurveyResponse(mall=mall, agency=agency, service=service, related_type="paper", related_code=code,
                           channel=SurveyResponse.Channel.PAPER,
                           **{f"u{i}": answers[f"U{i}"] for i in range(1, 10)})
            for code, (_, answers) in zip(codes, rows, strict=True)
        ])
        return len(rows)
