from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "satupintu.queue"
    label = "queue"
    verbose_name = "Antrean"

    def ready(self) -> None:
        from satupintu.queue.data_saya import register

        register()
