"""Storm: many clients over HTTP book the same session at once (bounded: 60 clients, each
sending its booking twice at the same moment plus one read; well under a minute).
Afterwards exactly the capacity is booked, nobody holds two, and capacity − places left =
active bookings. The control test shows that the naive read-then-write version (written
only here) does oversell under the same race."""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections import Counter as Tally

import pytest
from django.db import connection
from django.test import Client

from satupintu.catalogue.models import Service
from satupintu.queue import services
from satupintu.queue.models import Booking, Quota
from tests.fixtures.queue import make_citizen

pytestmark = pytest.mark.storm

CLIENTS = 60
CAPACITY = 25


def _request(url, *, method="GET", body=None, cookies="", csrf="", key=""):
    """One logical request. The test server's listen backlog is small, so a connection may
    be reset under the storm; like a real client we retry with backoff, reusing the same
    Idempotency-Key so a retried booking can never become a second one."""
    headers = {"Content-Type": "application/json", "Cookie": cookies, "X-CSRFToken": csrf, "Referer": url}
    if key:
        headers["Idempotency-Key"] = key
    for attempt in range(8):
        req = urllib.request.Request(url, method=method, headers=headers,
                                     data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - loopback live server
                return resp.status, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"null")
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05 * 2**attempt)
    raise AssertionError(f"no answer from {url}")


def _hot_session(mall):
    service = Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK")
    day = services.mall_today(mall) + __import__("datetime").timedelta(days=2)
    quota = next(q for q in services.quotas_ensure(group=services.group_for_service(service), day=day)
                 if q.label == "Pagi")
    services.quota_set_capacity(quota=quota, channel="online", capacity=CAPACITY)
    return service, quota


@pytest.mark.django_db(transaction=True)
def test_storm_of_bookings_never_oversells(live_server, live_queue_mall):
    service, quota = _hot_session(live_queue_mall)
    clients = []
    for _ in range(CLIENTS):
        user, person = make_citizen("storm")
        c = Client()
        c.force_login(user)
        csrf = secrets.token_hex(16)
        clients.append((person, f"sessionid={c.cookies['sessionid'].value}; csrftoken={csrf}", csrf))
    url = f"{live_server.url}/api/v1/queue/bookings"
    places_url = f"{live_server.url}/api/v1/queue/places?mall={live_queue_mall.slug}&service={service.public_code}"
    body = {"session": str(quota.code), "service": service.public_code}
    results: list[tuple[int, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2 * CLIENTS)

    def attempt(cookies, csrf):
        """Each client fires its booking twice AT ONCE (a double tap, two tabs): the partial
        unique index, not luck, must make the second one fail."""
        try:
            barrier.wait(timeout=30)
            status, answer = _request(url, method="POST", body=body, cookies=cookies, csrf=csrf,
                                      key=secrets.token_hex(8))
            with lock:
                results.append((status, (answer.get("error") or {}).get("code", "") if status != 201 else ""))
            _request(places_url)
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=attempt, args=(ck, cs)) for _, ck, cs in clients for _twice in range(2)]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    assert time.monotonic() - started < 60

    quota.refresh_from_db()
    active = Booking.objects.filter(quota=quota, status__in=Booking.ACTIVE)
    tally = Tally(status for status, _ in results)
    assert len(results) == 2 * CLIENTS
    assert tally[201] == CAPACITY == active.count()
    assert quota.online_remaining == 0
    assert quota.online_capacity - quota.online_remaining == active.count()
    assert max(Tally(active.values_list("person_id", flat=True)).values()) == 1
    refused = Tally(code for status, code in results if status != 201)
    assert set(refused) <= {"session_full", "already_booked"} and all(s in (201, 409) for s, _ in results)


def _naive_book(quota_id, person, service, barrier):
    """The WRONG way, on purpose: read the places left, then write remaining − 1."""
    try:
        quota = Quota.objects.get(pk=quota_id)
        barrier.wait(timeout=30)
        if quota.online_remaining > 0:
            time.sleep(0.05)  # the gap every read-then-write has; here it is made visible
            Quota.objects.filter(pk=quota_id).update(online_remaining=quota.online_remaining - 1)
            Booking.objects.create(mall_id=quota.mall_id, agency_id=service.agency_id, service=service, quota=quota,
                                   person=person, date=quota.date, short_code=services._new_short_code())
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_control_naive_read_then_write_oversells(live_queue_mall):
    service, quota = _hot_session(live_queue_mall)
    services.quota_set_capacity(quota=quota, channel="online", capacity=5)
    people = [make_citizen("naive")[1] for _ in range(20)]
    barrier = threading.Barrier(len(people))
    threads = [threading.Thread(target=_naive_book, args=(quota.pk, p, service, barrier)) for p in people]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    quota.refresh_from_db()
    booked = Booking.objects.filter(quota=quota, status__in=Booking.ACTIVE).count()
    assert booked > quota.online_capacity  # oversold
    assert quota.online_capacity - quota.online_remaining != booked  # and the counter lies
