from django.urls import path

from satupintu.reporting import views

app_name = "reporting"
urlpatterns = [
    path("konsol/", views.console, name="console"),
    path("transparansi/mal/<slug:mall>/layanan/<str:code>/", views.transparency_service, name="service"),
    path("transparansi/instansi/<str:agency>/", views.transparency_agency, name="agency"),
]
