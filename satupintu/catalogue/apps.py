from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "satupintu.catalogue"
    label = "catalogue"
    verbose_name = "Katalog layanan"

    def ready(self) -> None:
        # The finder's signals keep its in-process index fresh; ours bump the catalogue
        # version the page cache is keyed by (docs/adr/0021).
        from satupintu.catalogue import finder, signals  # noqa: F401

        signals.connect()
