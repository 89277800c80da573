from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from satupintu.api.urls import api
from satupintu.core import views as core_views

admin.site.site_header = _("SatuPintu — Pengelolaan mal")
admin.site.site_title = "SatuPintu"
admin.site.index_title = _("Pengelolaan")

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/bahasa/", core_views.language_switch, name="language_switch"),
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("api/v1/", api.urls),
    path("backoffice/", admin.site.urls),
    # The public catalogue first: its pages are the most requested, and its routes (/, cari/, mal/…,
    # instansi/…) are exact, so they shadow no other app's URL.
    path("", include("satupintu.catalogue.urls")),
    path("", include("satupintu.identity.urls")),
    path("", include("satupintu.applications.urls")),
    path("", include("satupintu.documents.urls")),
    path("", include("satupintu.queue.urls")),
    path("", include("satupintu.complaints.urls")),
    path("", include("satupintu.survey.urls")),
    path("", include("satupintu.reporting.urls")),
]

handler404 = "satupintu.core.views.not_found"
handler500 = "satupintu.core.views.server_error"
