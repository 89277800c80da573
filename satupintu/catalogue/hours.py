"""Is a mall open now? Opening hours per weekday, minus national holidays (and cuti
bersama) and the mall's own closures; shown in the mall's time zone (WIB/WITA/WIT)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from satupintu.catalogue.models import Closure, Mall
from satupintu.core.calendar import national_holidays

# Indonesia's three time zones, by the IANA names a mall may carry.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA", "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_abbreviation(tz_name: str) -> str:
    return ZONE_ABBREVIATIONS.get(tz_name, tz_name)


@dataclass
class OpenState:
    is_open: bool
    reason: str  # "open" | "closed_today" | "before_opening" | "after_closing" | "holiday" | "closure"
    opens: time | None = None
    closes: time | None = None
    holiday_name: str = ""
    next_open: datetime | None = None  # local time of the next opening when closed
    zone: str = "WIB"


@dataclass
class DayHours:
    weekday: int
    slots: list[tuple[time, time]] = field(default_factory=list)


@dataclass
class DayException:
    day: date
    reason: str
    kind: str  # "holiday" | Closure.Kind
    opens: time | None = None
    closes: time | None = None


def _slots_for(day: date, weekly: dict[int, list[tuple[time, time]]], closures: dict[date, Closure]
               ) -> tuple[list[tuple[time, time]], str, str]:
    """(slots, reason, name) for one local date."""
    closure = closures.get(day)
    if closure and closure.kind != Closure.Kind.SPECIAL_HOURS:
        return [], "closure", closure.reason
    if closure and closure.opens and closure.closes:
        return [(closure.opens, closure.closes)], "special", closure.reason
    name = national_holidays(day.year).get(day)
    if name:
        return [], "holiday", str(name)
    return weekly.get(day.weekday(), []), "", ""


def _weekly(mall: Mall) -> dict[int, list[tuple[time, time]]]:
    weekly: dict[int, list[tuple[time, time]]] = {}
    for h in mall.opening_hours.all():
        weekly.setdefault(h.weekday, []).append((h.opens, h.closes))
    for slots in weekly.values():
        slots.sort()
    return weekly


def mall_open_state(mall: Mall, now: datetime | None = None) -> OpenState:
    tz = ZoneInfo(mall.timezone)
    local = (now or timezone.now()).astimezone(tz)
    today = local.date()
    weekly = _weekly(mall)
    closures = {c.date: c for c in Closure.objects.filter(mall=mall, date__gte=today,
                                                          date__lte=today + timedelta(days=31))}
    zone = zone_abbreviation(mall.timezone)
    slots, reason, name = _slots_for(today, weekly, closures)
    now_t = local.time()
    for opens, closes in slots:
        if opens <= now_t < closes:
            return OpenState(True, "open", opens, closes, zone=zone, holiday_name=name if reason else "")
    next_open = _next_opening(local, weekly, closures)
    if reason in ("closure", "holiday"):
        return OpenState(False, reason, holiday_name=name, next_open=next_open, zone=zone)
    if not slots:
        return OpenState(False, "closed_today", next_open=next_open, zone=zone)
    if now_t < slots[0][0]:
        return OpenState(False, "before_opening", slots[0][0], slots[-1][1], next_open=next_open, zone=zone)
    return OpenState(False, "after_closing", slots[0][0], slots[-1][1], next_open=next_open, zone=zone)


def _next_opening(local: datetime, weekly, closures) -> datetime | None:
    for offset in range(0, 32):
        day = local.date() + timedelta(days=offset)
        slots, _reason, _name = _slots_for(day, weekly, closures)
        for opens, _closes in slots:
            candidate = datetime.combine(day, opens, tzinfo=local.tzinfo)
            if candidate > local:
                return candidate
    return None


def week_schedule(mall: Mall) -> list[DayHours]:
    """Monday..Sunday with the opening slots of each (empty = closed)."""
    weekly = _weekly(mall)
    return [DayHours(d, weekly.get(d, [])) for d in range(7)]


def upcoming_exceptions(mall: Mall, days: int = 45, now: datetime | None = None) -> list[DayException]:
    """Holidays, cuti bersama and the mall's closures or special hours in the coming days,
    limited to days the mall would otherwise open."""
    local_today = (now or timezone.now()).astimezone(ZoneInfo(mall.timezone)).date()
    end = local_today + timedelta(days=days)
    weekly = _weekly(mall)
    out: dict[date, DayException] = {}
    for c in Closure.objects.filter(mall=mall, date__gte=local_today, date__lte=end):
        out[c.date] = DayException(c.date, c.reason, c.kind, c.opens, c.closes)
    day = local_today
    while day <= end:
        name = national_holidays(day.year).get(day)
        if name and day not in out and weekly.get(day.weekday()):
            out[day] = DayException(day, str(name), "holiday")
        day += timedelta(days=1)
    return [out[d] for d in sorted(out)]
