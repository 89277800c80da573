from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "satupintu.queue"
    label = "queue"
    verbose_name = "Antrean"
