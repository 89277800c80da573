"""Working-day calendar (hari kerja) for SLA clocks and quotas.

A working day is Monday–Friday that is not an Indonesian national holiday (the
`holidays` package, which includes cuti bersama it knows about) and not a closure the
mall manager entered (cuti bersama decided later, local events). Saturday and Sunday are
never working days here; malls that open on Saturday still count SLA in hari kerja.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def national_holidays(year: int) -> dict[date, str]:
    """National holidays and cuti bersama known to the `holidays` package for Indonesia."""
    result: dict[date, str] = {}
    result.update(holidays.country_holidays("ID", years=year, language="id"))
    try:  # cuti bersama ("government" category in the holidays package)
        result.update(holidays.country_holidays("ID", years=year, categories=("government",), language="id"))
    except (NotImplementedError, ValueError, KeyError):
        pass
    return result


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
