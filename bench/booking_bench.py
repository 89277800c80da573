#!/usr/bin/env python3
"""Queue booking throughput, as ratios (bench/README.md, section "Queue").

    .venv/bin/python scripts/pgcluster.py run -- .venv/bin/python bench/booking_bench.py

On the PostgreSQL of DATABASE_URL: migrate, load the catalogue, set up queues, create
citizens with signed-in sessions; start gunicorn on loopback; then measure with keep-alive
HTTP clients (threads):

* /ping — the trivial endpoint on the same server (the yardstick);
* booking, one hot session (every client books the same session);
* booking, places spread over many sessions;
* pgbench running the bare conditional UPDATE (the database's own ceiling), hot and spread;
* overload: 3× more booking requests than places; rejections must answer fast and the
  session must end with exactly its capacity booked.

Absolute numbers depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter as Tally
from datetime import timedelta
from glob import glob
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("AXES_ENABLED", "false")

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "400"))
PINGS = int(os.environ.get("BENCH_PINGS", "3000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SPREAD_SESSIONS = 60


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.fixtures.base import load_reference_data

    load_reference_data()


def prepare(n_users: int):
    """Citizens with signed-in sessions (sessions written directly: no password hashing)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from satupintu.catalogue.models import Mall, OpeningHours, Service
    from satupintu.identity.models import Person, User
    from satupintu.queue import services
    from satupintu.queue.setup import mall_queue_setup

    mall = Mall.objects.get(slug="kota-tangerang")
    from datetime import time as t

    for wd in range(7):  # the bench may run on any day
        OpeningHours.objects.get_or_create(mall=mall, weekday=wd, opens=t(0, 0), defaults={"closes": t(23, 59)})
    mall_queue_setup(mall, weekdays=range(7))
    # sessions over a month must all be bookable for the "spread" run
    services.policy(mall).__class__.objects.filter(mall=mall).update(online_open_days=60)
    tag = secrets.token_hex(3)
    users = User.objects.bulk_create([User(email=f"bench-{tag}-{i}@example.test", full_name=f"Bench {i}",
                                           password="!") for i in range(n_users)])
    people = []
    for i, u in enumerate(users):
        p = Person(account=u, full_name=u.full_name, birth_date="1990-01-01")
        p.set_nik(f"99{int(tag, 16) % 10**6:06d}{i:08d}")
        people.append(p)
    Person.objects.bulk_create(people)
    cookies = []
    for u in users:
        s = SessionStore()
        s[SESSION_KEY] = str(u.pk)
        s[BACKEND_SESSION_KEY] = "satupintu.identity.backends.LoginBackend"
        s[HASH_SESSION_KEY] = u.get_session_auth_hash()
        s.create()
        csrf = secrets.token_hex(16)
        cookies.append((f"sessionid={s.session_key}; csrftoken={csrf}", csrf))
    service = Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK")
    return mall, service, cookies


def sessions_for(mall, service, *, days: int):
    from satupintu.queue import services

    group = services.group_for_service(service)
    out = []
    for d in range(1, days + 1):
        out.extend(services.quotas_ensure(group=group, day=services.mall_today(mall) + timedelta(days=d)))
    return out


def set_capacity(quota, n):
    from satupintu.queue.models import Quota

    Quota.objects.filter(pk=quota.pk).update(online_capacity=n, online_remaining=n)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1"}
    log = open(ROOT / "var" / "bench_server.log", "ab")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "satupintu.config.wsgi", "-w", str(WORKERS), "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048"], cwd=ROOT, env=env, stderr=log)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def run_load(port, jobs, clients=CLIENTS):
    """jobs: list of (method, path, body, headers). Returns (seconds, [(status, latency, code)])."""
    results, lock, it = [], threading.Lock(), iter(jobs)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                break
            method, path, body, headers = job
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    results.append((0, time.perf_counter() - t0, "io"))
                continue
            code = ""
            if resp.status >= 400:
                try:
                    code = json.loads(data)["error"]["code"]
                except (ValueError, KeyError, TypeError):
                    code = str(resp.status)
            with lock:
                results.append((resp.status, time.perf_counter() - t0, code))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    [t.start() for t in threads]
    [t.join() for t in threads]
    return time.perf_counter() - start, results


def booking_jobs(cookies, quotas):
    jobs = []
    for i, (cookie, csrf) in enumerate(cookies):
        q = quotas[i % len(quotas)]
        body = json.dumps({"session": str(q.code), "service": "KTPEL_HILANG_RUSAK"})
        jobs.append(("POST", "/api/v1/queue/bookings", body,
                     {"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": csrf,
                      "Idempotency-Key": secrets.token_hex(8)}))
    return jobs


def pgbench(quota_ids: list[int], *, seconds=5, clients=CLIENTS) -> float:
    binary = sorted(glob("/usr/lib/postgresql/*/bin/pgbench"))
    binary = binary[-1] if binary else "pgbench"
    url = urlparse(os.environ["DATABASE_URL"])
    script = ROOT / "var" / "bench_conditional_update.sql"
    script.parent.mkdir(exist_ok=True)
    lo, hi = min(quota_ids), max(quota_ids)
    script.write_text(
        f"\\set qid random({lo}, {hi})\n"
        "UPDATE queue_quota SET online_remaining = online_remaining - 1 "
        "WHERE id = :qid AND online_remaining > 0;\n")
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    out = subprocess.run([binary, "-n", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username,
                          "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", str(script),
                          url.path.lstrip("/")], env=env, capture_output=True, text=True, check=True)
    return float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))


def summarise(name, seconds, results):
    ok = [r for r in results if r[0] == 201 or r[0] == 200]
    rps = len(results) / seconds
    lat = sorted(r[1] for r in results)
    print(f"{name:34s} {len(results):5d} req {seconds:6.2f}s {rps:8.1f} req/s  "
          f"p50 {statistics.median(lat) * 1000:6.1f} ms  p95 {lat[int(len(lat) * .95) - 1] * 1000:6.1f} ms  "
          f"ok {len(ok)}  other {sorted(Tally(r[2] for r in results if r[0] >= 300).items())}")
    return rps


def main():
    setup_django()
    from satupintu.queue.models import Booking, Quota

    mall, service, cookies = prepare(5 * BOOKINGS)
    quotas = sessions_for(mall, service, days=SPREAD_SESSIONS // 2 + 1)
    hot, spread, over = quotas[0], quotas[2:2 + SPREAD_SESSIONS], quotas[1]
    set_capacity(hot, BOOKINGS)
    for q in spread:
        set_capacity(q, BOOKINGS // len(spread) + 1)
    set_capacity(over, BOOKINGS)
    port = free_port()
    (ROOT / "var").mkdir(exist_ok=True)
    server = start_server(port)
    out = {}
    try:
        run_load(port, [("GET", "/ping", None, {})] * 200)  # warm up
        s, r = run_load(port, [("GET", "/ping", None, {})] * PINGS)
        out["ping_rps"] = summarise("ping", s, r)
        s, r = run_load(port, booking_jobs(cookies[:BOOKINGS], [hot]))
        out["hot_rps"] = summarise("booking, one hot session", s, r)
        s, r = run_load(port, booking_jobs(cookies[BOOKINGS:2 * BOOKINGS], spread))
        out["spread_rps"] = summarise(f"booking, {len(spread)} sessions", s, r)
        # overload: 3x more requests than places in one session (capacity BOOKINGS, 3 * BOOKINGS clients)
        s, r = run_load(port, booking_jobs(cookies[2 * BOOKINGS:], [over]))
        out["overload_rps"] = summarise("overload 3x, one session", s, r)
        ok_lat = [x[1] for x in r if x[0] == 201]
        no_lat = [x[1] for x in r if x[0] == 409]
        out["overload_accepted"] = len(ok_lat)
        out["overload_rejected"] = len(no_lat)
        out["overload_p50_ok_ms"] = statistics.median(ok_lat) * 1000
        out["overload_p50_rejected_ms"] = statistics.median(no_lat) * 1000
        out["overload_other"] = sorted({(x[0], x[2]) for x in r if x[0] not in (201, 409)})
        # once the session is full, how fast is "full"? (same clients again, new keys)
        s, r = run_load(port, booking_jobs(cookies[2 * BOOKINGS:3 * BOOKINGS], [over]))
        out["full_reject_rps"] = summarise("rejections, session full", s, r)
        out["full_reject_codes"] = sorted({x[2] for x in r})
    finally:
        server.terminate()
        server.wait(10)
    for q in (hot, over, *spread):
        q.refresh_from_db()
        active = Booking.objects.filter(quota=q, status__in=Booking.ACTIVE).count()
        assert q.online_capacity - q.online_remaining == active, f"oversold {q}"
    over.refresh_from_db()
    assert Booking.objects.filter(quota=over).count() == over.online_capacity, "overload session not exactly full"
    # pgbench baseline: the bare conditional UPDATE; rows refilled so it never runs dry
    Quota.objects.filter(pk=hot.pk).update(online_capacity=10**9, online_remaining=10**9)
    Quota.objects.filter(pk__in=[q.pk for q in spread]).update(online_capacity=10**9, online_remaining=10**9)
    out["load_average_before_pgbench"] = os.getloadavg()
    out["pgbench_hot_tps"] = pgbench([hot.pk])
    out["pgbench_spread_tps"] = pgbench([q.pk for q in spread])
    print(f"pgbench conditional UPDATE, hot: {out['pgbench_hot_tps']:.0f} tps; spread: "
          f"{out['pgbench_spread_tps']:.0f} tps")
    print()
    print(f"hot booking / ping            = {out['hot_rps'] / out['ping_rps']:.2f}")
    print(f"spread booking / ping         = {out['spread_rps'] / out['ping_rps']:.2f}")
    print(f"hot booking / pgbench hot     = {out['hot_rps'] / out['pgbench_hot_tps']:.3f}")
    print(f"spread booking / pgbench spr. = {out['spread_rps'] / out['pgbench_spread_tps']:.3f}")
    print(f"rejection when full / ping    = {out['full_reject_rps'] / out['ping_rps']:.2f} "
          f"(codes {out['full_reject_codes']})")
    print(f"overload 3x: {out['overload_accepted']} accepted (= capacity {over.online_capacity}), "
          f"{out['overload_rejected']} rejected; p50 rejected {out['overload_p50_rejected_ms']:.1f} ms vs accepted "
          f"{out['overload_p50_ok_ms']:.1f} ms; other answers {out['overload_other']}")
    print(json.dumps(out, default=str))
    return out


if __name__ == "__main__":
    main()
