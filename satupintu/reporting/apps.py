from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "satupintu.reporting"
    label = "reporting"
    verbose_name = "Laporan"
