"""Any change to the directory or catalogue bumps the catalogue version, so cached public
pages (and anything else keyed by it) are rebuilt."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from satupintu.catalogue.cache import catalogue_version_bump
from satupintu.catalogue.models import Agency, Closure, Counter, Mall, OpeningHours, Region, Service, Tenancy

WATCHED = (Mall, OpeningHours, Closure, Agency, Tenancy, Counter, Service, Region)


def _bump(sender, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures loading
    catalogue_version_bump()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_bump, sender=model, dispatch_uid=f"catalogue-version-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"catalogue-version-delete-{model.__name__}")
    m2m_changed.connect(_bump, sender=Counter.services.through, dispatch_uid="catalogue-version-counter-services")
