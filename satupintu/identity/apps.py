from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "satupintu.identity"
    label = "identity"
    verbose_name = "Identitas"

    def ready(self):
        from satupintu.identity import officer_signals  # noqa: F401  (audit of sign-ins)
