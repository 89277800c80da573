from django.urls import path

from satupintu.survey import views

app_name = "survey"
urlpatterns = [
    path("survei/<str:token>/", views.survey_form, name="form"),
    path("survei/<str:token>/terima-kasih/", views.survey_thanks, name="thanks"),
    path("s/<str:key>/", views.survey_short, name="short"),
]
