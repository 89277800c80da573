from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "satupintu.documents"
    label = "documents"
    verbose_name = "Dokumen"
