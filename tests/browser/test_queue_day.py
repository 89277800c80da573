"""A day at the mall in a real browser: a citizen books online → checks in by code at the
kiosk → an officer calls the ticket → the display board shows it → the officer finishes
it; and a walk-in ticket prints on thermal paper."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from satupintu.catalogue.models import Counter, Service
from satupintu.queue import services
from satupintu.queue.models import Booking, Quota, Ticket
from tests.fixtures.queue import make_citizen, make_officer

pytestmark = pytest.mark.browser

PASSWORD = "pw-Test-123456"


def _bookable_today(mall, service):
    """Today's afternoon session moved to start a few minutes from now, so the walk works
    at any hour of the day the suite runs."""
    policy = services.policy(mall)
    policy.booking_cutoff_minutes = 0
    policy.save()
    group = services.group_for_service(service)
    quotas = services.quotas_ensure(group=group, day=services.mall_today(mall))
    now = services.mall_now(mall)
    starts = min((now + timedelta(minutes=5)).time(), datetime.strptime("23:57", "%H:%M").time())
    if now.hour == 23 and now.minute >= 55:
        pytest.skip("too close to midnight in the mall's zone")
    siang = next(q for q in quotas if q.label == "Siang")
    Quota.objects.filter(pk=siang.pk).update(starts=starts)
    Quota.objects.filter(group=group, date=services.mall_today(mall)).exclude(pk=siang.pk).update(is_closed=True)
    return siang


def _login(browser, live_server, user):
    """Citizens sign in with a password; officers with a password and then a TOTP code."""
    ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1024, "height": 800}, locale="id-ID",
                              timezone_id="Asia/Jakarta")
    ctx.set_default_timeout(15_000)
    pg = ctx.new_page()
    if user.kind == "officer":
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.fixtures.identity_officer import totp_now

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="uji", defaults={"confirmed": True})
        pg.goto("/petugas/masuk/")
        pg.get_by_label("E-mail petugas").fill(user.email)
        pg.get_by_label("Kata sandi").fill(PASSWORD)
        pg.get_by_role("button", name="Lanjut").click()
        pg.get_by_label("Kode 6 angka dari aplikasi autentikator").fill(totp_now(device))
        pg.get_by_role("button", name="Masuk").last.click()
    else:
        pg.goto("/masuk/")
        pg.get_by_label("Nomor HP atau e-mail").fill(user.email)
        pg.get_by_label("Kata sandi").fill(PASSWORD)
        pg.get_by_role("button", name="Masuk").last.click()
    pg.wait_for_load_state()
    return pg


def _print_width_mm(pg) -> float:
    pg.wait_for_load_state("load")  # the print stylesheet too
    pg.emulate_media(media="print")
    width_px = pg.evaluate("document.querySelector('.ticket').getBoundingClientRect().width")
    header = pg.evaluate("getComputedStyle(document.querySelector('.site-header')).display")
    pg.emulate_media(media="screen")
    assert header == "none"
    return width_px * 25.4 / 96


def test_queue_day(page, browser, live_server, live_queue_mall, assert_accessible):
    mall = live_queue_mall
    service = Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK")
    session = _bookable_today(mall, service)
    citizen, person = make_citizen("browser")
    officer = make_officer(mall, service.agency)
    counter = Counter.objects.filter(services=service).first()
    pages: list = []

    # 1. the citizen books online (public places page, then "Pesan")
    pg = _login(browser, live_server, citizen)
    pg.goto(f"/antrean/{mall.slug}/{service.public_code}/")
    assert_accessible(pg)
    left = pg.locator(f'[data-places="{session.code}"]').inner_text()
    pg.locator(f'form:has(input[value="{session.code}"]) button').click()
    assert pg.locator("h1").inner_text() == "Pemesanan antrean"
    short_code = pg.locator(".short-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", short_code) and pg.locator(".qr svg").count() == 1
    assert_accessible(pg)
    booking = Booking.objects.get(short_code=short_code)
    assert booking.person == person and booking.quota_id == session.pk
    pg.goto(f"/antrean/{mall.slug}/{service.public_code}/")
    assert pg.locator(f'[data-places="{session.code}"]').inner_text() != left

    # 2. the display board is open in the hall
    board = browser.new_page(base_url=live_server.url)
    board.goto(f"/layar/{mall.slug}/")
    assert_accessible(board)

    # 3. arrival: check in by typing the code at the kiosk (a device signed in by staff)
    kiosk = _login(browser, live_server, officer)
    kiosk.goto(f"/kios/{mall.slug}/")
    assert_accessible(kiosk)
    kiosk.get_by_label("Ketik kode pemesanan").fill(short_code.lower())
    kiosk.get_by_role("button", name="Check-in").click()
    number = kiosk.locator(".ticket-number").inner_text().strip()
    assert re.fullmatch(r"[A-Z]-\d{3}", number)
    assert kiosk.get_by_text("GRATIS").is_visible()
    assert_accessible(kiosk)
    ticket = Ticket.objects.get(number=number, date=services.mall_today(mall))
    assert ticket.booking == booking and ticket.channel == "online"

    # the same code again is refused with a clear message, nothing changes
    kiosk.goto(f"/kios/{mall.slug}/")
    kiosk.get_by_label("Ketik kode pemesanan").fill(short_code)
    kiosk.get_by_role("button", name="Check-in").click()
    assert "sudah dipakai untuk check-in" in kiosk.locator("#kiosk-error").inner_text()
    assert Ticket.objects.filter(booking=booking).count() == 1

    # 4. the officer signs in to the counter and calls next (keyboard shortcut N)
    console = kiosk.context.new_page()  # the same officer, signed in once (a TOTP code is single-use)
    console.goto("/loket/")
    console.get_by_role("link", name=re.compile(f"Loket {counter.number} ")).click()
    console.get_by_role("button", name="Buka loket").click()
    assert_accessible(console)
    console.keyboard.press("n")
    console.wait_for_load_state()
    assert console.locator("#current-number").inner_text() == number

    # 5. the display shows it within two seconds of polling, announced for counter N
    expect(board.locator("#board-number")).to_have_text(number, timeout=3000)
    assert board.locator("#board-counter").inner_text().endswith(counter.number)
    expect(board.locator("#board")).to_have_attribute("data-last-announced", f"{number}@{counter.number}")

    # 6. serve and finish with an outcome and an application number
    console.get_by_role("button", name="Mulai layani").click()
    console.get_by_label("Hasil layanan").select_option("application")
    console.get_by_label("Nomor permohonan").fill("MPP-3671-2026-000123")
    console.get_by_role("button", name="Selesai").click()
    ticket.refresh_from_db()
    assert ticket.status == "done" and ticket.related_code == "MPP-3671-2026-000123"
    assert console.get_by_text("Belum ada tiket dipanggil.").is_visible()

    # 7. a walk-in ticket with a priority choice, printed on 80 mm and 58 mm paper
    kiosk.goto(f"/kios/{mall.slug}/")
    kiosk.get_by_label("Lansia").check()
    kiosk.get_by_label(service.name).check()
    kiosk.get_by_role("button", name="Ambil nomor").click()
    walkin = Ticket.objects.get(number=kiosk.locator(".ticket-number").inner_text().strip(),
                                date=services.mall_today(mall))
    assert walkin.channel == "walkin" and walkin.priority and walkin.priority_reason == "lansia"
    assert kiosk.locator('link[media="print"]').get_attribute("href").endswith("ticket-80.css")
    assert 60 <= _print_width_mm(kiosk) <= 74
    kiosk.get_by_role("link", name="58 mm").click()
    kiosk.wait_for_url("**kertas=58**")
    assert kiosk.locator('link[media="print"]').get_attribute("href").endswith("ticket-58.css")
    assert 40 <= _print_width_mm(kiosk) <= 50
    printer = browser.new_page(base_url=live_server.url)  # the kiosk page itself asks to print once
    printer.goto(f"/antrean/tiket/{walkin.code}/")
    printer.emulate_media(media="print")
    pdf = printer.pdf(prefer_css_page_size=True)
    assert pdf[:4] == b"%PDF"
    pages.append(printer)

    for p in (pg, board, kiosk, *pages):
        p.context.close()


def test_board_recovers_after_a_network_blip(browser, live_server, live_queue_mall):
    mall = live_queue_mall
    service = Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK")
    counter = Counter.objects.filter(services=service).first()
    officer = make_officer(mall, service.agency)
    board = browser.new_page(base_url=live_server.url)
    board.goto(f"/layar/{mall.slug}/")
    expect(board.locator("#board")).to_have_attribute("data-state", "ok")
    board.route("**/data.json", lambda route: route.abort())
    expect(board.locator("#board")).to_have_attribute("data-state", "offline", timeout=6000)
    assert "mencoba lagi" in board.locator("#board-status").inner_text()
    t = services.ticket_walkin(mall=mall, service=service)
    services.ticket_call_next(counter=counter, by=officer)
    board.unroute("**/data.json")
    expect(board.locator("#board-number")).to_have_text(t.number, timeout=15000)
    expect(board.locator("#board-status")).to_have_text("")
    board.context.close()
