"""Working-day calendar (hari kerja) for SLA clocks and quotas.

A working day is Monday–Friday that is not an Indonesian national holiday (the
`holidays` package, which includes cuti bersama it knows about) and not a closure the
mall manager entered (cuti bersama decided later, local events). Saturday and Sunday are
never working days here; malls that open on Saturday still count SLA in hari kerja.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone


@lru_cache(maxsize=32)
def national_holidays(year: int) -> dict[date, str]:
    """National holidays and cuti bersama known to the `holidays` package for Indonesia."""
    result: dict[date, str] = {}
    result.update(holidays.country_holidays("ID", years=year, language="id"))
    # cuti bersama are the package's "government" category: without it the clock would silently count them
    # as working days, so a package that lacks it fails here instead of being skipped
    result.update(holidays.country_holidays("ID", years=year, categories=("government",), language="id"))
    return result


def mall_now(mall, now: datetime | None = None) -> datetime:
    """Now in the mall's time zone (stored in UTC, shown and counted in WIB/WITA/WIT)."""
    return (now or timezone.now()).astimezone(ZoneInfo(mall.timezone))


def mall_today(mall, now: datetime | None = None) -> date:
    """The mall's local date: at 02:00 WIB the UTC date is still yesterday."""
    return mall_now(mall, now).date()


def mall_closures(mall_id: int | None) -> frozenset[date]:
    if mall_id is None:
        return frozenset()
    from satupintu.catalogue.models import Closure

    return frozenset(Closure.objects.filter(mall_id=mall_id).exclude(kind=Closure.Kind.SPECIAL_HOURS)
                     .values_list("date", flat=True))


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in national_holidays(day.year) and day not in set(closures)


def add_working_days(start: date, days: int, closures: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    closed = set(closures)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, closed):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, closures: Iterable[date] = ()) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start, closures)
    closed = set(closures)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, closed):
            count += 1
    return count


# --- SLA deadlines ------------------------------------------------------------------------

# When a mall has no opening hours recorded: the common MPP weekday hours.
DEFAULT_HOURS = ((time(8, 0), time(16, 0)),)


def _mall_calendar(mall) -> tuple[ZoneInfo, frozenset[date], dict[date, tuple[time, time]], dict[int, list]]:
    if mall is None:
        return ZoneInfo("Asia/Jakarta"), frozenset(), {}, {}
    from satupintu.catalogue.models import Closure

    closed, special = set(), {}
    for c in Closure.objects.filter(mall=mall):
        if c.kind == Closure.Kind.SPECIAL_HOURS:
            if c.opens and c.closes:
                special[c.date] = (c.opens, c.closes)
        else:
            closed.add(c.date)
    hours: dict[int, list] = {}
    for h in mall.opening_hours.all():
        hours.setdefault(h.weekday, []).append((h.opens, h.closes))
    return ZoneInfo(mall.timezone or "Asia/Jakarta"), frozenset(closed), special, hours


def _open_slots(day: date, closed, special, hours) -> list[tuple[time, time]]:
    if not is_working_day(day, closed):
        return []
    if day in special:
        return [special[day]]
    if hours:
        return sorted(hours.get(day.weekday(), []))
    return list(DEFAULT_HOURS)


def _end_of_working_day(day: date, tz: ZoneInfo, closed, special, hours) -> datetime:
    slots = _open_slots(day, closed, special, hours)
    closes = slots[-1][1] if slots else time(23, 59, 59)
    return datetime.combine(day, closes, tzinfo=tz)


def deadline_for(*, start: datetime, service, mall=None, paused_days: int = 0) -> datetime | None:
    """When the service's published duration runs out, counted from `start` (aware).

    - working days (hari kerja): `add_working_days` on the mall's local date, due at the
      mall's closing time that day; holidays, cuti bersama and the mall's closures skipped;
    - days: calendar days, due at the end of that local day;
    - minutes / hours: counted only inside the opening hours of working days (a 60-minute
      service asked for at 15.30 with closing at 16.00 is due at 08.30 the next working day).

    `paused_days` are working days the clock stood still (the file was with the citizen);
    they push the deadline by as many working days. None when the service has no duration.
    """
    from math import ceil

    value, unit = getattr(service, "duration_value", None), getattr(service, "duration_unit", "")
    if value is None or not unit:
        return None
    mall = mall if mall is not None else getattr(service, "mall", None)
    tz, closed, special, hours = _mall_calendar(mall)
    local = start.astimezone(tz)
    if unit == "working_days":
        due_day = add_working_days(local.date(), ceil(value) + paused_days, closed)
        return _end_of_working_day(due_day, tz, closed, special, hours)
    if unit == "days":
        due_day = local.date() + timedelta(days=ceil(value))
        if paused_days:
            due_day = add_working_days(due_day, paused_days, closed)
        return datetime.combine(due_day, time(23, 59, 59), tzinfo=tz)
    minutes = float(value) * (60 if unit == "hours" else 1)
    day = local.date()
    for _ in range(3 * 366):  # a safety bound: no duration runs past three years of calendar
        for opens, closes in _open_slots(day, closed, special, hours):
            begin = max(datetime.combine(day, opens, tzinfo=tz), local)
            end = datetime.combine(day, closes, tzinfo=tz)
            if begin >= end:
                continue
            available = (end - begin).total_seconds() / 60
            if minutes <= available:
                due = begin + timedelta(minutes=minutes)
                if paused_days:
                    due_day = add_working_days(due.date(), paused_days, closed)
                    due = datetime.combine(due_day, due.timetz())
                return due
            minutes -= available
        day += timedelta(days=1)
    raise ValueError("no opening hours found within three years")
