"""SLA clock across real 2026 and 2027 holidays and cuti bersama."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from satupintu.applications import sla
from satupintu.catalogue.models import Closure, Service

WIB = ZoneInfo("Asia/Jakarta")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, 0, tzinfo=WIB)


@pytest.fixture
def kk(catalogue):
    service = Service.objects.get(mall=catalogue, public_code="KK_PERUBAHAN")
    service.duration_value, service.duration_unit = Decimal(5), "working_days"
    return service


@pytest.mark.parametrize(("start", "due"), [
    (at(2026, 3, 17), date(2026, 3, 31)),   # Nyepi + Idul Fitri 2026 and its cuti bersama
    (at(2026, 12, 23), date(2027, 1, 4)),   # cuti bersama Natal, Natal, Tahun Baru 2027
    (at(2027, 3, 5), date(2027, 3, 22)),    # Nyepi + Idul Fitri 2027 and its cuti bersama
    (at(2026, 11, 27), date(2026, 12, 4)),  # ordinary week: Fri -> next Fri
])
def test_working_days_due_date(kk, start, due):
    result = sla.service_due(kk, start, closures=frozenset())
    assert result.astimezone(WIB).date() == due


def test_mall_closure_moves_the_due_date(kk):
    Closure.objects.create(mall=kk.mall, date=date(2026, 12, 1), kind=Closure.Kind.LOCAL, reason="HUT Kota")
    from satupintu.core.calendar import mall_closures

    result = sla.service_due(kk, at(2026, 11, 27), closures=mall_closures(kk.mall_id))
    assert result.astimezone(WIB).date() == date(2026, 12, 7)


def test_hours_count_within_opening_hours_and_skip_holidays(catalogue):
    """24 jam of service time from Wed 23 Dec 2026 09.00: the open minutes between the start
    and the due time, summed slot by slot on working days only, are exactly 24 hours."""
    from datetime import timedelta

    from satupintu.core.calendar import is_working_day

    service = Service.objects.get(mall=catalogue, public_code="AKTA_KELAHIRAN")
    service.duration_value, service.duration_unit = Decimal(24), "hours"
    start = datetime(2026, 12, 23, 9, 0, tzinfo=WIB)
    due = sla.service_due(service, start).astimezone(WIB)
    slots: dict[int, list] = {}
    for h in catalogue.opening_hours.all():
        slots.setdefault(h.weekday, []).append((h.opens, h.closes))
    open_minutes, day = 0.0, start.date()
    while day <= due.date():
        if is_working_day(day):
            for opens, closes in slots.get(day.weekday(), [(time(8), time(16))]):
                a = max(datetime.combine(day, opens, tzinfo=WIB), start)
                b = min(datetime.combine(day, closes, tzinfo=WIB), due)
                open_minutes += max(0, (b - a).total_seconds() / 60)
        day += timedelta(days=1)
    assert open_minutes == 24 * 60
    assert due.date() not in (date(2026, 12, 24), date(2026, 12, 25)) and is_working_day(due.date())


def test_pause_gives_back_working_days_with_the_citizen(kk):
    due = datetime.combine(date(2026, 12, 30), time(16), tzinfo=WIB)
    # with the citizen Mon 21 Dec -> Mon 28 Dec 2026: 22, 23, 28 are working days (24, 25 not)
    shifted = sla.shift_for_pause(kk.mall, due, at(2026, 12, 21), at(2026, 12, 28), closures=frozenset())
    assert shifted.astimezone(WIB).date() == date(2027, 1, 6)  # 31 Dec, 4 Jan, (5 Jan Isra Mikraj), 6 Jan


def test_warning_threshold_is_end_of_previous_working_day(kk):
    due = datetime.combine(date(2027, 1, 4), time(16), tzinfo=WIB)
    warn = sla.warning_threshold(kk.mall, due, closures=frozenset())
    assert warn.astimezone(WIB).date() == date(2026, 12, 31)
