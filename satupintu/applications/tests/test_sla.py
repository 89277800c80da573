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
    service = Service.objects.get(mall=catalogue, public_code="AKTA_KELAHIRAN")
    service.duration_value, service.duration_unit = Decimal(24), "hours"
    hours = sla._hours_by_weekday(catalogue)
    open_per_day = {d: (datetime.combine(date.today(), c) - datetime.combine(date.today(), o)).seconds / 3600
                    for d, (o, c) in hours.items()} or {d: 8 for d in range(5)}
    start = datetime.combine(date(2026, 12, 23), hours.get(2, sla.DEFAULT_HOURS)[0], tzinfo=WIB)
    result = sla.service_due(service, start, closures=frozenset()).astimezone(WIB)
    # 24 opening hours from Wed 23 Dec 2026: 24-25 Dec are holidays, weekends skipped
    remaining, day = 24.0, date(2026, 12, 23)
    from datetime import timedelta

    from satupintu.core.calendar import is_working_day
    while True:
        if is_working_day(day):
            length = open_per_day.get(day.weekday(), 8)
            if remaining <= length:
                break
            remaining -= length
        day += timedelta(days=1)
    assert result.date() == day
    assert result.date() not in (date(2026, 12, 24), date(2026, 12, 25))


def test_pause_gives_back_working_days_with_the_citizen(kk):
    due = datetime.combine(date(2026, 12, 30), time(16), tzinfo=WIB)
    # with the citizen Mon 21 Dec -> Mon 28 Dec 2026: 22, 23, 28 are working days (24, 25 not)
    shifted = sla.shift_for_pause(kk.mall, due, at(2026, 12, 21), at(2026, 12, 28), closures=frozenset())
    assert shifted.astimezone(WIB).date() == date(2027, 1, 6)  # 31 Dec, 4 Jan, (5 Jan Isra Mikraj), 6 Jan


def test_warning_threshold_is_end_of_previous_working_day(kk):
    due = datetime.combine(date(2027, 1, 4), time(16), tzinfo=WIB)
    warn = sla.warning_threshold(kk.mall, due, closures=frozenset())
    assert warn.astimezone(WIB).date() == date(2026, 12, 31)
