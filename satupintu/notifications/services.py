"""Writing to the outbox. Delivery is the worker's job (tasks.py); nothing is sent from a
request."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from satupintu.notifications.models import Notification


def notification_enqueue(*, channel: str, destination: str, template: str, context: dict[str, Any],
                         language: str = "id", person=None, user=None, mall=None, related: Any = None,
                         dedupe_key: str | None = None) -> Notification:
    """Write one outbox row in the caller's transaction and schedule its delivery on commit.
    With `dedupe_key`, a second call for the same business event returns the first row."""
    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                channel=channel, destination=destination, template=template, context=context, language=language,
                person=person, user=user, mall=mall, dedupe_key=dedupe_key,
                related_type=related._meta.label_lower if related is not None else "",
                related_code=str(getattr(related, "code", "")) if related is not None else "",
            )
    except IntegrityError:
        if dedupe_key:
            return Notification.objects.get(dedupe_key=dedupe_key)
        raise
    transaction.on_commit(lambda: _schedule(notification.pk))
    return notification


def _schedule(notification_id: int) -> None:
    try:
        from satupintu.notifications.tasks import deliver_notification
    except ImportError:  # delivery not wired yet
        return
    deliver_notification.enqueue(notification_id)
