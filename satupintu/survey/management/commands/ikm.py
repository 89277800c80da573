"""IKM of paper questionnaires: `manage.py ikm FILE.csv [--weight exact|0.111|0.11] [--skip-invalid]`.

Reads one row per respondent with columns U1…U9 (answers 1–4, blank = not answered),
checks every row and prints JSON: n, nrr per unsur, ikm (two decimals, as a string), mutu.
On any bad value it lists each one with line and column and stops without importing
anything, unless --skip-invalid (then bad rows are left out and listed under "skipped").
With --mall and --agency (optionally --service) the rows are also stored as survey
responses of the paper channel, all in one transaction; a file imported once is refused
the second time. --population N adds the Krejcie–Morgan sample check.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.core.errors import DomainError
from satupintu.survey.ikm import WEIGHTS
from satupintu.survey.services import PaperInvalid, survey_paper_import


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
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: berkas tidak ditemukan / file not found") from exc
        mall, agency, service = self._target(opts)
        try:
            out = survey_paper_import(raw=raw, weight=opts["weight"], skip_invalid=opts["skip_invalid"],
                                      population=opts["population"], mall=mall, agency=agency, service=service)
        except PaperInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(f"{len(exc.problems)} kesalahan; tidak ada yang diimpor / "
                               f"{len(exc.problems)} error(s); nothing imported") from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        if out.get("sample", {}).get("short"):
            self.stderr.write(out["sample"]["warning"])
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    def _target(self, opts):
        if not opts["mall"]:
            if opts["agency"] or opts["service"]:
                raise CommandError("--agency/--service hanya bersama --mall / only together with --mall")
            return None, None, None
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
