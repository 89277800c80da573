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

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from satupintu.core.calendar import mall_today
from satupintu.reporting.charts import Bar, bar_chart_svg
from satupintu.reporting.scope import Scope


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
    # Complaint.answered_on_time in SQL (the answer's UTC date, as the property reads it), not a Python loop.
    answers = in_range.filter(answered_at__isnull=False).aggregate(
        answered=Count("id"),
        on_time=Count("id", filter=Q(answered_at__date__lte=F("answer_due"))))
    per_agency = (in_range.values("agency__name").annotate(
        total=Count("id"), open=Count("id", filter=Q(status__in=["received", "acknowledged"])),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
    ).order_by("-total", "agency__name"))
    rows = [[r["agency__name"], r["total"], r["open"], r["answered"]] for r in per_agency]
    return Section(
        key="complaints", title=_("Pengaduan"),
        kpis=[(_("Diterima dalam rentang"), in_range.count()), (_("Terbuka sekarang"), open_now.count()),
              (_("Lewat tenggat"), overdue.count()),
              (_("Dijawab tepat waktu"), pct(answers["on_time"], answers["answered"]))],
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


# ----------------------------------------------------------------------------- queue

def _model(app_label: str, name: str):
    from django.apps import apps

    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _minutes(seconds) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}".replace(".", ",")


def queue_section(scope: Scope) -> Section | None:
    Ticket = _model("queue", "Ticket")
    DailyStat = _model("queue", "DailyStat")
    if Ticket is None or DailyStat is None:
        return None
    today = mall_today(scope.mall)
    tickets_today = scope.filter(Ticket.objects.filter(date=today))
    waiting_now = tickets_today.filter(status="waiting").count()
    stats = DailyStat.objects.filter(mall=scope.mall, date__range=(scope.date_from, scope.date_to),
                                     dimension="agency")
    if scope.agency_ids is not None:
        stats = stats.filter(agency_id__in=scope.agency_ids)
    per_agency: dict[str, dict] = {}
    counted = ("tickets", "served", "no_shows", "online_offered", "online_used", "walkin_offered", "walkin_used")
    # plain dicts, not model instances: a year of a mall is ~3,600 rows (bench/console_bench.py)
    for row in stats.order_by("date").values("label", "key", "wait_median_s", "service_median_s", *counted):
        agg = per_agency.setdefault(row["label"] or row["key"], {"tickets": 0, "served": 0, "no_shows": 0, "wait": [],
                                                           "service": [], "online_offered": 0, "online_used": 0,
                                                           "walkin_offered": 0, "walkin_used": 0})
        for name in counted:
            agg[name] += row[name]
        if row["wait_median_s"] is not None:
            agg["wait"].append(row["wait_median_s"])
        if row["service_median_s"] is not None:
            agg["service"].append(row["service_median_s"])
    rows = []
    for label, agg in sorted(per_agency.items(), key=lambda kv: -kv[1]["tickets"]):
        rows.append([label, agg["tickets"], agg["served"], agg["no_shows"],
                     _minutes(_median(agg["wait"])), _minutes(_median(agg["service"])),
                     f"{agg['online_used']}/{agg['online_offered']}", f"{agg['walkin_used']}/{agg['walkin_offered']}"])
    total_tickets = sum(a["tickets"] for a in per_agency.values())
    total_noshow = sum(a["no_shows"] for a in per_agency.values())
    return Section(
        key="queue", title=_("Antrean dan kunjungan"),
        kpis=[(_("Kunjungan hari ini"), tickets_today.count()), (_("Menunggu sekarang"), waiting_now),
              (_("Tiket dalam rentang"), total_tickets), (_("Tidak hadir"), total_noshow)],
        columns=[_("Instansi"), _("Tiket"), _("Dilayani"), _("Tidak hadir"), _("Median tunggu (menit)"),
                 _("Median layanan (menit)"), _("Kuota daring terpakai"), _("Kuota datang langsung terpakai")],
        rows=rows, chart=bar_chart_svg([Bar(str(r[0]), r[1], str(r[1])) for r in rows[:10]]),
        chart_caption=_("Tiket per instansi"),
        note=_("Dari rekap harian antrean (dihitung tiap malam dan saat diminta); median per instansi adalah median "
               "dari median harian."),
    )


# ----------------------------------------------------------------------------- applications

OPEN_EXCLUDE = ("draft", "completed", "handed_over", "rejected", "withdrawn")


def applications_section(scope: Scope) -> Section | None:
    Application = _model("applications", "Application")
    if Application is None:
        return None
    start, end = _bounds(scope)
    now = timezone.now()
    qs = scope.filter(Application.objects.exclude(status="draft"))
    in_range = qs.filter(submitted_at__range=(start, end))
    by_status = list(in_range.values("status").annotate(n=Count("id")).order_by("-n"))
    labels = dict(Application._meta.get_field("status").choices)
    # Counted in SQL: a year of a busy mall closes ~80k applications (bench/console_bench.py).
    sla = qs.filter(closed_at__range=(start, end), due_at__isnull=False).aggregate(
        closed=Count("id"), met=Count("id", filter=Q(closed_at__lte=F("due_at"))))
    overdue = (qs.exclude(status__in=OPEN_EXCLUDE).filter(due_at__lt=now)
               .select_related("service", "agency").order_by("due_at")[:25])
    rows = [[labels.get(r["status"], r["status"]), r["n"]] for r in by_status]
    overdue_rows = [[a.reference or "—", a.service.name, str(a.agency), a.due_at.astimezone(
        ZoneInfo(scope.mall.timezone)).strftime("%d-%m-%Y"), labels.get(a.status, a.status)] for a in overdue]
    section = Section(
        key="applications", title=_("Permohonan dan kepatuhan SLA"),
        kpis=[(_("Diajukan dalam rentang"), sum(r["n"] for r in by_status)),
              (_("Selesai tepat waktu"), pct(sla["met"], sla["closed"])),
              (_("Terlambat sekarang"), qs.exclude(status__in=OPEN_EXCLUDE).filter(due_at__lt=now).count())],
        columns=[_("Status"), _("Jumlah")], rows=rows,
        chart=bar_chart_svg([Bar(str(r[0]), r[1], str(r[1])) for r in rows]),
        chart_caption=_("Permohonan per status"),
    )
    overdue_section = Section(
        key="overdue", title=_("Daftar permohonan terlambat"),
        columns=[_("Nomor"), _("Layanan"), _("Instansi"), _("Tenggat"), _("Status")], rows=overdue_rows,
    )
    return [section, overdue_section]


# ----------------------------------------------------------------------------- survey (IKM)

def ikm_section(scope: Scope) -> Section | None:
    try:
        from satupintu.survey import selectors as survey_selectors
    except ImportError:
        return None
    fn = getattr(survey_selectors, "ikm_per_agency", None)
    if fn is None:
        return None
    results = fn(mall=scope.mall, agency_ids=scope.agency_ids, date_from=scope.date_from, date_to=scope.date_to)
    rows = [[r["agency"], r["n"], r["ikm"], r["mutu"], r.get("sample_note", "")] for r in results]
    return Section(
        key="ikm", title=_("Indeks Kepuasan Masyarakat (IKM)"),
        columns=[_("Instansi"), _("Responden"), _("IKM"), _("Mutu"), _("Catatan sampel")], rows=rows,
        chart=bar_chart_svg([Bar(str(r[0]), float(r[2]), str(r[2])) for r in rows if r[2] not in (None, "")],
                            max_value=100),
        chart_caption=_("IKM per instansi (skala 25–100)"),
    )


SECTIONS = [queue_section, applications_section, ikm_section, complaints_section]


def console_sections(scope: Scope) -> list[Section]:
    out: list[Section] = []
    for fn in SECTIONS:
        result = fn(scope)
        if result is None:
            continue
        out.extend(result if isinstance(result, list) else [result])
    return out


def _median(values):
    return median(values) if values else None
