"""SKM report (XLSX or PDF) of the stored responses of a mall, agency or service over a period:
`manage.py ikm_report --mall kota-tangerang [--agency X] [--service Y] [--from 2026-01-01]
[--to 2026-06-30] [--weight exact|0.111|0.11] --format xlsx|pdf --output FILE`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.survey.ikm import WEIGHTS, IkmError
from satupintu.survey.report import build_report, report_pdf, report_xlsx
from satupintu.survey.selectors import survey_responses


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"tanggal {value!r} harus YYYY-MM-DD / date must be YYYY-MM-DD") from exc


class Command(BaseCommand):
    help = "Laporan SKM (XLSX/PDF) / satisfaction survey report"

    def add_arguments(self, parser):
        parser.add_argument("--mall", required=True)
        parser.add_argument("--agency")
        parser.add_argument("--service")
        parser.add_argument("--from", dest="date_from")
        parser.add_argument("--to", dest="date_to")
        parser.add_argument("--weight", choices=sorted(WEIGHTS))
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args, **opts):
        mall = Mall.objects.filter(slug=opts["mall"]).first()
        if mall is None:
            raise CommandError(f"mal {opts['mall']!r} tidak ditemukan / unknown mall")
        agency = service = None
        if opts["agency"]:
            agency = Agency.objects.filter(slug=opts["agency"], tenancies__mall=mall).first()
            if agency is None:
                raise CommandError("instansi tidak ada di mal itu / agency is not a tenant of the mall")
        if opts["service"]:
            service = Service.objects.filter(mall=mall, public_code=opts["service"]).select_related("agency").first()
            if service is None:
                raise CommandError("layanan tidak ditemukan / unknown service")
        d_from = _date(opts["date_from"]) if opts["date_from"] else None
        d_to = _date(opts["date_to"]) if opts["date_to"] else None
        zone = ZoneInfo(mall.timezone)
        start = datetime.combine(d_from, time.min, zone) if d_from else None
        end = datetime.combine(d_to + timedelta(days=1), time.min, zone) if d_to else None
        responses = survey_responses(mall=mall, agency=agency, service=service, start=start, end=end)
        unit = service.name if service else (agency.name if agency else mall.name)
        try:
            report = build_report(responses=responses.order_by("created_at"), weight=opts["weight"] or mall.ikm_weight,
                                  title="Survei Kepuasan Masyarakat", unit=unit, period_from=d_from, period_to=d_to)
        except IkmError as exc:
            raise CommandError(str(exc)) from exc
        data = report_xlsx(report) if opts["format"] == "xlsx" else report_pdf(report)
        opts["output"].write_bytes(data)
        self.stdout.write(f"{opts['output']}: IKM {report.result.ikm} ({report.result.grade.mutu}), "
                          f"n={report.result.n}")
