"""Re-enqueue notifications a dead worker left behind, and due retries whose task was lost.

    manage.py notifications_sweep              # once (cron)
    manage.py notifications_sweep --every 30   # loop beside `manage.py db_worker`
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from satupintu.notifications.services import notification_sweep


class Command(BaseCommand):
    help = "Re-enqueue notifications stuck in 'sending' after a crash and due retries with no task"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds until stopped")

    def handle(self, *args, every: float = 0, **options) -> None:
        running = True

        def stop(signum, frame) -> None:
            nonlocal running
            running = False

        if every:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            if every:
                close_old_connections()
            swept = notification_sweep()
            if swept or options["verbosity"] > 1:
                self.stdout.write(f"re-enqueued {swept} notification(s)")
            if not every or not running:
                return
            deadline = time.monotonic() + every
            while running and time.monotonic() < deadline:
                time.sleep(min(0.2, every))
            if not running:
                return
