"""Background work of the outbox (django-tasks). Thin: the logic is in services.py."""

from __future__ import annotations

from django_tasks import task

from satupintu.notifications.services import notification_deliver, notification_sweep


@task(queue_name="notifications")
def deliver_notification(notification_id: int) -> str:
    notification = notification_deliver(notification_id=notification_id)
    return notification.status if notification is not None else "skipped"


@task(queue_name="notifications")
def sweep_notifications() -> int:
    return notification_sweep()
