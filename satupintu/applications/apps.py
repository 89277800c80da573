from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "satupintu.applications"
    label = "applications"
    verbose_name = "Permohonan"

    def ready(self) -> None:
        from satupintu.applications.integration import register_with_documents

        register_with_documents()
        from satupintu.applications.data_saya import register

        register()
