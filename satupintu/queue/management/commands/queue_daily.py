"""Daily queue jobs: reminders for tomorrow, no-shows of yesterday, the statistics rollup.

    manage.py queue_daily                 # all three, for every mall
    manage.py queue_daily --only reminders
    manage.py queue_daily --date 2026-12-01 --only rollup
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand

from satupintu.catalogue.models import Mall
from satupintu.queue.notify import booking_reminders_send
from satupintu.queue.services import bookings_close_day, mall_today
from satupintu.queue.stats import daily_rollup


class Command(BaseCommand):
    help = "Queue: send reminders, close yesterday's bookings (no-shows), roll up statistics"

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=["reminders", "close", "rollup"])
        parser.add_argument("--date", type=date.fromisoformat, help="day to close / roll up (default yesterday)")

    def handle(self, *args, only=None, date=None, **options):
        if only in (None, "reminders"):
            self.stdout.write(f"reminders: {booking_reminders_send()}")
        for mall in Mall.objects.filter(queue_groups__isnull=False).distinct():
            day = date or mall_today(mall) - timedelta(days=1)
            if only in (None, "close"):
                self.stdout.write(f"{mall.slug} {day} no-shows: {bookings_close_day(mall=mall, day=day)}")
            if only in (None, "rollup"):
                self.stdout.write(f"{mall.slug} {day} rollup rows: {daily_rollup(mall=mall, day=day)}")
