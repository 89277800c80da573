from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from satupintu.core.calendar import mall_today
from satupintu.core.errors import DomainError, NotFound
from satupintu.core.views import not_found
from satupintu.reporting.metrics import console_sections
from satupintu.reporting.scope import parse_range, scope_for


@login_required
def console(request):
    error = None
    try:
        scope = scope_for(request.user, mall_slug=request.GET.get("mal"))
    except NotFound:
        return not_found(request)
    try:
        scope.date_from, scope.date_to = parse_range(request.GET.get("dari"), request.GET.get("sampai"),
                                                     today=mall_today(scope.mall))
    except DomainError as exc:
        error = exc.message
    sections = console_sections(scope)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(sections, fmt, scope)
    return render(request, "reporting/console.html", {"scope": scope, "sections": sections, "error": error})


def _export(sections, fmt, scope):
    name = f"satupintu-{scope.mall.slug}-{scope.date_from}-{scope.date_to}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for s in sections:
            writer.writerow([s.title])
            for label, value in s.kpis:
                writer.writerow([label, value])
            writer.writerow(s.columns)
            writer.writerows(s.rows)
            writer.writerow([])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for s in sections:
            ws = wb.create_sheet(str(s.title)[:31])
            for label, value in s.kpis:
                ws.append([str(label), value if isinstance(value, (int, float)) else str(value)])
            ws.append([])
            ws.append([str(c) for c in s.columns])
            for row in s.rows:
                ws.append([v if isinstance(v, (int, float)) or v is None else str(v) for v in row])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(buffer.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response



def transparency_service(request, mall, code):
    from satupintu.catalogue.selectors import service_get
    from satupintu.reporting.public import service_figures

    try:
        service = service_get(code, mall=mall)
    except (NotFound, DomainError):
        return not_found(request)
    return render(request, "reporting/transparency_service.html",
                  {"service": service, "f": service_figures(service)})


def transparency_agency(request, agency):
    from satupintu.catalogue.selectors import agency_get, service_list
    from satupintu.reporting.public import service_figures

    try:
        obj = agency_get(agency)
    except NotFound:
        return not_found(request)
    rows = [(s, service_figures(s)) for s in service_list(agency=obj.slug)]
    return render(request, "reporting/transparency_agency.html", {"agency": obj, "rows": rows})
