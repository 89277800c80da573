"""SLA clock (ADR 0073): due dates from the service's published jangka waktu, counted in
hari kerja (national holidays, cuti bersama and the mall's closures via core.calendar);
hours and minutes count within opening hours; the clock pauses while the file is with the
citizen."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from satupintu.core.calendar import add_working_days, is_working_day, working_days_between

DEFAULT_HOURS = (time(8, 0), time(16, 0))
DEFAULT_WORKING_DAYS = 14


def _hours_by_weekday(mall) -> dict[int, tuple[time, time]]:
    result: dict[int, tuple[time, time]] = {}
    for h in mall.opening_hours.all():
        opens, closes = result.get(h.weekday, (h.opens, h.closes))
        result[h.weekday] = (min(opens, h.opens), max(closes, h.closes))
    return result


def end_of_working_day(mall, day: date, hours: dict | None = None) -> datetime:
    hours = _hours_by_weekday(mall) if hours is None else hours
    closes = hours.get(day.weekday(), DEFAULT_HOURS)[1]
    return datetime.combine(day, closes, tzinfo=ZoneInfo(mall.timezone))


def due_after_working_days(mall, start: datetime, days: int, closures) -> datetime:
    local = start.astimezone(ZoneInfo(mall.timezone)).date()
    return end_of_working_day(mall, add_working_days(local, days, closures))


def due_after_open_minutes(mall, start: datetime, minutes: int, closures) -> datetime:
    """`minutes` of opening time after `start`, skipping nights, weekends, holidays, closures."""
    zone = ZoneInfo(mall.timezone)
    hours = _hours_by_weekday(mall)
    cursor = start.astimezone(zone)
    remaining = timedelta(minutes=minutes)
    for _ in range(400):  # bounded: at most ~a year of days
        day = cursor.date()
        if is_working_day(day, closures):
            opens, closes = hours.get(day.weekday(), DEFAULT_HOURS)
            begin = max(cursor, datetime.combine(day, opens, tzinfo=zone))
            end = datetime.combine(day, closes, tzinfo=zone)
            if begin < end:
                if begin + remaining <= end:
                    return begin + remaining
                remaining -= end - begin
        cursor = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
    return cursor


def service_due(service, start: datetime, closures) -> datetime:
    """When an application submitted at `start` is due, per the service's jangka waktu."""
    value: Decimal | None = service.duration_value
    unit = service.duration_unit
    mall = service.mall
    if not value or not unit:
        return due_after_working_days(mall, start, DEFAULT_WORKING_DAYS, closures)
    if unit == "working_days":
        return due_after_working_days(mall, start, max(1, math.ceil(value)), closures)
    if unit == "days":
        local = start.astimezone(ZoneInfo(mall.timezone)).date() + timedelta(days=math.ceil(value))
        return end_of_working_day(mall, local)
    minutes = int(value * 60) if unit == "hours" else int(value)
    return due_after_open_minutes(mall, start, max(1, minutes), closures)


def shift_for_pause(mall, due_at: datetime, paused_at: datetime, resumed_at: datetime, closures) -> datetime:
    """Give back the working days the file spent with the citizen (whole days; a pause
    inside one day gives back its wall-clock length)."""
    zone = ZoneInfo(mall.timezone)
    start, end = paused_at.astimezone(zone).date(), resumed_at.astimezone(zone).date()
    days = working_days_between(start, end, closures)
    if days <= 0:
        return due_at + (resumed_at - paused_at)
    new_day = add_working_days(due_at.astimezone(zone).date(), days, closures)
    return datetime.combine(new_day, due_at.astimezone(zone).timetz())


def step_due(mall, start: datetime, target_days: int, closures) -> datetime:
    return due_after_working_days(mall, start, target_days, closures) if target_days else \
        end_of_working_day(mall, start.astimezone(ZoneInfo(mall.timezone)).date())


def warning_threshold(mall, due_at: datetime, closures) -> datetime:
    """Warn one working day before the due day ends: the end of the previous working day."""
    zone = ZoneInfo(mall.timezone)
    day = due_at.astimezone(zone).date() - timedelta(days=1)
    for _ in range(60):
        if is_working_day(day, closures):
            break
        day -= timedelta(days=1)
    return end_of_working_day(mall, day)
