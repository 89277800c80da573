from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "satupintu.catalogue"
    label = "catalogue"
    verbose_name = "Katalog layanan"

    def ready(self) -> None:
        # connects the signals that keep the finder's in-process index fresh
        from satupintu.catalogue import finder  # noqa: F401
