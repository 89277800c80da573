"""The Django admin as the OTP-only back office (site class in officer_admin.py). Kept apart
because INSTALLED_APPS imports this module before models can be loaded."""

from django.contrib.admin.apps import AdminConfig


class BackofficeAdminConfig(AdminConfig):
    default_site = "satupintu.identity.officer_admin.BackofficeSite"
