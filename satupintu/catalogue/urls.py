from django.urls import path

from satupintu.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("cari/", views.search, name="search"),
    path("mal/", views.mall_list, name="mall_list"),
    path("mal/<slug:mall>/", views.mall_detail, name="mall_detail"),
    path("mal/<slug:mall>/layanan/<str:code>/", views.service_detail, name="service_detail"),
    path("mal/<slug:mall>/layanan/<str:code>/daftar-periksa/", views.service_checklist, name="service_checklist"),
    path("instansi/<str:agency>/", views.agency_detail, name="agency_detail"),
]
