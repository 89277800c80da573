"""Notification delivery throughput: the outbox (db_worker: claim, render, send, record) as a ratio to
sending the same messages straight through the SMS adapter in a loop (the floor: the gateway round trip).

    .venv/bin/python scripts/pgcluster.py run -- .venv/bin/python bench/notifications_throughput.py [N]
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
os.environ.setdefault("SATUPINTU_ENV", "test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(n: int) -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("run under scripts/pgcluster.py (PostgreSQL)")
    port = free_port()
    sim = subprocess.Popen([sys.executable, "-m", "simulators", "sms", "--port", str(port)], cwd=ROOT,
                           stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    os.environ["SMS_URL"] = url
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import transaction
        from django.db.models import Max, Min

        from satupintu.integrations.messaging import OutboundMessage
        from satupintu.integrations.sms import SmsClient
        from satupintu.notifications.models import Notification, NotificationEvent
        from satupintu.notifications.services import notification_enqueue

        call_command("migrate", "--no-input", "-v0")
        client = SmsClient.from_settings()
        start = time.perf_counter()
        for i in range(n):
            client.send(OutboundMessage(to=f"+62813{i:08d}", body=f"SatuPintu: pesan {i}",
                                        idempotency_key=str(uuid.uuid4())))
        direct = (time.perf_counter() - start) / n

        with transaction.atomic():
            ids = [notification_enqueue(channel="sms", destination=f"+62814{i:08d}", template="notifications.test",
                                        context={"text": f"pesan {i}"}).pk for i in range(n)]
        worker = subprocess.run([sys.executable, "manage.py", "db_worker", "--queue-name", "notifications", "--batch",
                                 "--no-startup-delay", "--no-reload", "-v", "0"], cwd=ROOT, env=dict(os.environ))
        assert worker.returncode == 0
        assert Notification.objects.filter(pk__in=ids, status="sent").count() == n
        span = NotificationEvent.objects.filter(notification_id__in=ids).aggregate(a=Min("at"), b=Max("at"))
        outbox = (span["b"] - span["a"]).total_seconds() / n
        print(f"n={n}  direct adapter: {direct * 1000:.2f} ms/message ({1 / direct:.0f}/s)  "
              f"outbox via db_worker: {outbox * 1000:.2f} ms/message ({1 / outbox:.0f}/s)  "
              f"ratio outbox/direct: {outbox / direct:.2f}")
    finally:
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
