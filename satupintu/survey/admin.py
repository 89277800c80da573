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
                *super().get_urls()]

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
