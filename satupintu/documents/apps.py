from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    label = "documents"
    verbose_name = "Dokumen"

    def ready(self) -> None:
        from satupintu.documents.data_saya import register

        register()
