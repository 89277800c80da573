"""Back office: survey responses (read-only: answers are the citizens' own) and the import
of typed paper questionnaires, the same as `manage.py ikm`."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.core.errors import DomainError
from satupintu.survey.ikm import WEIGHTS
from satupintu.survey.models import SurveyResponse
from satupintu.survey.services import PaperInvalid, survey_paper_import

MAX_UPLOAD = 5 * 1024 * 1024


class PaperImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas CSV (kolom U1…U9)"))
    mall = forms.ModelChoiceField(Mall.objects.all(), label=_("Mal"), required=False,
                                  help_text=_("Kosongkan untuk menghitung saja tanpa menyimpan."))
    agency = forms.ModelChoiceField(Agency.objects.all(), label=_("Instansi"), required=False)
    service = forms.ModelChoiceField(Service.objects.filter(is_active=True).select_related("mall"),
                                     label=_("Layanan"), required=False)
    weight = forms.ChoiceField(label=_("Bobot"), required=False,
                               choices=[("", _("bawaan mal (atau 1/9)"))] + [(k, k) for k in WEIGHTS])
    population = forms.IntegerField(label=_("Jumlah warga dilayani pada periode itu"), required=False, min_value=0)
    skip_invalid = forms.BooleanField(label=_("Lewati baris yang salah"), required=False)


class ReportForm(forms.Form):
    mall = forms.ModelChoiceField(Mall.objects.all(), label=_("Mal"))
    agency = forms.ModelChoiceField(Agency.objects.all(), label=_("Instansi"), required=False)
    service = forms.ModelChoiceField(Service.objects.filter(is_active=True).select_related("mall"),
                                     label=_("Layanan"), required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    weight = forms.ChoiceField(label=_("Bobot"), required=False,
                               choices=[("", _("bawaan mal (atau 1/9)"))] + [(k, k) for k in WEIGHTS])
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("pdf", "PDF")])


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("created_at", "mall", "agency", "service", "channel", "related_type", "related_code")
    list_filter = ("channel", "mall", "agency")
    search_fields = ("related_code",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SurveyResponse._meta.fields]
    change_list_template = "admin/survey/surveyresponse/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [path("impor-kertas/", self.admin_site.admin_view(self.paper_import), name="survey_paper_import"),
                path("laporan/", self.admin_site.admin_view(self.report), name="survey_report"),
                *super().get_urls()]

    def report(self, request):
        """SKM report (XLSX/PDF) of a mall, agency or service over a period."""
        from datetime import datetime, time, timedelta
        from zoneinfo import ZoneInfo

        from django.http import HttpResponse

        from satupintu.survey.ikm import IkmError
        from satupintu.survey.report import build_report, report_pdf, report_xlsx
        from satupintu.survey.selectors import survey_responses

        form = ReportForm(request.GET or None)
        if request.GET and form.is_valid():
            d = form.cleaned_data
            mall, agency, service = d["mall"], d["agency"], d["service"]
            zone = ZoneInfo(mall.timezone)
            start = datetime.combine(d["date_from"], time.min, zone) if d["date_from"] else None
            end = datetime.combine(d["date_to"] + timedelta(days=1), time.min, zone) if d["date_to"] else None
            rows = survey_responses(mall=mall, agency=agency, service=service, start=start, end=end)
            unit = service.name if service else (agency.name if agency else mall.name)
            try:
                rep = build_report(responses=rows.order_by("created_at"), weight=d["weight"] or mall.ikm_weight,
                                   title="Survei Kepuasan Masyarakat", unit=unit, period_from=d["date_from"],
                                   period_to=d["date_to"])
            except IkmError as exc:
                form.add_error(None, str(exc))
            else:
                if d["format"] == "pdf":
                    response = HttpResponse(report_pdf(rep), content_type="application/pdf")
                else:
                    response = HttpResponse(
                        report_xlsx(rep),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                response["Content-Disposition"] = f'attachment; filename="skm-{mall.slug}.{d["format"]}"'
                return response
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Laporan survei kepuasan")}
        return TemplateResponse(request, "admin/survey/report.html", context)

    def paper_import(self, request):
        if not request.user.has_perm("survey.add_surveyresponse") and not request.user.is_superuser:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = PaperImportForm(request.POST or None, request.FILES or None)
        result = problems = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", _("Berkas terlalu besar (maksimal 5 MB)."))
            else:
                data = form.cleaned_data
                try:
                    result = survey_paper_import(
                        raw=upload.read(), weight=data["weight"] or None, skip_invalid=data["skip_invalid"],
                        population=data["population"], mall=data["mall"], agency=data["agency"],
                        service=data["service"], actor=request.user)
                    messages.success(request, _("IKM %(ikm)s, mutu %(mutu)s.") % result)
                except PaperInvalid as exc:
                    problems = exc.problems
                    messages.error(request, exc.message)
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "title": _("Impor kuesioner kertas"), "result": result, "problems": problems,
                   "result_json": json.dumps(result, ensure_ascii=False, indent=1) if result else ""}
        return TemplateResponse(request, "admin/survey/paper_import.html", context)
