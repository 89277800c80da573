"""Figures for the manager's console and the public transparency pages. Read-only.

Each section is a function `(scope) -> Section | None`; a domain that is not built yet
simply has no section. Sections are listed in SECTIONS, in display order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from satupintu.reporting.charts import Bar, bar_chart_svg
from satupintu.reporting.scope import Scope, mall_today


@dataclass
class Section:
    key: str
    title: str
    kpis: list[tuple[str, Any]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    chart: str = ""
    chart_caption: str = ""
    note: str = ""


def _bounds(scope: Scope) -> tuple[datetime, datetime]:
    tz = ZoneInfo(scope.mall.timezone)
    start = datetime.combine(scope.date_from, time.min, tzinfo=tz)
    end = datetime.combine(scope.date_to, time.max, tzinfo=tz)
    return start, end


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def pct(part: int, whole: int) -> str:
    return "—" if not whole else f"{100 * part / whole:.1f}%".replace(".", ",")


# ----------------------------------------------------------------------------- complaints

def complaints_section(scope: Scope) -> Section | None:
    from satupintu.complaints.models import Complaint
    from satupintu.complaints.selectors import overdue_q

    start, end = _bounds(scope)
    today = mall_today(scope.mall)
    qs = scope.filter(Complaint.objects.all())
    in_range = qs.filter(created_at__range=(start, end))
    open_now = qs.filter(status__in=[Complaint.Status.RECEIVED, Complaint.Status.ACKNOWLEDGED])
    overdue = open_now.filter(overdue_q(today))
    answered = in_range.filter(answered_at__isnull=False)
    on_time = sum(1 for c in answered.only("answered_at", "answer_due") if c.answered_on_time)
    per_agency = (in_range.values("agency__name").annotate(
        total=Count("id"), open=Count("id", filter=Q(status__in=["received", "acknowledged"])),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
    ).order_by("-total", "agency__name"))
    rows = [[r["agency__name"], r["total"], r["open"], r["answered"]] for r in per_agency]
    return Section(
        key="complaints", title=_("Pengaduan"),
        kpis=[(_("Diterima dalam rentang"), in_range.count()), (_("Terbuka sekarang"), open_now.count()),
              (_("Lewat tenggat"), overdue.count()),
              (_("Dijawab tepat waktu"), pct(on_time, answered.count()))],
        columns=[_("Instansi"), _("Pengaduan"), _("Terbuka"), _("Dijawab")], rows=rows,
        chart=bar_chart_svg([Bar(r[0], r[1], str(r[1])) for r in rows[:10]]),
        chart_caption=_("Jumlah pengaduan per instansi"),
    )


def complaints_public(*, mall_id: int, agency_id: int | None = None, service_id: int | None = None) -> dict:
    from satupintu.complaints.models import Complaint

    qs = Complaint.objects.filter(mall_id=mall_id, answered_at__isnull=False)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if service_id:
        qs = qs.filter(service_id=service_id)
    answered = list(qs.only("answered_at", "answer_due"))
    on_time = sum(1 for c in answered if c.answered_on_time)
    return {"answered": len(answered), "on_time": on_time, "on_time_share": pct(on_time, len(answered))}


SECTIONS = [complaints_section]


def console_sections(scope: Scope) -> list[Section]:
    return [s for s in (fn(scope) for fn in SECTIONS) if s is not None]


def _median(values):
    return median(values) if values else None
