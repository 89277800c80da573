"""Catalogue demo data: regions, MPP Kota Tangerang (shared reference catalogue) and a
second, smaller mall of another city, plus counters for each tenant."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from satupintu.catalogue.importer import import_catalogue, import_regions
from satupintu.catalogue.models import Counter, Region, Service, Tenancy

CATALOGUES = [
    settings.REFERENCE_DATA_DIR / "catalogue" / "mpp-kota-tangerang.yaml",
    settings.BASE_DIR / "data" / "demo" / "mpp-kota-serang.yaml",
]


def load(stdout):
    if Region.objects.count() < 2000:
        for line in import_regions(settings.REFERENCE_DATA_DIR / "wilayah").lines()[-1:]:
            stdout.write(f"wilayah: {line}")
    for path in CATALOGUES:
        report = import_catalogue(path)
        stdout.write(f"{path.name}: {report.lines()[-1]}")
    ensure_counters()
    return []


@transaction.atomic
def ensure_counters() -> None:
    """One counter per tenant, numbered in order, serving all of that tenant's services."""
    for mall_id in Tenancy.objects.values_list("mall_id", flat=True).distinct():
        tenancies = Tenancy.objects.filter(mall_id=mall_id).select_related("agency").order_by("id")
        for number, tenancy in enumerate(tenancies, start=1):
            counter, _created = Counter.objects.get_or_create(
                mall_id=mall_id, number=str(number),
                defaults={"tenancy": tenancy, "label": tenancy.agency.short_name or tenancy.agency.name},
            )
            wanted = set(Service.objects.filter(mall_id=mall_id, agency=tenancy.agency).values_list("id", flat=True))
            have = set(counter.services.values_list("id", flat=True))
            if wanted - have:
                counter.services.add(*(wanted - have))
