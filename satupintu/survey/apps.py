from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "satupintu.survey"
    label = "survey"
    verbose_name = "Survei kepuasan"
