"""Open now / closed: weekday hours in the mall's zone, national holidays, closures."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from satupintu.catalogue.hours import mall_open_state, upcoming_exceptions, week_schedule, zone_abbreviation
from satupintu.catalogue.models import Closure, OpeningHours

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def mall(catalogue):
    catalogue.opening_hours.all().delete()
    OpeningHours.objects.bulk_create([OpeningHours(mall=catalogue, weekday=d, opens=time(8), closes=time(15))
                                      for d in range(5)])
    return catalogue


def at(y, m, d, hh, mm=0, tz=WIB):
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def test_open_on_a_weekday_in_the_malls_zone(mall):
    state = mall_open_state(mall, at(2026, 12, 7, 9))  # Monday 09.00 WIB
    assert state.is_open and state.closes == time(15) and state.zone == "WIB"
    # 02.30 UTC is 09.30 WIB: the mall's zone decides, not the server's
    assert mall_open_state(mall, datetime(2026, 12, 7, 2, 30, tzinfo=ZoneInfo("UTC"))).is_open


def test_closed_after_hours_says_when_it_opens_again(mall):
    state = mall_open_state(mall, at(2026, 12, 4, 16))  # Friday 16.00
    assert not state.is_open and state.reason == "after_closing"
    assert state.next_open == at(2026, 12, 7, 8)  # Monday 08.00


def test_closed_on_a_national_holiday(mall):
    state = mall_open_state(mall, at(2026, 12, 25, 10))  # Christmas, a Friday
    assert not state.is_open and state.reason == "holiday" and state.holiday_name


def test_closure_and_special_hours(mall):
    Closure.objects.create(mall=mall, date=date(2026, 12, 8), kind=Closure.Kind.LOCAL, reason="Rapat kerja")
    state = mall_open_state(mall, at(2026, 12, 8, 10))
    assert not state.is_open and state.reason == "closure" and state.holiday_name == "Rapat kerja"
    Closure.objects.create(mall=mall, date=date(2026, 12, 9), kind=Closure.Kind.SPECIAL_HOURS,
                           reason="Ramadan", opens=time(8), closes=time(12))
    assert mall_open_state(mall, at(2026, 12, 9, 11)).is_open
    assert not mall_open_state(mall, at(2026, 12, 9, 13)).is_open
    days = [e.day for e in upcoming_exceptions(mall, now=at(2026, 12, 7, 9))]
    assert date(2026, 12, 8) in days and date(2026, 12, 25) in days


def test_week_schedule_and_zone_names(mall):
    week = week_schedule(mall)
    assert [bool(d.slots) for d in week] == [True] * 5 + [False] * 2
    assert (zone_abbreviation("Asia/Makassar"), zone_abbreviation("Asia/Jayapura")) == ("WITA", "WIT")
