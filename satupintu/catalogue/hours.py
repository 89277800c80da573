"""Is a mall open now? Opening hours per weekday, minus national holidays and the
mall's own closures; shown in the mall's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

from satupintu.catalogue.models import Closure, Mall


@lru_cache(maxsize=16)
def national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year)


@dataclass
class OpenState:
    is_open: bool
    reason: str  # "open" | "closed_today" | "before_opening" | "after_closing" | "holiday" | "closure"
    opens: time | None = None
    closes: time | None = None
    holiday_name: str = ""


def mall_open_state(mall: Mall, now: datetime | None = None) -> OpenState:
    local = (now or timezone.now()).astimezone(ZoneInfo(mall.timezone))
    today = local.date()
    closure = Closure.objects.filter(mall=mall, date=today).first()
    if closure and closure.kind != Closure.Kind.SPECIAL_HOURS:
        return OpenState(False, "closure", holiday_name=closure.reason)
    name = national_holidays(today.year).get(today)
    if name and not closure:
        return OpenState(False, "holiday", holiday_name=str(name))
    if closure and closure.opens and closure.closes:
        slots = [(closure.opens, closure.closes)]
    else:
        slots = [(h.opens, h.closes) for h in mall.opening_hours.all() if h.weekday == today.weekday()]
    if not slots:
        return OpenState(False, "closed_today")
    now_t = local.time()
    for opens, closes in slots:
        if opens <= now_t < closes:
            return OpenState(True, "open", opens, closes)
    first, last = slots[0], slots[-1]
    if now_t < first[0]:
        return OpenState(False, "before_opening", first[0], last[1])
    return OpenState(False, "after_closing", first[0], last[1])
