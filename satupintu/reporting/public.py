"""Public transparency figures per service and per agency: the promised duration against
the actual median and 90th percentile of completed applications, IKM and grade, and the
share of complaints answered on time. Aggregates only: no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps

from satupintu.catalogue.models import DurationUnit, Service
from satupintu.core.calendar import mall_closures, working_days_between
from satupintu.reporting.metrics import complaints_public, percentile

COMPLETED_STATUSES = ("completed", "handed_over", "output_issued")
MIN_SAMPLE = 5  # fewer completed applications than this: say "too few to show"


@dataclass
class DurationFigures:
    unit: str
    promised: Decimal | None
    count: int
    median: float | None
    p90: float | None
    within_promise_share: float | None

    @property
    def unit_label(self) -> str:
        return str(DurationUnit(self.unit).label) if self.unit else ""


def _elapsed(start: datetime, end: datetime, unit: str, tz: ZoneInfo, closures) -> float:
    if unit == DurationUnit.WORKING_DAYS:
        return float(working_days_between(start.astimezone(tz).date(), end.astimezone(tz).date(), closures))
    seconds = (end - start).total_seconds()
    if unit == DurationUnit.MINUTES:
        return seconds / 60
    if unit == DurationUnit.HOURS:
        return seconds / 3600
    return seconds / 86400


def service_durations(service: Service) -> DurationFigures:
    unit = service.duration_unit or DurationUnit.DAYS
    empty = DurationFigures(unit, service.duration_value, 0, None, None, None)
    try:
        Application = apps.get_model("applications", "Application")
    except LookupError:
        return empty
    rows = list(Application.objects.filter(service=service, status__in=COMPLETED_STATUSES,
                                           submitted_at__isnull=False, closed_at__isnull=False)
                .values_list("submitted_at", "closed_at")[:20000])
    if not rows:
        return empty
    tz = ZoneInfo(service.mall.timezone)
    closures = mall_closures(service.mall_id)
    values = [_elapsed(a, b, unit, tz, closures) for a, b in rows]
    within = None
    if service.duration_value is not None:
        within = sum(1 for v in values if v <= float(service.duration_value)) / len(values)
    return DurationFigures(unit, service.duration_value, len(values), percentile(values, 50), percentile(values, 90),
                           within)


def service_ikm(service: Service) -> dict | None:
    """IKM of the service from survey responses, when the survey module offers it."""
    try:
        from satupintu.survey import selectors as survey_selectors
    except ImportError:
        return None
    fn = getattr(survey_selectors, "ikm_for", None)
    if fn is None:
        return None
    return fn(mall=service.mall, service=service)


def service_figures(service: Service) -> dict:
    return {
        "durations": service_durations(service),
        "ikm": service_ikm(service),
        "complaints": complaints_public(mall_id=service.mall_id, service_id=service.id),
        "min_sample": MIN_SAMPLE,
    }
