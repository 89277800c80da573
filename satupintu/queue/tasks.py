"""Thin tasks (house style 10) for the daily queue jobs, so a scheduler can enqueue them
instead of running `manage.py queue_daily`."""

from datetime import date, timedelta

from django_tasks import task

from satupintu.catalogue.models import Mall


@task()
def send_booking_reminders() -> int:
    from satupintu.queue.notify import booking_reminders_send

    return booking_reminders_send()


@task()
def close_and_roll_up(mall_id: int, day: str | None = None) -> int:
    """Yesterday's unattended bookings become no-shows, then the day's statistics."""
    from satupintu.queue.services import bookings_close_day, mall_today
    from satupintu.queue.stats import daily_rollup

    mall = Mall.objects.get(pk=mall_id)
    when = date.fromisoformat(day) if day else mall_today(mall) - timedelta(days=1)
    bookings_close_day(mall=mall, day=when)
    return daily_rollup(mall=mall, day=when)
