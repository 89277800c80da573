"""Default queue set-up for a mall: one service group (letter) per agency with a morning
and an afternoon session. Used by the demo and by tests; a mall manager edits the result
in the back office."""

from __future__ import annotations

import string
from datetime import time

from django.db import transaction

from satupintu.catalogue.models import Mall, Service, Tenancy
from satupintu.queue.models import QueueSettings, QuotaTemplate, ServiceGroup

DEFAULT_SESSIONS = [
    ("Pagi", time(8, 0), time(12, 0), 20, 15, 5),
    ("Siang", time(12, 0), time(16, 0), 15, 15, 5),
]


@transaction.atomic
def mall_queue_setup(mall: Mall, *, sessions=DEFAULT_SESSIONS, weekdays=(0, 1, 2, 3, 4)) -> list[ServiceGroup]:
    """Idempotent: groups and templates that exist are left as the manager set them."""
    QueueSettings.objects.get_or_create(mall=mall)
    groups = []
    letters = iter(string.ascii_uppercase)
    for tenancy in Tenancy.objects.filter(mall=mall).select_related("agency").order_by("id"):
        letter = next(letters, None)
        if letter is None:
            break
        services = Service.objects.filter(mall=mall, agency=tenancy.agency, is_active=True, at_counter=True)
        if not services.exists():
            continue
        group, _created = ServiceGroup.objects.get_or_create(
            mall=mall, letter=letter, defaults={"name": tenancy.agency.short_name or tenancy.agency.name})
        group.services.add(*services)
        for label, starts, ends, online, walkin, prio in sessions:
            QuotaTemplate.objects.get_or_create(
                mall=mall, group=group, starts=starts,
                defaults={"label": label, "ends": ends, "weekdays": list(weekdays), "online_capacity": online,
                          "walkin_capacity": walkin, "priority_capacity": prio})
        groups.append(group)
    return groups
