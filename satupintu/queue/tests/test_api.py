"""The queue API through HTTP (Django test client): places, book with Idempotency-Key,
bad input with clear messages, cancel, reschedule, my bookings, ticket position."""

import pytest

from satupintu.catalogue.models import Service
from satupintu.queue import services
from satupintu.queue.models import Booking
from tests.fixtures.queue import make_citizen

SERVICE = "KTPEL_HILANG_RUSAK"


@pytest.fixture
def api(client, citizen):
    client.force_login(citizen[0])
    return client


def sessions(client, mall, day):
    r = client.get(f"/api/v1/queue/places?mall={mall.slug}&service={SERVICE}&start={day}&days=1")
    assert r.status_code == 200
    return r.json()[0]["sessions"]


@pytest.mark.django_db
def test_places_are_public_and_validated(client, queue_mall, booking_day):
    s = sessions(client, queue_mall, booking_day)
    assert [x["label"] for x in s] == ["Pagi", "Siang"] and s[0]["online_left"] == 5 and s[0]["state"] == "open"
    bad = client.get(f"/api/v1/queue/places?mall={queue_mall.slug}&service={SERVICE}&days=99")
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "days"
    assert client.get(f"/api/v1/queue/places?mall=nowhere&service={SERVICE}").status_code == 404
    far = client.get(f"/api/v1/queue/places?mall={queue_mall.slug}&service={SERVICE}&start=2099-01-01")
    assert far.status_code == 422 and far.json()["error"]["fields"][0]["field"] == "start"
    assert "openapi" in client.get("/api/v1/openapi.json").json() and \
        "/api/v1/queue/bookings" in client.get("/api/v1/openapi.json").json()["paths"]


@pytest.mark.django_db
def test_book_replay_second_booking_and_english_messages(api, queue_mall, booking_day):
    s = sessions(api, queue_mall, booking_day)
    body = {"session": s[0]["code"], "service": SERVICE}
    first = api.post("/api/v1/queue/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/queue/bookings", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["qr_token"] and len(first.json()["short_code"]) == 6
    assert Booking.objects.count() == 1
    other = {"session": s[1]["code"], "service": SERVICE}
    reused = api.post("/api/v1/queue/bookings", other, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    second = api.post("/api/v1/queue/bookings", other, content_type="application/json")
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_booked"
    assert "sudah punya pemesanan aktif" in second.json()["error"]["message"]
    en = api.post("/api/v1/queue/bookings?lang=en", other, content_type="application/json")
    assert en.status_code == 409 and "already have an active booking" in en.json()["error"]["message"]
    junk = api.post("/api/v1/queue/bookings", {"session": "nope", "service": SERVICE}, content_type="application/json")
    assert junk.status_code == 422 and junk.json()["error"]["fields"][0]["field"] == "session"
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_booking_needs_login(client, queue_mall, booking_day):
    s = sessions(client, queue_mall, booking_day)
    r = client.post("/api/v1/queue/bookings", {"session": s[0]["code"], "service": SERVICE},
                    content_type="application/json")
    assert r.status_code == 401 and Booking.objects.count() == 0


@pytest.mark.django_db
def test_cancel_reschedule_mine_and_not_yours(api, client, queue_mall, booking_day):
    s = sessions(api, queue_mall, booking_day)
    code = api.post("/api/v1/queue/bookings", {"session": s[0]["code"], "service": SERVICE},
                    content_type="application/json").json()["code"]
    moved = api.post(f"/api/v1/queue/bookings/{code}/reschedule", {"session": s[1]["code"]},
                     content_type="application/json")
    assert moved.status_code == 200 and moved.json()["session"] == s[1]["code"]
    assert [b["code"] for b in api.get("/api/v1/queue/bookings").json()] == [code]
    stranger, _ = make_citizen("lain")
    from django.test import Client

    other = Client()
    other.force_login(stranger)
    assert other.post(f"/api/v1/queue/bookings/{code}/cancel").status_code == 404
    done = api.post(f"/api/v1/queue/bookings/{code}/cancel")
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert api.post(f"/api/v1/queue/bookings/{code}/cancel").json()["error"]["code"] == "not_cancellable"
    left = sessions(api, queue_mall, booking_day)
    assert [x["online_left"] for x in left] == [5, 5]


@pytest.mark.django_db
def test_ticket_position(client, queue_mall):
    service = Service.objects.get(mall=queue_mall, public_code=SERVICE)
    tickets = [services.ticket_walkin(mall=queue_mall, service=service) for _ in range(3)]
    r = client.get(f"/api/v1/queue/tickets/{tickets[2].code}")
    assert r.status_code == 200 and r.json()["ahead"] == 2 and r.json()["wait_seconds"] == 2 * 600
    assert client.get("/api/v1/queue/tickets/00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.django_db
def test_kiosk_needs_staff_of_that_mall_and_board_json_is_public(client, queue_mall, citizen):
    assert client.get(f"/kios/{queue_mall.slug}/").status_code == 302
    client.force_login(citizen[0])
    assert client.get(f"/kios/{queue_mall.slug}/").status_code == 404
    assert client.post(f"/kios/{queue_mall.slug}/ambil/", {"service": SERVICE}).status_code == 404
    board = client.get(f"/layar/{queue_mall.slug}/data.json")
    assert board.status_code == 200 and board.json()["calls"] == []
    assert client.get(f"/antrean/{queue_mall.slug}/{SERVICE}/sisa.json").status_code == 200


@pytest.mark.django_db
def test_counter_console_is_only_for_officers_of_that_agency(client, queue_mall):
    from satupintu.catalogue.models import Counter
    from tests.fixtures.queue import make_officer

    service = Service.objects.get(mall=queue_mall, public_code=SERVICE)
    counter = Counter.objects.filter(services=service).first()
    samsat = Service.objects.filter(mall=queue_mall, agency__slug="SAMSAT").first()
    services.ticket_walkin(mall=queue_mall, service=service)
    client.force_login(make_officer(queue_mall, samsat.agency))
    assert client.get(f"/loket/{counter.code}/").status_code == 404
    assert client.post(f"/loket/{counter.code}/panggil/").status_code == 404
    client.force_login(make_officer(queue_mall, service.agency))
    assert client.get(f"/loket/{counter.code}/").status_code == 200
    assert client.post(f"/loket/{counter.code}/panggil/").status_code == 302
    page = client.get(f"/loket/{counter.code}/")
    assert "A-001" in page.content.decode()
