"""Reading the outbox (e.g. a citizen's timeline: "we sent you an SMS at 10.02")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from satupintu.notifications.models import Notification


def notifications_for_person(*, person) -> QuerySet[Notification]:
    return Notification.objects.filter(person=person).order_by("-created_at", "-id")


def notifications_for(*, related: Any) -> QuerySet[Notification]:
    """What was sent about one object (an application, a booking, a complaint)."""
    return Notification.objects.filter(related_type=related._meta.label_lower,
                                       related_code=str(related.code)).order_by("created_at", "id")


def notification_plain_context(notification) -> dict:
    """The context with secret values decrypted (for delivery, and for tests that must read
    a one-time code the way the citizen's phone would). Empty for erased secrets."""
    from satupintu.notifications.services import _unseal

    return _unseal(notification.context)
