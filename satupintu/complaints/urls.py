from django.urls import path

from satupintu.complaints import views

app_name = "complaints"
urlpatterns = [
    path("pengaduan/", views.mall_pick, name="pick"),
    path("pengaduan/lacak/", views.complaint_track, name="track"),
    path("pengaduan/baru/<slug:mall>/", views.complaint_new, name="new"),
    path("pengaduan/<str:tracking>/", views.complaint_status, name="status"),
    path("pengaduan/<str:tracking>/nilai/", views.complaint_rate_view, name="rate"),
    path("petugas/pengaduan/", views.officer_inbox, name="officer_inbox"),
    path("petugas/pengaduan/<uuid:code>/", views.officer_detail, name="officer_detail"),
]
