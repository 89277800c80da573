"""Reads of the survey: the IKM of a mall, an agency or a service over a period, computed
in one aggregate query (no response rows loaded)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum

from satupintu.catalogue.models import Agency, Mall, Service
from satupintu.survey.ikm import IkmError, IkmResult, ikm_from_totals
from satupintu.survey.models import SurveyResponse


def survey_ikm(*, mall: Mall, agency: Agency | None = None, service: Service | None = None,
               start: datetime | None = None, end: datetime | None = None,
               weight: str | None = None) -> IkmResult | None:
    """IKM of the responses in [start, end); None when some unsur has no answer yet.
    The weight defaults to the mall's setting (exact 1/9 unless a legacy weight is chosen)."""
    qs = survey_responses(mall=mall, agency=agency, service=service, start=start, end=end)
    agg = qs.aggregate(
        n=Count("id"),
        **{f"t{i}": Sum(f"u{i}") for i in range(1, 10)},
        **{f"a{i}": Count(f"u{i}") for i in range(1, 10)},
    )
    totals = {f"U{i}": agg[f"t{i}"] or 0 for i in range(1, 10)}
    answered = {f"U{i}": agg[f"a{i}"] for i in range(1, 10)}
    try:
        return ikm_from_totals(totals, answered, n=agg["n"], weight=weight or mall.ikm_weight)
    except IkmError:
        return None


def survey_responses(*, mall: Mall, agency: Agency | None = None, service: Service | None = None,
                     start: datetime | None = None, end: datetime | None = None) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(mall=mall)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    return qs


def _day_bounds(mall: Mall, date_from: date | None, date_to: date | None) -> tuple[datetime | None, datetime | None]:
    """Inclusive calendar dates in the mall's zone → [start, end) instants."""
    zone = ZoneInfo(mall.timezone)
    start = datetime.combine(date_from, time.min, zone) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, zone) if date_to else None
    return start, end


def ikm_for(*, mall: Mall, agency: Agency | None = None, service: Service | None = None,
            date_from: date | None = None, date_to: date | None = None) -> dict | None:
    """Public figures of a mall, agency or service (the reporting app's transparency page):
    {"n", "ikm" (two decimals, str), "mutu", "kinerja", "weight"}; None while there is no index."""
    start, end = _day_bounds(mall, date_from, date_to)
    result = survey_ikm(mall=mall, agency=agency, service=service, start=start, end=end)
    if result is None:
        return None
    return {"n": result.n, "ikm": str(result.ikm), "mutu": result.grade.mutu, "kinerja": result.grade.kinerja,
            "weight": result.weight}


def ikm_per_agency(*, mall: Mall, agency_ids: list[int] | None = None, date_from: date | None = None,
                   date_to: date | None = None, populations: dict[int, int] | None = None) -> list[dict]:
    """IKM of every tenant of the mall (or of `agency_ids`) in one grouped query, for the
    manager's console: [{"agency", "agency_code", "n", "ikm", "mutu", "kinerja", "sample_note"}].
    `populations` (agency id → citizens served in the period) adds the Krejcie–Morgan check."""
    from satupintu.survey.sample import sample_check

    start, end = _day_bounds(mall, date_from, date_to)
    qs = survey_responses(mall=mall, start=start, end=end)
    tenants = Agency.objects.filter(tenancies__mall=mall).order_by("name")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
        tenants = tenants.filter(id__in=agency_ids)
    grouped = {
        row["agency_id"]: row
        for row in qs.values("agency_id").annotate(
            n=Count("id"),
            **{f"t{i}": Sum(f"u{i}") for i in range(1, 10)},
            **{f"a{i}": Count(f"u{i}") for i in range(1, 10)},
        )
    }
    out = []
    for agency in tenants:
        row = grouped.get(agency.id)
        entry = {"agency": agency.name, "agency_code": agency.slug, "n": row["n"] if row else 0, "ikm": "",
                 "mutu": "", "kinerja": "", "sample_note": ""}
        if row:
            try:
                result = ikm_from_totals({f"U{i}": row[f"t{i}"] or 0 for i in range(1, 10)},
                                         {f"U{i}": row[f"a{i}"] for i in range(1, 10)}, n=row["n"],
                                         weight=mall.ikm_weight)
                entry.update(ikm=str(result.ikm), mutu=result.grade.mutu, kinerja=result.grade.kinerja)
            except IkmError:
                pass
        if populations and agency.id in populations:
            entry["sample_note"] = sample_check(population=populations[agency.id], respondents=entry["n"]).warning
        out.append(entry)
    return out
