from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "satupintu.identity"
    label = "identity"
    verbose_name = "Identitas"
