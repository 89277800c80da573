from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "satupintu.api"
    label = "api"
    verbose_name = "API"
