"""The working-day calendar across real 2026 and 2027 holidays, cuti bersama and a mall
closure, plus the SLA deadline helper. Dates checked against SKB 3 Menteri on hari libur
nasional and cuti bersama 2026 (as carried by the `holidays` package)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satupintu.core.calendar import (
    add_working_days,
    deadline_for,
    is_working_day,
    national_holidays,
    working_days_between,
)

WIB = ZoneInfo("Asia/Jakarta")


# --- real dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("day, why", [
    (date(2026, 3, 18), "cuti bersama Nyepi"),
    (date(2026, 3, 19), "Hari Suci Nyepi"),
    (date(2026, 3, 20), "cuti bersama Idul Fitri"),
    (date(2026, 3, 23), "cuti bersama Idul Fitri"),
    (date(2026, 3, 24), "cuti bersama Idul Fitri"),
    (date(2026, 8, 17), "Hari Kemerdekaan"),
    (date(2026, 12, 24), "cuti bersama Natal"),
    (date(2026, 12, 25), "Natal"),
    (date(2027, 1, 1), "Tahun Baru"),
    (date(2027, 8, 17), "Hari Kemerdekaan (Selasa)"),
    (date(2027, 12, 24), "cuti bersama Natal"),
])
def test_holidays_and_cuti_bersama_are_not_working_days(day, why):
    assert day.weekday() < 5, f"{day} should be a weekday for this test to mean something"
    assert not is_working_day(day), why
    assert day in national_holidays(day.year)


@pytest.mark.parametrize("day", [date(2026, 3, 17), date(2026, 3, 25), date(2026, 12, 23), date(2026, 12, 28),
                                 date(2027, 8, 16), date(2027, 8, 18)])
def test_the_days_around_them_are_working_days(day):
    assert is_working_day(day)


def test_weekends_are_never_working_days():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday → Monday


def test_idul_fitri_2026_week_is_skipped_whole():
    # Tue 17 Mar; Wed 18 (cuti Nyepi), Thu 19 (Nyepi), Fri 20 (cuti), Sat 21 + Sun 22 (Idul Fitri),
    # Mon 23 + Tue 24 (cuti): the next working day is Wednesday 25 March.
    assert add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 31)) == 7  # 16,17,25,26,27,30,31


def test_christmas_2026_and_the_new_year():
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    # 29, 30, 31 Dec; 1 Jan 2027 is a holiday; Mon 4 Jan
    assert add_working_days(date(2026, 12, 28), 4) == date(2027, 1, 4)


def test_idul_fitri_2027():
    # Mon 8 Mar Nyepi, 9 cuti, 10–11 Idul Fitri, 12 cuti, weekend, Mon 15 cuti → Tue 16 March.
    assert add_working_days(date(2027, 3, 5), 1) == date(2027, 3, 16)


def test_independence_day_2027_and_a_mall_closure_entered_by_the_manager(catalogue):
    from satupintu.catalogue.models import Closure
    from satupintu.core.calendar import mall_closures

    assert add_working_days(date(2027, 8, 16), 1) == date(2027, 8, 18)
    Closure.objects.create(mall=catalogue, date=date(2027, 8, 16), kind=Closure.Kind.LOCAL,
                           reason="Persiapan upacara HUT RI di gedung MPP")
    Closure.objects.create(mall=catalogue, date=date(2027, 8, 19), kind=Closure.Kind.SPECIAL_HOURS,
                           reason="Jam khusus", opens=time(10, 0), closes=time(12, 0))
    closures = mall_closures(catalogue.pk)
    assert closures == frozenset({date(2027, 8, 16)})  # special hours are not a closure
    assert add_working_days(date(2027, 8, 13), 1, closures) == date(2027, 8, 18)
    assert add_working_days(date(2027, 8, 13), 1) == date(2027, 8, 16)  # other malls open


# --- properties (Hypothesis) --------------------------------------------------------------

days_2026_2027 = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
closures = st.frozensets(days_2026_2027, max_size=8)


@settings(max_examples=200, deadline=None)
@given(start=days_2026_2027, n=st.integers(min_value=0, max_value=60), closed=closures)
def test_add_then_count_is_the_identity(start, n, closed):
    end = add_working_days(start, n, closed)
    assert working_days_between(start, end, closed) == n
    if n > 0:
        assert is_working_day(end, closed)
        assert end > start
        # nothing was skipped: the day before `end` still had only n-1 working days
        assert working_days_between(start, end - timedelta(days=1), closed) == n - 1


@settings(max_examples=200, deadline=None)
@given(a=days_2026_2027, b=days_2026_2027, closed=closures)
def test_count_is_antisymmetric_and_additive(a, b, closed):
    assert working_days_between(a, b, closed) == -working_days_between(b, a, closed)
    mid = min(a, b) + (max(a, b) - min(a, b)) / 2
    lo, hi = min(a, b), max(a, b)
    assert working_days_between(lo, hi, closed) == (working_days_between(lo, mid, closed)
                                                    + working_days_between(mid, hi, closed))


@settings(max_examples=100, deadline=None)
@given(start=days_2026_2027, n=st.integers(min_value=1, max_value=40), extra=st.integers(min_value=0, max_value=20))
def test_more_days_never_end_earlier_and_compose(start, n, extra):
    first = add_working_days(start, n)
    assert add_working_days(start, n + extra) >= first
    assert add_working_days(first, extra) == add_working_days(start, n + extra)


@settings(max_examples=100, deadline=None)
@given(start=days_2026_2027, closed=closures, n=st.integers(min_value=1, max_value=30))
def test_a_closure_never_brings_a_deadline_forward(start, closed, n):
    assert add_working_days(start, n, closed) >= add_working_days(start, n)


# --- deadline_for -------------------------------------------------------------------------

def service(value, unit, mall=None):
    return SimpleNamespace(duration_value=Decimal(value) if value is not None else None, duration_unit=unit,
                           mall=mall)


@pytest.fixture
def mall_hours(catalogue):
    from satupintu.catalogue.models import OpeningHours

    catalogue.opening_hours.all().delete()
    for weekday in range(5):
        OpeningHours.objects.create(mall=catalogue, weekday=weekday, opens=time(8, 0), closes=time(12, 0))
        OpeningHours.objects.create(mall=catalogue, weekday=weekday, opens=time(13, 0), closes=time(16, 0))
    OpeningHours.objects.create(mall=catalogue, weekday=5, opens=time(8, 0), closes=time(12, 0))  # Saturday
    return catalogue


def test_working_days_deadline_over_idul_fitri_2026(mall_hours):
    start = datetime(2026, 3, 16, 10, 0, tzinfo=WIB)  # Monday
    due = deadline_for(start=start, service=service(3, "working_days"), mall=mall_hours)
    assert due == datetime(2026, 3, 26, 16, 0, tzinfo=WIB)  # 17, 25, 26 March; at closing time


def test_paused_days_push_the_deadline(mall_hours):
    start = datetime(2026, 12, 21, 9, 0, tzinfo=WIB)
    base = deadline_for(start=start, service=service(2, "working_days"), mall=mall_hours)
    assert base.date() == date(2026, 12, 23)
    paused = deadline_for(start=start, service=service(2, "working_days"), mall=mall_hours, paused_days=2)
    assert paused.date() == date(2026, 12, 29)  # 24–27 not working days: 28, 29


def test_calendar_days_count_every_day(mall_hours):
    start = datetime(2026, 12, 23, 15, 0, tzinfo=WIB)
    assert deadline_for(start=start, service=service(7, "days"), mall=mall_hours) == datetime(
        2026, 12, 30, 23, 59, 59, tzinfo=WIB)


def test_minutes_count_only_inside_opening_hours(mall_hours):
    # Friday 15.30, 60 minutes: 30 today, Saturday is not a working day, 30 on Monday from 08.00
    start = datetime(2026, 11, 27, 15, 30, tzinfo=WIB)
    assert deadline_for(start=start, service=service(60, "minutes"), mall=mall_hours) == datetime(
        2026, 11, 30, 8, 30, tzinfo=WIB)
    # across the lunch break
    noon = datetime(2026, 11, 30, 11, 30, tzinfo=WIB)
    assert deadline_for(start=noon, service=service(1, "hours"), mall=mall_hours) == datetime(
        2026, 11, 30, 13, 30, tzinfo=WIB)


def test_hours_skip_christmas_2026(mall_hours):
    start = datetime(2026, 12, 23, 15, 0, tzinfo=WIB)  # 1 hour left on Wed 23
    assert deadline_for(start=start, service=service(3, "hours"), mall=mall_hours) == datetime(
        2026, 12, 28, 10, 0, tzinfo=WIB)


def test_deadline_uses_the_mall_time_zone(mall_hours):
    mall_hours.timezone = "Asia/Makassar"  # WITA, one hour ahead of WIB
    start = datetime(2026, 11, 30, 7, 30, tzinfo=WIB)  # 08.30 WITA
    due = deadline_for(start=start, service=service(30, "minutes"), mall=mall_hours)
    assert due == datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))


def test_no_duration_no_deadline():
    assert deadline_for(start=datetime(2026, 1, 5, tzinfo=WIB), service=service(None, "")) is None


def test_real_catalogue_service_has_a_deadline(catalogue):
    from satupintu.catalogue.models import Service

    svc = Service.objects.filter(mall=catalogue, duration_value__isnull=False).exclude(duration_unit="").first()
    assert svc is not None
    due = deadline_for(start=datetime(2026, 3, 16, 9, 0, tzinfo=WIB), service=svc)
    assert due is not None and due > datetime(2026, 3, 16, 9, 0, tzinfo=WIB)
