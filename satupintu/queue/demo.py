"""Queue demo data (idempotent): quota templates for MPP Kota Tangerang, a few bookings,
today's queue with some tickets, a front-desk officer, a mall manager and a citizen."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from satupintu.catalogue.models import Counter, Mall, Service
from satupintu.demo import DEMO_PASSWORD, Login
from satupintu.identity.models import Membership, Person, Role, User
from satupintu.queue import services
from satupintu.queue.models import Booking, Ticket
from satupintu.queue.setup import mall_queue_setup

DEMO_NIK = "3671014501900001"


def _user(email, full_name, **extra):
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, **extra)


def _citizen() -> Person:
    user = _user("warga.antrean@demo.satupintu.id", "Siti Rahmawati (demo)", phone="+6281200009001")
    person = Person.objects.filter(account=user).first()
    if person is None:
        person = Person(account=user, full_name=user.full_name, birth_date="1990-01-05", preferred_channel="whatsapp")
        person.set_nik(DEMO_NIK)
        person.save()
    return person


@transaction.atomic
def load(stdout):
    mall = Mall.objects.filter(slug="kota-tangerang").first()
    if mall is None:
        return []
    groups = mall_queue_setup(mall)
    dukcapil = Service.objects.get(mall=mall, public_code="KTPEL_HILANG_RUSAK")
    # the identity demo's officers (they have the published demo TOTP device), so a newcomer
    # signs in with one set of logins everywhere
    officer = _user("loket.disdukcapil@demo.satupintu.id", "Petugas Loket Disdukcapil (demo)",
                    kind=User.Kind.OFFICER)
    Membership.objects.get_or_create(user=officer, mall=mall, agency=dukcapil.agency, role=Role.FRONT_DESK)
    manager = _user("pengelola.tangerang@demo.satupintu.id", "Pengelola MPP (demo)", kind=User.Kind.OFFICER,
                    is_staff=True)
    Membership.objects.get_or_create(user=manager, mall=mall, agency=None, role=Role.MALL_MANAGER)
    person = _citizen()
    today = services.mall_today(mall)
    # a booking on the next open day, if the citizen has none yet
    if not Booking.objects.filter(person=person, status=Booking.Status.BOOKED).exists():
        for i in range(1, 8):
            day = today + timedelta(days=i)
            sessions = [q for q in services.quotas_ensure(group=groups[0], day=day) if q.online_remaining > 0]
            if sessions:
                try:
                    services.booking_create(person=person, service=dukcapil, quota=sessions[0])
                except Exception as exc:  # noqa: BLE001 - demo: a closed window is fine
                    stdout.write(f"queue demo: booking skipped ({exc})")
                break
    # today's queue: a few walk-ins, one called, when the mall is open today
    if not services.closed_reason(mall, today) and not Ticket.objects.filter(mall=mall, date=today).exists():
        try:
            samsat = Service.objects.filter(mall=mall, agency__slug="SAMSAT").first()
            for reason in ("", "lansia", ""):
                services.ticket_walkin(mall=mall, service=dukcapil, priority_reason=reason)
            if samsat:
                services.visit_plan_create(mall=mall, services=[dukcapil, samsat])
            counter = Counter.objects.filter(mall=mall, services=dukcapil).first()
            services.counter_sign_in(counter=counter, officer=officer)
            services.ticket_call_next(counter=counter, by=officer)
        except Exception as exc:  # noqa: BLE001 - after the last session there is no queue today
            stdout.write(f"queue demo: today's queue skipped ({exc})")
    stdout.write(f"queue: {len(groups)} service groups, kiosk /kios/{mall.slug}/, board /layar/{mall.slug}/")
    return [
        Login("Antrean: konsol loket dan kios (akun petugas loket Disdukcapil di atas)", officer.email, DEMO_PASSWORD,
              f"/loket/ · /kios/{mall.slug}/ · layar /layar/{mall.slug}/"),
        Login("Antrean: kuota (akun pengelola MPP di atas)", manager.email, DEMO_PASSWORD, "/backoffice/queue/"),
        Login("Warga dengan pemesanan antrean", "warga.antrean@demo.satupintu.id", DEMO_PASSWORD, "/antrean/saya/"),
    ]
