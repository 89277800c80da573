from django.urls import path

from satupintu.reporting import views

app_name = "reporting"
urlpatterns = [
    path("konsol/", views.console, name="console"),
]
