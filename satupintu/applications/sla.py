"""SLA clock (ADR 0073): due dates from the service's published jangka waktu, counted in
hari kerja (national holidays, cuti bersama and the mall's closures via core.calendar);
hours and minutes count within opening hours; the clock pauses while the file is with the
citizen."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from satupintu.core.calendar import add_working_days, deadline_for, is_working_day, working_days_between

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


def service_due(service, start: datetime, closures=None) -> datetime:
    """When an application submitted at `start` is due, per the service's jangka waktu
    (`core.calendar.deadline_for`: working days, calendar days, or minutes/hours inside
    opening hours, with the mall's closures and special hours). A service without a
    published duration gets DEFAULT_WORKING_DAYS, so every application has a due date."""
    due = deadline_for(start=start, service=service, mall=service.mall)
    if due is None:
        from satupintu.core.calendar import mall_closures

        due = due_after_working_days(service.mall, start, DEFAULT_WORKING_DAYS,
                                     mall_closures(service.mall_id) if closures is None else closures)
    return due


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
