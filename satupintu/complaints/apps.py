from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "satupintu.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"

    def ready(self) -> None:
        from satupintu.complaints import data_saya, resolvers

        resolvers.register()
        data_saya.register()
