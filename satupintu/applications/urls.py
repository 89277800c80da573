from django.urls import path

from satupintu.applications import views

app_name = "applications"
urlpatterns = [
    path("mal/<slug:mall>/layanan/<str:code>/ajukan/", views.start, name="start"),
    path("mal/<slug:mall>/paket/<slug:bundle>/ajukan/", views.start, name="start_bundle"),
    path("permohonan/", views.my_applications, name="mine"),
    path("permohonan/draf/<str:code>/", views.resume, name="resume"),
    path("permohonan/draf/<str:code>/isi/<str:name>/", views.field, name="field"),
    path("permohonan/draf/<str:code>/dokumen/<str:kind>/", views.document, name="document"),
    path("permohonan/draf/<str:code>/periksa/", views.check, name="check"),
    path("permohonan/pengajuan/<str:code>/", views.submission, name="submission"),
    path("permohonan/pengajuan/<str:code>/tanda-terima.pdf", views.receipt, name="receipt"),
    path("permohonan/<str:code>/", views.application_detail, name="detail"),
    path("petugas/permohonan/", views.officer_inbox, name="officer_inbox"),
    path("petugas/permohonan/<str:code>/", views.officer_detail, name="officer_detail"),
    path("petugas/permohonan/<str:code>/aksi/", views.officer_action, name="officer_action"),
]
